/**
 * BlobStore on the local filesystem:
 *   <root>/blobs/<alg>/<xx>/<hex>     committed, immutable, content-addressed
 *   <root>/uploads/<uuid>/data        bytes received so far (offset = file size)
 *   <root>/uploads/<uuid>/info.json   repository, start time, streaming hash algorithm
 * Uploads live beside blobs so a commit is a rename on one filesystem; a crash mid-upload leaves
 * only an upload directory, never a partial blob.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
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

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class FsBlobStore implements BlobStore {
  private readonly live = new Map<string, Live>();
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
    return createReadStream(this.blobPath(digest), range ? { start: range.start, end: range.end } : {});
  }

  async readBytes(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  async putBytes(digest: string, bytes: Buffer): Promise<void> {
    const path = this.blobPath(digest);
    if (await this.stat(digest)) return;
    const { alg } = parseDigest(digest);
    if (`${alg}:${createHash(alg).update(bytes).digest('hex')}` !== digest) throw digestInvalid(`content does not match digest ${digest}`);
    await mkdir(dirname(path), { recursive: true });
    const tmp = join(this.root, 'uploads', `put-${randomUUID()}`);
    await mkdir(dirname(tmp), { recursive: true });
    await writeFile(tmp, bytes);
    await fsyncPath(tmp);
    await rename(tmp, path);
  }

  async remove(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async startUpload(repo: string, alg: DigestAlgorithm): Promise<UploadState> {
    const id = randomUUID();
    const dir = this.uploadDir(id);
    await mkdir(dir, { recursive: true });
    const info: UploadInfo = { repo, startedAt: new Date().toISOString(), alg };
    await writeFile(join(dir, 'data'), '');
    await writeFile(join(dir, 'info.json'), JSON.stringify(info));
    this.live.set(id, { hash: createHash(alg), offset: 0 });
    return { id, repo, offset: 0, startedAt: info.startedAt };
  }

  private async info(id: string): Promise<UploadInfo | undefined> {
    const text = await readFile(join(this.uploadDir(id), 'info.json'), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as UploadInfo);
  }

  async upload(id: string): Promise<UploadState | undefined> {
    if (!UUID_RE.test(id)) return undefined;
    const info = await this.info(id);
    if (!info) return undefined;
    const st = await stat(join(this.uploadDir(id), 'data')).catch(() => undefined);
    if (!st) return undefined;
    return { id, repo: info.repo, offset: st.size, startedAt: info.startedAt };
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
    if (offset > 0) await pipeline(createReadStream(join(this.uploadDir(id), 'data'), { end: offset - 1 }), new Transform({ transform(c: Buffer, _e, cb) { hash.update(c); cb(); } }));
    const fresh = { hash, offset };
    this.live.set(id, fresh);
    return fresh;
  }

  append(id: string, body: Readable, expectOffset?: number, expectLength?: number): Promise<UploadState> {
    return this.serial(id, async () => {
      const state = await this.upload(id);
      const info = await this.info(id);
      if (!state || !info) throw uploadUnknown(id);
      if (expectOffset !== undefined && expectOffset !== state.offset) {
        body.resume();
        throw new OciError(416, 'BLOB_UPLOAD_INVALID', `chunk starts at ${expectOffset} but the upload has ${state.offset} bytes`, undefined, rangeHeaders(state));
      }
      const live = await this.liveHash(id, info.alg, state.offset);
      const hash = live.hash.copy();
      let n = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          n += chunk.length;
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      const file = join(this.uploadDir(id), 'data');
      try {
        await pipeline(body, counter, createWriteStream(file, { flags: 'a' }));
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
      const state = await this.upload(id);
      const info = await this.info(id);
      if (!state || !info) throw uploadUnknown(id);
      const { alg } = parseDigest(digest);
      const dir = this.uploadDir(id);
      const data = join(dir, 'data');
      const live = alg === info.alg ? await this.liveHash(id, alg, state.offset) : await this.hashFile(data, alg, state.offset);
      const actual = `${alg}:${live.hash.copy().digest('hex')}`;
      try {
        if (actual !== digest) throw digestInvalid(`provided digest ${digest} does not match the uploaded content (${actual})`);
        const target = this.blobPath(digest);
        if (!(await this.stat(digest))) {
          await fsyncPath(data);
          await mkdir(dirname(target), { recursive: true });
          await rename(data, target);
          await fsyncPath(dirname(target)).catch(() => undefined);
        }
        return { digest, size: state.offset };
      } finally {
        this.live.delete(id);
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  private async hashFile(path: string, alg: DigestAlgorithm, offset: number): Promise<Live> {
    const hash = createHash(alg);
    if (offset > 0) await pipeline(createReadStream(path), new Transform({ transform(c: Buffer, _e, cb) { hash.update(c); cb(); } }));
    return { hash, offset };
  }

  cancel(id: string): Promise<void> {
    return this.serial(id, async () => {
      if (!(await this.upload(id))) throw uploadUnknown(id);
      this.live.delete(id);
      await rm(this.uploadDir(id), { recursive: true, force: true });
    });
  }
}

/** `Range: 0-<last byte>` as the spec's upload status (0-0 for an empty upload, by convention). */
export function rangeHeaders(state: UploadState): Record<string, string> {
  return { range: `0-${Math.max(0, state.offset - 1)}`, 'docker-upload-uuid': state.id };
}
