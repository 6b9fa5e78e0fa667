/**
 * A small tar reader for image layers: ustar headers plus pax extended headers (`x`; `g` is
 * skipped) and GNU long names (`L`/`K`), base-256 sizes, gzip-compressed or plain input.
 * Two front ends over one header parser: `readTar` walks an in-memory buffer (entries' data are
 * subarrays, no copy); `TarParser` takes a layer as a stream of chunks and keeps only the data of
 * the entries its caller wants, so a layer of any size is scanned in constant memory.
 */
import * as zlib from 'node:zlib';
import { gunzipSync } from 'node:zlib';
import type { Transform } from 'node:stream';

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Normalised path: no leading `./` or `/`, no trailing `/`. */
  readonly path: string;
  readonly type: TarEntryType;
  readonly linkname: string;
  /** The content; empty for entries a `TarParser` was told to skip. */
  readonly data: Buffer;
}

export class TarError extends Error {}

const BLOCK = 512;
const EMPTY = Buffer.alloc(0);
/** Largest pax or GNU long-name record kept in memory (real ones are a few hundred bytes). */
const MAX_META_BYTES = 1024 * 1024;

/** Layer compression, from the first bytes of the blob. */
export type Compression = 'gzip' | 'zstd' | 'none';

export function compressionOf(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

type ZstdFactory = (opts?: zlib.ZlibOptions) => Transform;
/** zlib's zstd decompressor when this Node.js has one (22.15+, 23.8+); Node 20 does not. */
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

/** True when zstd layers can be decompressed by this runtime. */
export const ZSTD_SUPPORTED = typeof createZstdDecompress === 'function';

/** Output chunk of the streaming decompressors: large, so the thread-pool round trips are few. */
const INFLATE_CHUNK = 256 * 1024;

/**
 * A streaming decompressor for `compression` (undefined for plain tar). Decompression runs on the
 * libuv thread pool, so a large layer does not block the event loop the way `gunzipSync` does.
 */
export function decompressor(compression: Compression): Transform | undefined {
  if (compression === 'gzip') return zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
  if (compression === 'zstd') {
    if (!createZstdDecompress) throw new TarError('zstd-compressed layers are not supported (this Node.js has no zstd in zlib; Node 22.15+ does)');
    return createZstdDecompress({ chunkSize: INFLATE_CHUNK });
  }
  return undefined;
}

/** Gunzips when the buffer starts with the gzip magic; returns it unchanged otherwise. */
export function decompressLayer(buf: Buffer): Buffer {
  const c = compressionOf(buf);
  if (c === 'gzip') return gunzipSync(buf);
  if (c === 'zstd') throw new TarError('zstd-compressed layers are not supported');
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

/** Pending pax / GNU long-name records that apply to the next real entry. */
interface Pending {
  pax?: Map<string, string>;
  longName?: string;
  longLink?: string;
}

/** What a header block says: size of the data that follows and, for a real entry, its fields. */
interface Header {
  readonly flag: string;
  readonly size: number;
  readonly path: string;
  readonly linkname: string;
}

/** Parses a non-zero header block at `offset` (for messages); the pending records give size and names. */
function parseHeader(header: Buffer, offset: number, pending: Pending): Header {
  if (!checksumOk(header)) throw new TarError(`bad header checksum at offset ${offset}`);
  const flag = String.fromCharCode(header[156]!);
  const size = pending.pax?.has('size') ? Number(pending.pax.get('size')) : numeric(header, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`bad size at offset ${offset}`);
  if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') return { flag, size, path: '', linkname: '' };
  const magic = cstring(header, 257, 6);
  const prefix = magic.startsWith('ustar') ? cstring(header, 345, 155) : '';
  const name = cstring(header, 0, 100);
  const rawPath = pending.pax?.get('path') ?? pending.longName ?? (prefix ? `${prefix}/${name}` : name);
  const linkname = pending.pax?.get('linkpath') ?? pending.longLink ?? cstring(header, 157, 100);
  return { flag, size, path: normalisePath(rawPath), linkname: normalisePath(linkname) };
}

/** Applies a metadata record (`x`, `L`, `K`) to `pending`; false for a real entry. */
function absorbMeta(flag: string, data: Buffer, pending: Pending): boolean {
  if (flag === 'x') pending.pax = parsePax(data);
  else if (flag === 'L') pending.longName = cstring(data, 0, data.length);
  else if (flag === 'K') pending.longLink = cstring(data, 0, data.length);
  else return flag === 'g';
  return true;
}

const isZeroBlock = (b: Buffer): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
};

/** Iterates the entries of a (decompressed) tar archive. */
export function* readTar(buf: Buffer): Generator<TarEntry> {
  let pos = 0;
  let pending: Pending = {};
  while (pos + BLOCK <= buf.length) {
    const header = buf.subarray(pos, pos + BLOCK);
    if (isZeroBlock(header)) return;
    const h = parseHeader(header, pos, pending);
    const start = pos + BLOCK;
    const end = start + h.size;
    if (end > buf.length) throw new TarError(`truncated entry at offset ${pos}`);
    const data = buf.subarray(start, end);
    pos = start + Math.ceil(h.size / BLOCK) * BLOCK;
    if (absorbMeta(h.flag, data, pending)) continue;
    pending = {};
    yield { path: h.path, type: typeOf(h.flag), linkname: h.linkname, data };
  }
}

/** Which entries' data a `TarParser` keeps (others are counted past, never copied). */
export type WantData = (path: string, type: TarEntryType) => boolean;

/**
 * A push parser for a tar stream: `write` chunks as they arrive, then `end`. Each entry is handed
 * to `onEntry` once its data is complete; data is kept only when `want` says so (and at most
 * `maxEntryBytes`), so memory stays bounded whatever the layer's size.
 */
export class TarParser {
  private offset = 0;
  private readonly headerBuf = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** The entry whose data is being read, with the bytes still to come (data + padding). */
  private cur: { h: Header; keep: boolean; chunks: Buffer[]; got: number; remaining: number; padding: number } | undefined;
  private pending: Pending = {};
  private done = false;

  constructor(
    private readonly want: WantData,
    private readonly onEntry: (e: TarEntry) => void,
    private readonly maxEntryBytes = 256 * 1024 * 1024,
  ) {}

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.done) {
      const cur = this.cur;
      if (cur) {
        if (cur.remaining > 0) {
          const n = Math.min(cur.remaining, chunk.length - pos);
          if (cur.keep) cur.chunks.push(chunk.subarray(pos, pos + n));
          cur.got += n;
          cur.remaining -= n;
          pos += n;
          this.offset += n;
          if (cur.remaining === 0) this.finishData();
          continue;
        }
        const n = Math.min(cur.padding, chunk.length - pos);
        cur.padding -= n;
        pos += n;
        this.offset += n;
        if (cur.padding === 0) this.cur = undefined;
        continue;
      }
      const n = Math.min(BLOCK - this.headerFill, chunk.length - pos);
      chunk.copy(this.headerBuf, this.headerFill, pos, pos + n);
      this.headerFill += n;
      pos += n;
      this.offset += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.startEntry();
      }
    }
  }

  /** Ends the stream: throws when it stops inside a header or an entry's data. */
  end(): void {
    if (this.done) return;
    if (this.headerFill > 0 || (this.cur && this.cur.remaining > 0)) throw new TarError(`truncated entry at offset ${this.offset}`);
  }

  private startEntry(): void {
    const at = this.offset - BLOCK;
    if (isZeroBlock(this.headerBuf)) {
      this.done = true;
      return;
    }
    const h = parseHeader(this.headerBuf, at, this.pending);
    const meta = h.flag === 'x' || h.flag === 'L' || h.flag === 'K';
    const type = typeOf(h.flag);
    const keep = meta || (h.flag !== 'g' && this.want(h.path, type));
    const limit = meta ? MAX_META_BYTES : this.maxEntryBytes;
    if (keep && h.size > limit) throw new TarError(`entry ${meta ? `(${h.flag} record)` : h.path} at offset ${at} is ${h.size} bytes, over the limit of ${limit}`);
    const padding = Math.ceil(h.size / BLOCK) * BLOCK - h.size;
    this.cur = { h, keep, chunks: [], got: 0, remaining: h.size, padding };
    if (h.size === 0) this.finishData();
    if (this.cur && this.cur.remaining === 0 && this.cur.padding === 0) this.cur = undefined;
  }

  private finishData(): void {
    const cur = this.cur!;
    const data = cur.keep ? Buffer.concat(cur.chunks, cur.got) : EMPTY;
    cur.chunks = [];
    if (absorbMeta(cur.h.flag, data, this.pending)) return;
    this.pending = {};
    this.onEntry({ path: cur.h.path, type: typeOf(cur.h.flag), linkname: cur.h.linkname, data });
  }
}
