/** Test helper: builds ustar archives in memory (with pax headers for long paths). */
import { gzipSync } from 'node:zlib';

export interface TarInput {
  readonly path: string;
  readonly content?: string | Buffer;
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  readonly linkname?: string;
}

function header(name: string, size: number, flag: string, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function pad(b: Buffer): Buffer {
  const rem = b.length % 512;
  return rem === 0 ? b : Buffer.concat([b, Buffer.alloc(512 - rem)]);
}

export function makeTar(entries: readonly TarInput[], opts: { gzip?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const flag = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[type];
    let name = e.path;
    if (Buffer.byteLength(name) > 99) {
      const rec = (s: string): string => {
        let len = s.length + 3;
        while (`${len} ${s}`.length + 1 !== len) len = `${len} ${s}`.length + 1;
        return `${len} ${s}\n`;
      };
      const paxBody = Buffer.from(rec(`path=${name}`));
      parts.push(header('PaxHeaders/x', paxBody.length, 'x'), pad(paxBody));
      name = name.slice(0, 99);
    }
    parts.push(header(name, body.length, flag, e.linkname ?? ''), pad(body));
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return opts.gzip ? gzipSync(tar) : tar;
}
