/**
 * A small tar reader for image layers: ustar headers plus pax extended headers (`x`; `g` is
 * skipped) and GNU long names (`L`/`K`), base-256 sizes, gzip-compressed or plain input.
 * Reads an in-memory buffer; entries are yielded with their data as a subarray (no copy).
 */
import { gunzipSync } from 'node:zlib';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Normalised path: no leading `./` or `/`, no trailing `/`. */
  readonly path: string;
  readonly type: TarEntryType;
  readonly linkname: string;
  readonly data: Buffer;
}

export class TarError extends Error {}

const BLOCK = 512;

/** Gunzips when the buffer starts with the gzip magic; returns it unchanged otherwise. */
export function decompressLayer(buf: Buffer): Buffer {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return gunzipSync(buf);
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0xfd2fb528) throw new TarError('zstd-compressed layers are not supported');
  return buf;
}

function cstring(buf: Buffer, start: number, len: number): string {
  const field = buf.subarray(start, start + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function numeric(buf: Buffer, start: number, len: number): number {
  const field = buf.subarray(start, start + len);
  if (field[0] !== undefined && (field[0] & 0x80) !== 0) {
    // GNU base-256: big-endian, first byte's top bit is the marker.
    let n = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = cstring(buf, start, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`bad octal field "${text}"`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = numeric(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === stored;
}

function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number(data.subarray(pos, space).toString('ascii'));
    if (!Number.isSafeInteger(len) || len <= 0 || pos + len > data.length) throw new TarError('bad pax record');
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

export function normalisePath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '5':
      return 'dir';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** Iterates the entries of a (decompressed) tar archive. */
export function* readTar(buf: Buffer): Generator<TarEntry> {
  let pos = 0;
  let pax: Map<string, string> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  while (pos + BLOCK <= buf.length) {
    const header = buf.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) return;
    if (!checksumOk(header)) throw new TarError(`bad header checksum at offset ${pos}`);
    const flag = String.fromCharCode(header[156]!);
    const size = pax?.has('size') ? Number(pax.get('size')) : numeric(header, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`bad size at offset ${pos}`);
    const start = pos + BLOCK;
    const end = start + size;
    if (end > buf.length) throw new TarError(`truncated entry at offset ${pos}`);
    const data = buf.subarray(start, end);
    pos = start + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (flag === 'g') continue;
    if (flag === 'L') {
      longName = cstring(data, 0, data.length);
      continue;
    }
    if (flag === 'K') {
      longLink = cstring(data, 0, data.length);
      continue;
    }
    const magic = cstring(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? cstring(header, 345, 155) : '';
    const name = cstring(header, 0, 100);
    const rawPath = pax?.get('path') ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    const linkname = pax?.get('linkpath') ?? longLink ?? cstring(header, 157, 100);
    pax = undefined;
    longName = undefined;
    longLink = undefined;
    yield { path: normalisePath(rawPath), type: typeOf(flag), linkname: normalisePath(linkname), data };
  }
}
