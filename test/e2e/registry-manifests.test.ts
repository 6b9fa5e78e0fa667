// OCI Distribution conformance, manifests and discovery (end-3, end-7, end-8, end-9, end-12):
// validation, size limit, tags pagination with Link, referrers with artifactType, deletes,
// concurrent pushes of one tag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type Running } from './harness.js';
import { OCI_INDEX, OCI_MANIFEST, Oci, blob, createProject, digestOf, errorCode, imageManifest } from './registry-client.js';

let run: Running;
let oci: Oci;
const REPO = 'acme-web/shop/cart';

beforeAll(async () => {
  run = await startTestPlatform();
  await createProject(run, 'acme-web', 'acme');
  oci = Oci.bearer(run.platform.url, run.platform.adminToken);
});
afterAll(async () => run?.stop());

describe('manifests', () => {
  it('PUT by tag gives 201 + Location + digest; GET/HEAD by tag and digest return the exact bytes and type', async () => {
    const img = await oci.pushImage(REPO, 'v1');
    for (const ref of ['v1', img.digest]) {
      const head = await oci.fetch('HEAD', `/v2/${REPO}/manifests/${ref}`);
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(img.manifest.length));
      expect(head.headers.get('docker-content-digest')).toBe(img.digest);
      const get = await oci.fetch('GET', `/v2/${REPO}/manifests/${ref}`, undefined, { accept: OCI_MANIFEST });
      expect(get.headers.get('content-type')).toBe(OCI_MANIFEST);
      expect(Buffer.from(await get.arrayBuffer()).equals(img.manifest)).toBe(true);
    }
    const missing = await oci.fetch('GET', `/v2/${REPO}/manifests/nope`);
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('MANIFEST_UNKNOWN');
  });

  it('refuses a manifest that references a missing blob (MANIFEST_BLOB_UNKNOWN) and malformed ones (MANIFEST_INVALID)', async () => {
    const cfg = blob(10);
    await oci.pushBlob(REPO, cfg);
    const dangling = await oci.pushManifest(REPO, 'dangling', imageManifest(cfg, [blob(20)]));
    expect(dangling.status).toBe(400);
    expect(await errorCode(dangling)).toBe('MANIFEST_BLOB_UNKNOWN');
    for (const bad of ['{not json', '[]', JSON.stringify({ schemaVersion: 1 }), JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: 'sha256:x' } })]) {
      const res = await oci.pushManifest(REPO, 'bad', Buffer.from(bad));
      expect(res.status, bad).toBe(400);
      expect(await errorCode(res), bad).toBe('MANIFEST_INVALID');
    }
    const wrongDigest = await oci.pushManifest(REPO, 'sha256:totallywrong', imageManifest(cfg, []));
    expect(wrongDigest.status).toBe(400);
    expect(await errorCode(wrongDigest)).toBe('DIGEST_INVALID');
    const mismatch = await oci.pushManifest(REPO, digestOf('other'), imageManifest(cfg, []));
    expect(await errorCode(mismatch)).toBe('DIGEST_INVALID');
  });

  it('accepts a manifest PUT by digest, sha512 included, and Docker v2 schema 2 types', async () => {
    const cfg = blob(12);
    await oci.pushBlob(REPO, cfg);
    const m = imageManifest(cfg, []);
    const d512 = digestOf(m, 'sha512');
    const res = await oci.pushManifest(REPO, d512, m);
    expect(res.status).toBe(201);
    expect(res.headers.get('docker-content-digest')).toBe(d512);
    const docker = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: cfg.digest, size: 12 }, layers: [] }));
    expect((await oci.pushManifest(REPO, 'docker', docker, 'application/vnd.docker.distribution.manifest.v2+json')).status).toBe(201);
  });

  it('refuses manifests over 4 MiB with 413', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024 + 10, 0x20);
    const res = await oci.pushManifest(REPO, 'huge', huge);
    expect(res.status).toBe(413);
  });

  it('an index must reference manifests that exist in the repository', async () => {
    const img = await oci.pushImage(REPO, 'amd64');
    const index = (ds: string[]) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: ds.map((d) => ({ mediaType: OCI_MANIFEST, digest: d, size: 100 })) }));
    expect((await oci.pushManifest(REPO, 'multi', index([img.digest]), OCI_INDEX)).status).toBe(201);
    const bad = await oci.pushManifest(REPO, 'multi-bad', index([digestOf('missing')]), OCI_INDEX);
    expect(await errorCode(bad)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('concurrent pushes of one tag: every push succeeds and the tag ends on one of them, whole', async () => {
    const imgs = await Promise.all(Array.from({ length: 6 }, (_, i) => oci.pushImage(REPO, `race-src-${i}`, 1)));
    const results = await Promise.all(imgs.map((i) => oci.pushManifest(REPO, 'race', i.manifest)));
    for (const r of results) expect(r.status).toBe(201);
    const got = await oci.fetch('GET', `/v2/${REPO}/manifests/race`);
    const d = got.headers.get('docker-content-digest');
    expect(imgs.map((i) => i.digest)).toContain(d);
    expect(digestOf(Buffer.from(await got.arrayBuffer()))).toBe(d);
  });
});

describe('tags list', () => {
  it('lists tags in order and paginates with n, last and a Link header', async () => {
    const repo = 'acme-web/tags';
    for (const t of ['b', 'a', 'c', 'd']) await oci.pushImage(repo, t, 0);
    const all = await oci.fetch('GET', `/v2/${repo}/tags/list`);
    expect(await all.json()).toEqual({ name: repo, tags: ['a', 'b', 'c', 'd'] });
    const page = await oci.fetch('GET', `/v2/${repo}/tags/list?n=2`);
    expect(((await page.json()) as { tags: string[] }).tags).toEqual(['a', 'b']);
    expect(page.headers.get('link')).toBe(`</v2/${repo}/tags/list?last=b&n=2>; rel="next"`);
    const next = await oci.fetch('GET', `/v2/${repo}/tags/list?n=2&last=b`);
    expect(((await next.json()) as { tags: string[] }).tags).toEqual(['c', 'd']);
    expect(next.headers.get('link')).toBeNull();
    const unknown = await oci.fetch('GET', '/v2/acme-web/never/tags/list');
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NAME_UNKNOWN');
  });
});

describe('referrers', () => {
  it('lists manifests whose subject is the digest, with artifactType and annotations, and filters', async () => {
    const repo = 'acme-web/signed';
    const subject = await oci.pushImage(repo, 'v1', 1);
    const empty = { bytes: Buffer.from('{}'), digest: digestOf('{}') };
    await oci.pushBlob(repo, empty);
    const sig = blob(64);
    await oci.pushBlob(repo, sig);
    const artifact = (type: string, note: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          artifactType: type,
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty.digest, size: 2 },
          layers: [{ mediaType: 'application/octet-stream', digest: sig.digest, size: 64 }],
          subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
          annotations: { note },
        }),
      );
    const a = artifact('application/vnd.example.sig', 'one');
    const b = artifact('application/vnd.example.sbom', 'two');
    for (const m of [a, b]) {
      const res = await oci.pushManifest(repo, digestOf(m), m);
      expect(res.status).toBe(201);
      expect(res.headers.get('oci-subject')).toBe(subject.digest);
    }
    const all = await oci.fetch('GET', `/v2/${repo}/referrers/${subject.digest}`);
    expect(all.headers.get('content-type')).toBe(OCI_INDEX);
    const body = (await all.json()) as { manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] };
    expect(body.manifests.map((m) => m.digest).sort()).toEqual([digestOf(a), digestOf(b)].sort());
    const filtered = await oci.fetch('GET', `/v2/${repo}/referrers/${subject.digest}?artifactType=application/vnd.example.sbom`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    const fb = (await filtered.json()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(fb.manifests).toHaveLength(1);
    expect(fb.manifests[0]?.annotations).toEqual({ note: 'two' });
    const none = await oci.fetch('GET', `/v2/${repo}/referrers/${digestOf('nothing')}`);
    expect(none.status).toBe(200);
    expect(((await none.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    expect((await oci.fetch('GET', `/v2/${repo}/referrers/sha256:bad`)).status).toBe(400);
  });

  it('accepts a subject that does not exist yet', async () => {
    const repo = 'acme-web/early';
    const cfg = { bytes: Buffer.from('{}'), digest: digestOf('{}') };
    await oci.pushBlob(repo, cfg);
    const ghost = digestOf('not pushed yet');
    const m = imageManifest(cfg, [], { subject: { mediaType: OCI_MANIFEST, digest: ghost, size: 10 } });
    expect((await oci.pushManifest(repo, digestOf(m), m)).status).toBe(201);
    const body = (await (await oci.fetch('GET', `/v2/${repo}/referrers/${ghost}`)).json()) as { manifests: unknown[] };
    expect(body.manifests).toHaveLength(1);
  });
});

describe('deletes', () => {
  it('DELETE by tag removes only the tag; by digest removes the manifest and its tags', async () => {
    const repo = 'acme-web/del';
    const img = await oci.pushImage(repo, 'one', 1);
    await oci.pushManifest(repo, 'two', img.manifest);
    expect((await oci.fetch('DELETE', `/v2/${repo}/manifests/one`)).status).toBe(202);
    expect((await oci.fetch('HEAD', `/v2/${repo}/manifests/one`)).status).toBe(404);
    expect((await oci.fetch('HEAD', `/v2/${repo}/manifests/two`)).status).toBe(200);
    expect((await oci.fetch('DELETE', `/v2/${repo}/manifests/${img.digest}`)).status).toBe(202);
    expect((await oci.fetch('HEAD', `/v2/${repo}/manifests/${img.digest}`)).status).toBe(404);
    expect((await oci.fetch('HEAD', `/v2/${repo}/manifests/two`)).status).toBe(404);
    expect(((await (await oci.fetch('GET', `/v2/${repo}/tags/list`)).json()) as { tags: string[] }).tags).toEqual([]);
    const again = await oci.fetch('DELETE', `/v2/${repo}/manifests/${img.digest}`);
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe('MANIFEST_UNKNOWN');
  });
});
