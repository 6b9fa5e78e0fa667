// Garbage collection against a real store and blob store (no HTTP), on a virtual clock: what goes,
// what the window protects, pushes interleaved with a run, an interrupted sweep, and dry runs.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_BLOB_KIND } from '../metadata-kinds.js';
import { listBlobFiles } from './disk.js';
import { MaintenanceRunningError } from './errors.js';
import { GcFixture, HOUR, TTL, digestOf, repo } from './gc-fixture.test-util.js';
import { GcRunner } from './gc-runner.js';
import { runGc, type GcHooks } from './run-gc.js';
import { GC_RUN_KIND, RunHistory } from './run-history.js';
import type { GcRequest, GcResult } from './types.js';

let f: GcFixture;
beforeEach(async () => {
  f = await GcFixture.create(['p', 'q']);
});
afterEach(async () => f.close());

const REAL: GcRequest = { dryRun: false, deleteUntagged: false };
const gc = (req: Partial<GcRequest> = {}, hooks?: GcHooks) => runGc(f.deps(hooks ? { hooks } : {}), { ...REAL, ...req }, { id: 'gc-test', user: 'tester' });
const sizes = async (digests: readonly string[]) => {
  let n = 0;
  for (const d of digests) n += (await f.blobs.stat(d))?.size ?? 0;
  return n;
};

describe('runGc', () => {
  it('frees the blobs of a deleted image once the window has passed, keeping blobs another repository uses', async () => {
    const shared = randomBytes(500);
    const a = await f.pushImage('p/a', 'v1', [randomBytes(400), shared]);
    const b = await f.pushImage('q/b', 'v1', [shared]);
    await f.meta.deleteManifest(repo('p/a'), a.digest);
    const exclusive = [a.digest, a.blobs[0]!, a.blobs[1]!];
    const freed = await sizes(exclusive);

    const early = await gc();
    expect(early.status).toBe('Succeeded');
    expect(early.blobsDeleted).toBe(0);
    expect(early.blobsProtected).toBe(1); // the deleted manifest's own bytes; its layers are still linked, and recent
    expect(await f.exists(a.digest)).toBe(true);

    await f.clock.advance(3 * HOUR);
    const late = await gc();
    expect(late.blobsDeleted).toBe(3);
    expect(late.blobs.map((x) => x.digest).sort()).toEqual(exclusive.sort());
    expect(late.bytesFreed).toBe(freed);
    expect(late.linksRemoved).toBe(3); // config, own layer and shared layer in p/a
    for (const d of exclusive) expect(await f.exists(d)).toBe(false);
    for (const d of [digestOf(shared), b.digest, ...b.blobs]) expect(await f.exists(d)).toBe(true);
    await f.assertConsistent();
    expect((await f.meta.project('p'))?.status?.usage).toEqual({ storageBytes: 0, artifacts: 0 });
  });

  it('keeps a blob committed moments ago whose link has not arrived yet', async () => {
    const old = await f.pushBlob('p/a', randomBytes(100));
    await f.meta.deleteBlob(repo('p/a'), old);
    await f.clock.advance(3 * HOUR);
    const fresh = await f.commit(randomBytes(100)); // committed, not linked
    await f.stampNow(fresh);
    const r = await gc();
    expect(r.blobs.map((b) => b.digest)).toEqual([old]);
    expect(r.blobsProtected).toBe(1);
    await f.meta.linkBlob(repo('p/a'), fresh, 100); // the push completes after the run
    expect(await f.exists(fresh)).toBe(true);
    await f.assertConsistent();
  });

  it('loses nothing when a push lands between the mark and the sweep, even one re-using an old unreferenced blob', async () => {
    const bytes = randomBytes(200);
    const orphan = await f.pushBlob('p/a', bytes);
    await f.meta.deleteBlob(repo('p/a'), orphan);
    const gone = await f.pushBlob('p/a', randomBytes(50));
    await f.meta.deleteBlob(repo('p/a'), gone);
    await f.clock.advance(3 * HOUR);
    let pushed: { digest: string; blobs: readonly string[] } | undefined;
    const r = await gc({}, {
      afterMark: async () => {
        // The same content again (the store finds the file and only links it: its times stay old) ...
        expect(await f.pushBlob('q/c', bytes)).toBe(orphan);
        // ... and a whole new image, written now.
        const img = await f.pushImage('q/c', 'v1', [randomBytes(300)]);
        for (const d of [img.digest, ...img.blobs]) await f.stampNow(d);
        pushed = img;
      },
    });
    expect(r.status).toBe('Succeeded');
    expect(r.blobs.map((b) => b.digest)).toEqual([gone]);
    expect(await f.exists(orphan)).toBe(true);
    for (const d of [pushed!.digest, ...pushed!.blobs]) expect(await f.exists(d)).toBe(true);
    await f.assertConsistent();
  });

  it('cancels uploads idle for longer than the TTL and keeps active ones', async () => {
    const idle = await f.blobs.startUpload('p/a', 'sha256');
    await f.blobs.append(idle.id, Readable.from([randomBytes(10)]));
    await f.clock.advance(TTL + HOUR);
    const active = await f.blobs.startUpload('p/b', 'sha256');
    await f.stampUploadNow(active.id);
    const r = await gc();
    expect(r.uploads).toEqual([{ id: idle.id, repository: 'p/a', idleSeconds: expect.any(Number) }]);
    expect(r.uploads[0]!.idleSeconds).toBeGreaterThan(TTL / 1000);
    expect(await f.blobs.upload(idle.id)).toBeUndefined();
    expect(await f.blobs.upload(active.id)).toBeDefined();
  });

  it('with deleteUntagged, deletes untagged images with their referrers and exclusive blobs; keeps what tagged images need and recent pushes', async () => {
    const tagged = await f.pushImage('p/a', 'v1');
    const taggedSig = await f.pushImage('p/a', `${tagged.digest.replace(':', '-')}.sig`);
    const taggedRef = await f.pushImage('p/a', undefined, [randomBytes(40)], { subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: tagged.digest, size: tagged.bytes.length } });
    const untagged = await f.pushImage('p/a', undefined);
    const untaggedRef = await f.pushImage('p/a', undefined, [randomBytes(40)], { subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: untagged.digest, size: untagged.bytes.length } });
    const c1 = await f.pushImage('p/a', undefined);
    const c2 = await f.pushImage('p/a', undefined);
    const index = await f.pushIndex('p/a', 'multi', [c1, c2]);
    await f.clock.advance(3 * HOUR);
    const recent = await f.pushImage('p/a', undefined); // a child pushed by digest, its index not here yet
    for (const d of [recent.digest, ...recent.blobs]) await f.stampNow(d);

    const r = await gc({ deleteUntagged: true });
    expect(r.manifestsDeleted).toBe(2);
    expect(r.manifests).toEqual([`p/a@${untaggedRef.digest}`, `p/a@${untagged.digest}`]); // referrer first
    for (const d of [untagged.digest, untaggedRef.digest, ...untagged.blobs, ...untaggedRef.blobs]) expect(await f.exists(d)).toBe(false);
    for (const img of [tagged, taggedSig, taggedRef, c1, c2, index, recent]) {
      expect(await f.meta.manifest(repo('p/a'), img.digest)).toBeDefined();
      for (const d of [img.digest, ...img.blobs]) expect(await f.exists(d)).toBe(true);
    }
    await f.assertConsistent();
  });

  it('a dry run reports exactly what the real run then does, and changes nothing', async () => {
    const a = await f.pushImage('p/a', 'v1');
    await f.pushImage('p/a', undefined);
    await f.meta.deleteManifest(repo('p/a'), a.digest);
    await f.pushImage('q/b', 'v1');
    const up = await f.blobs.startUpload('p/a', 'sha256');
    await f.clock.advance(TTL + HOUR);
    const files = await listBlobFiles(f.root);
    const revision = await f.store.revision();

    const dry = await gc({ dryRun: true, deleteUntagged: true });
    expect(dry.dryRun).toBe(true);
    expect(await listBlobFiles(f.root)).toEqual(files);
    expect(await f.store.revision()).toBe(revision);
    expect(await f.blobs.upload(up.id)).toBeDefined();
    expect(dry.blobsDeleted).toBe(6); // a: manifest, config, layer; the untagged one likewise

    const real = await gc({ deleteUntagged: true });
    const comparable = (x: GcResult) => ({ blobs: x.blobs, bytes: x.bytesFreed, manifests: x.manifests, links: x.linksRemoved, uploads: x.uploads.map((u) => u.id) });
    expect(comparable(real)).toEqual(comparable(dry));
    await f.assertConsistent();
  });

  it('a sweep interrupted half-way leaves a consistent store, and the next run finishes the job', async () => {
    const orphans: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await f.pushBlob('p/a', randomBytes(64));
      await f.meta.deleteBlob(repo('p/a'), d);
      orphans.push(d);
    }
    const kept = await f.pushImage('p/a', 'v1');
    await f.clock.advance(3 * HOUR);
    let removed = 0;
    const crashed = await gc({}, {
      beforeRemove: () => {
        if (++removed === 3) throw new Error('simulated crash');
      },
    });
    expect(crashed.status).toBe('Failed');
    expect(crashed.error).toBe('simulated crash');
    expect(crashed.blobsDeleted).toBe(2);
    await f.assertConsistent();

    const again = await gc();
    expect(again.status).toBe('Succeeded');
    expect(again.blobsDeleted).toBe(3);
    for (const d of orphans) expect(await f.exists(d)).toBe(false);
    for (const d of [kept.digest, ...kept.blobs]) expect(await f.exists(d)).toBe(true);
    expect((await f.store.list(PROJECT_BLOB_KIND)).items.length).toBe(3);
    await f.assertConsistent();
  });
});

describe('GcRunner', () => {
  it('runs one collection at a time (409 naming the running one) and records finished runs, newest first', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const runner = new GcRunner(f.deps({ hooks: { afterMark: () => gate } }), new RunHistory<GcResult>(f.store, GC_RUN_KIND, 2), () => undefined);
    const first = runner.run(REAL, 'alice');
    await f.clock.advance(0);
    const running = runner.current();
    expect(running?.status).toBe('Running');
    await expect(runner.run(REAL, 'bob')).rejects.toThrow(MaintenanceRunningError);
    await expect(runner.run(REAL, 'bob')).rejects.toMatchObject({ code: 409, objectName: running?.id });
    expect((await runner.list(10))[0]?.id).toBe(running?.id);
    release();
    const done = await first;
    expect(done.id).toBe(running?.id);
    expect(runner.current()).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      await f.clock.advance(1000);
      await runner.run({ dryRun: true, deleteUntagged: false }, 'carol');
    }
    const history = await runner.list(10);
    expect(history).toHaveLength(2); // the limit drops the oldest
    expect(history.map((h) => h.user)).toEqual(['carol', 'carol']);
    expect(history[0]!.startedAt >= history[1]!.startedAt).toBe(true);
  });
});
