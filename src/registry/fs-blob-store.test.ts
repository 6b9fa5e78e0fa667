import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.js';
import type { OciError } from './errors.js';

let root: string;
let store: FsBlobStore;
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bulkhead-blobs-'));
  store = new FsBlobStore(root);
});
afterEach(async () => rm(root, { recursive: true, force: true }));

async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function failing(first: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(first);
      } else this.destroy(new Error('connection reset'));
    },
  });
}

describe('FsBlobStore', () => {
  it('commits a verified upload under blobs/<alg>/<xx>/<hex> and removes the upload', async () => {
    const data = Buffer.from('hello blob');
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([data.subarray(0, 4)]), 0);
    await store.append(up.id, Readable.from([data.subarray(4)]), 4);
    const info = await store.commit(up.id, sha(data));
    expect(info.size).toBe(data.length);
    const hex = sha(data).slice(7);
    expect(await readdir(join(root, 'blobs', 'sha256', hex.slice(0, 2)))).toEqual([hex]);
    expect(await readdir(join(root, 'uploads'))).toEqual([]);
  });

  it('re-committing content that is already stored refreshes its age (the GC window protects it again)', async () => {
    const data = Buffer.from('old and unreferenced');
    const bytes = Buffer.from('{"manifest":true}');
    await store.putBytes(sha(bytes), bytes);
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([data]), 0);
    await store.commit(up.id, sha(data));
    const blobFile = (b: Buffer) => join(root, 'blobs', 'sha256', sha(b).slice(7, 9), sha(b).slice(7));
    const longAgo = new Date(Date.now() - 3 * 86_400_000);
    for (const b of [data, bytes]) await utimes(blobFile(b), longAgo, longAgo);
    const again = await store.startUpload('c/d', 'sha256');
    await store.append(again.id, Readable.from([data]), 0);
    await store.commit(again.id, sha(data));
    await store.putBytes(sha(bytes), bytes);
    for (const b of [data, bytes]) expect(Date.now() - (await stat(blobFile(b))).mtimeMs).toBeLessThan(60_000);
  });

  it('rolls an interrupted chunk back to the last good offset, and nothing becomes visible', async () => {
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([Buffer.from('0123')]), 0);
    await expect(store.append(up.id, failing(Buffer.from('4567')), 4)).rejects.toThrow('connection reset');
    expect((await store.upload(up.id))?.offset).toBe(4);
    await expect(store.append(up.id, Readable.from([Buffer.from('x')]), 9)).rejects.toMatchObject({ status: 416 });
    await store.append(up.id, Readable.from([Buffer.from('4567')]), 4);
    expect((await store.commit(up.id, sha(Buffer.from('01234567')))).size).toBe(8);
  });

  it('refuses a wrong digest, and the upload is gone', async () => {
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([Buffer.from('abc')]));
    let code = '';
    await store.commit(up.id, sha(Buffer.from('abd'))).catch((e: OciError) => (code = e.code));
    expect(code).toBe('DIGEST_INVALID');
    expect(await store.upload(up.id)).toBeUndefined();
    expect(await store.stat(sha(Buffer.from('abc')))).toBeUndefined();
  });

  it('rehashes from the file when the streaming hash is not in memory (another process, a restart)', async () => {
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([Buffer.from('part1-')]));
    const other = new FsBlobStore(root);
    await other.append(up.id, Readable.from([Buffer.from('part2')]), 6);
    expect((await other.commit(up.id, sha(Buffer.from('part1-part2')))).size).toBe(11);
  });

  it('streams a multi-MiB blob in uneven chunks, reads it back whole and by range', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 123);
    const up = await store.startUpload('a/b', 'sha256');
    const cuts = [0, 1, 70_000, 1_500_000, data.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const part = data.subarray(cuts[i], cuts[i + 1]);
      // Many small pieces per append, as a socket delivers them.
      const pieces = Array.from({ length: Math.ceil(part.length / 65_536) }, (_, k) => part.subarray(k * 65_536, (k + 1) * 65_536));
      await store.append(up.id, Readable.from(pieces), cuts[i], part.length);
    }
    expect((await store.commit(up.id, sha(data))).size).toBe(data.length);
    const whole = await readAll(store.read(sha(data)));
    expect(whole.equals(data)).toBe(true);
    const range = await readAll(store.read(sha(data), { start: 5, end: 1_048_580 }));
    expect(range.equals(data.subarray(5, 1_048_581))).toBe(true);
  });

  it('serves small blobs read whole from memory, and forgets them on remove', async () => {
    const bytes = Buffer.from('{"schemaVersion":2}');
    await store.putBytes(sha(bytes), bytes);
    expect((await store.readBytes(sha(bytes))).equals(bytes)).toBe(true);
    expect(await store.readBytes(sha(bytes))).toBe(await store.readBytes(sha(bytes)));
    await store.remove(sha(bytes));
    await expect(store.readBytes(sha(bytes))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an upload cancelled by another process is gone here too', async () => {
    const up = await store.startUpload('a/b', 'sha256');
    await store.append(up.id, Readable.from([Buffer.from('abc')]));
    await new FsBlobStore(root).cancel(up.id);
    expect(await store.upload(up.id)).toBeUndefined();
    await expect(store.append(up.id, Readable.from([Buffer.from('d')]))).rejects.toMatchObject({ code: 'BLOB_UPLOAD_UNKNOWN' });
  });
});
