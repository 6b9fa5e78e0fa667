/**
 * BlobStore on the local filesystem:
 *   <root>/blobs/<alg>/<xx>/<hex>     committed, immutable, content-addressed
 *   <root>/uploads/<uuid>/data        bytes received so far (offset = file size)
 *   <root>/uploads/<uuid>/info.json   repository, start time, streaming hash algorithm
 * Uploads live beside blobs so a commit is a rename on one filesystem; a crash mid-upload leaves
 * only an upload directory, never a partial blob.
 *
 * Throughput (see docs/benchmarks.md, "Registry"): bytes are hashed as they stream in, written
 * through 1 MiB buffers (so the socket keeps flowing while a write is on the thread pool, and
 * writes coalesce into writev), fsynced once at commit, and read back in 1 MiB chunks. Upload
 * info is immutable once written, so it is cached in memory; the upload's size is always read
 * from the file, so several processes may still share one upload directory. Small blobs read
 * whole (manifests) are kept in a bounded cache: they are immutable under their digest.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, rmdir, stat, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, UploadState } from './blob-store.js';
import { OciError, digestInvalid, uploadInvalid, uploadUnknown } from './errors.js';
import { parseDigest, type DigestAlgorithm } from './names.js';

interface UploadInfo {
  readonly repo: string;
  readonly startedAt: string;
  readonly alg: DigestAlgorithm;
}

/** Per-upload in-memory hash; rebuilt from the file when missing (restart, another process). */
interface Live {
  hash: Hash;
  offset: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Buffer size of blob reads and upload writes. */
const IO_CHUNK = 1024 * 1024;
/** In-memory upload state kept for at most this many uploads (then rebuilt from disk). */
const MAX_LIVE_UPLOADS = 10_000;
/** `readBytes` cache: blobs up to this size, this many bytes in all. */
const CACHE_ITEM_BYTES = 256 * 1024;
const CACHE_TOTAL_BYTES = 32 * 1024 * 1024;

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A byte-bounded LRU of immutable blob contents (a Map iterates in insertion order). */
class BytesCache {
  private readonly items = new Map<string, Buffer>();
  private bytes = 0;

  get(key: string): Buffer | undefined {
    const v = this.items.get(key);
    if (v) {
      this.items.delete(key);
      this.items.set(key, v);
    }
    return v;
  }

  set(key: string, v: Buffer): void {
    if (v.length > CACHE_ITEM_BYTES || this.items.has(key)) return;
    this.items.set(key, v);
    this.bytes += v.length;
    for (const [k, old] of this.items) {
      if (this.bytes <= CACHE_TOTAL_BYTES) break;
      this.items.delete(k);
      this.bytes -= old.length;
    }
  }

  delete(key: string): void {
    const v = this.items.get(key);
    if (v) this.bytes -= v.length;
    this.items.delete(key);
  }
}

export class FsBlobStore implements BlobStore {
  private readonly live = new Map<string, Live>();
  /** info.json of uploads seen by this process (never changes once written). */
  private readonly infos = new Map<string, UploadInfo>();
  private readonly cache = new BytesCache();
  /** One operation at a time per upload (a client retrying a chunk must not interleave). */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  blobPath(digest: string): string {
    const { alg, hex } = parseDigest(digest);
    return join(this.root, 'blobs', alg, hex.slice(0, 2), hex);
  }

  private uploadDir(id: string): string {
    if (!UUID_RE.test(id)) throw uploadUnknown(id);
    return join(this.root, 'uploads', id);
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const st = await stat(this.blobPath(digest)).catch(() => undefined);
    return st?.isFile() ? { digest, size: st.size } : undefined;
  }

  read(digest: string, range?: { start: number; end: number }): Readable {
    // A bounded range also bounds the buffer: a 4 KiB blob does not get a 1 MiB read.
    const highWaterMark = range ? Math.max(1, Math.min(IO_CHUNK, range.end - range.start + 1)) : IO_CHUNK;
    return createReadStream(this.blobPath(digest), range ? { start: range.start, end: range.end, highWaterMark } : { highWaterMark });
  }

  async readBytes(digest: string): Promise<Buffer> {
    const hit = this.cache.get(digest);
    if (hit) return hit;
    const bytes = await readFile(this.blobPath(digest));
    this.cache.set(digest, bytes);
    return bytes;
  }

  /**
   * Marks an existing blob as just written (mtime and ctime now), so garbage collection's window
   * protects it as it protects a new one; false when there is no such file.
   */
  private async refresh(path: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(path, now, now);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async putBytes(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    if (await this.refresh(path)) return;
    const { alg } = parseDigest(digest);
    if (`${alg}:${createHash(alg).update(bytes).digest('hex')}` !== digest) throw digestInvalid(`content does not match digest ${digest}`);
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(this.root, 'uploads', `put-${randomUUID()}`);
    await mkdir(dirname(tmp), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await fsyncPath(dirname(path)).catch(() => undefined);
  }

  async remove(digest: string): Promise<void> {
    this.cache.delete(digest);
    await rm(this.blobPath(digest), { force: true });
  }

  async startUpload(repo: string, alg: DigestAlgorithm): Promise<UploadState> {
    const id = randomUUID();
    const dir = this.uploadDir(id);
    await mkdir(dir, { recursive: true });
    const info: UploadInfo = { repo, startedAt: new Date().toISOString(), alg };
    await Promise.all([writeFile(join(dir, 'data'), ''), writeFile(join(dir, 'info.json'), JSON.stringify(info))]);
    this.remember(id, info, { hash: createHash(alg), offset: 0 });
    return { id, repo, offset: 0, startedAt: info.startedAt };
  }

  /** Caches an upload's info (and hash); both maps are caches, so they are simply cleared when full. */
  private remember(id: string, info: UploadInfo, live?: Live): void {
    if (this.infos.size >= MAX_LIVE_UPLOADS) this.infos.clear();
    if (this.live.size >= MAX_LIVE_UPLOADS) this.live.clear();
    this.infos.set(id, info);
    if (live) this.live.set(id, live);
  }

  private forget(id: string): void {
    this.infos.delete(id);
    this.live.delete(id);
  }

  private async info(id: string): Promise<UploadInfo | undefined> {
    const cached = this.infos.get(id);
    if (cached) return cached;
    const text = await readFile(join(this.uploadDir(id), 'info.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const info = JSON.parse(text) as UploadInfo;
    this.remember(id, info);
    return info;
  }

  /** The upload's info and its size on disk (the file is the truth: another process may have appended). */
  private async current(id: string): Promise<{ info: UploadInfo; state: UploadState } | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    const [info, st] = await Promise.all([this.info(id), stat(join(this.uploadDir(id), 'data')).catch(() => undefined)]);
    if (!info || !st) return undefined;
    return { info, state: { id, repo: info.repo, offset: st.size, startedAt: info.startedAt } };
  }

  async upload(id: string): Promise<UploadState | undefined> {
    return (await this.current(id))?.state;
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(id, tail);
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    });
    return next;
  }

  /** The streaming hash at the current offset, re-reading the file when it is not in memory. */
  private async liveHash(id: string, alg: DigestAlgorithm, offset: number): Promise<Live> {
    const cur = this.live.get(id);
    if (cur && cur.offset === offset) return cur;
    const hash = createHash(alg);
    if (offset > 0) for await (const c of createReadStream(join(this.uploadDir(id), 'data'), { end: offset - 1, highWaterMark: IO_CHUNK })) hash.update(c as Buffer);
    const fresh = { hash, offset };
    this.live.set(id, fresh);
    return fresh;
  }

  append(id: string, body: Readable, expectOffset?: number, expectLength?: number): Promise<UploadState> {
    return this.serial(id, async () => {
      const cur = await this.current(id);
      if (!cur) throw uploadUnknown(id);
      const { info, state } = cur;
      if (expectOffset !== undefined && expectOffset !== state.offset) {
        body.resume();
        throw new OciError(416, 'BLOB_UPLOAD_INVALID', `chunk starts at ${expectOffset} but the upload has ${state.offset} bytes`, undefined, rangeHeaders(state));
      }
      const live = await this.liveHash(id, info.alg, state.offset);
      const hash = live.hash.copy();
      let n = 0;
      // Hashes and counts on the way to the file; the large buffers let the socket keep reading
      // while a write is on the thread pool, and queued chunks go out together (writev).
      const counter = new Transform({
        highWaterMark: IO_CHUNK,
        transform(chunk: Buffer, _enc, cb) {
          n += chunk.length;
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const file = join(this.uploadDir(id), 'data');
      try {
        await pipeline(body, counter, createWriteStream(file, { flags: 'a', highWaterMark: IO_CHUNK }));
        if (expectLength !== undefined && n !== expectLength) throw uploadInvalid(`Content-Range says ${expectLength} bytes but ${n} arrived`);
      } catch (err) {
        await truncate(file, state.offset).catch(() => undefined);
        throw err;
      }
      this.live.set(id, { hash, offset: state.offset + n });
      return { ...state, offset: state.offset + n };
    });
  }

  commit(id: string, digest: string): Promise<BlobInfo> {
    return this.serial(id, async () => {
      const cur = await this.current(id);
      if (!cur) throw uploadUnknown(id);
      const { info, state } = cur;
      const { alg } = parseDigest(digest);
      const dir = this.uploadDir(id);
      const data = join(dir, 'data');
      const live = alg === info.alg ? await this.liveHash(id, alg, state.offset) : await this.hashFile(data, alg, state.offset);
      const actual = `${alg}:${live.hash.copy().digest('hex')}`;
      try {
        if (actual !== digest) throw digestInvalid(`provided digest ${digest} does not match the uploaded content (${actual})`);
        const target = this.blobPath(digest);
        // Content already stored (pushed before, maybe unreferenced since): refresh its age so a
        // GC sweep does not take it between this commit and the link that follows.
        if (!(await this.refresh(target))) {
          // Data reaches the disk before the name does; the rename is made durable by syncing the
          // directory. One fsync per blob, not per chunk.
          await fsyncPath(data);
          await mkdir(dirname(target), { recursive: true });
          await rename(data, target);
          await fsyncPath(dirname(target)).catch(() => undefined);
        }
        return { digest, size: state.offset };
      } finally {
        this.forget(id);
        await removeUploadDir(dir);
      }
    });
  }

  private async hashFile(path: string, alg: DigestAlgorithm, offset: number): Promise<Live> {
    const hash = createHash(alg);
    if (offset > 0) for await (const c of createReadStream(path, { highWaterMark: IO_CHUNK })) hash.update(c as Buffer);
    return { hash, offset };
  }

  cancel(id: string): Promise<void> {
    return this.serial(id, async () => {
      if (!(await this.upload(id))) throw uploadUnknown(id);
      this.forget(id);
      await removeUploadDir(this.uploadDir(id));
    });
  }
}

/** Removes an upload directory: its two files and itself, or whatever is there when that fails. */
async function removeUploadDir(dir: string): Promise<void> {
  try {
    await Promise.all([unlink(join(dir, 'data')).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e))), unlink(join(dir, 'info.json'))]);
    await rmdir(dir);
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `Range: 0-<last byte>` as the spec's upload status (0-0 for an empty upload, by convention). */
export function rangeHeaders(state: UploadState): Record<string, string> {
  return { range: `0-${Math.max(0, state.offset - 1)}`, 'docker-upload-uuid': state.id };
}
