// Discovery beyond tags: the catalog (only repositories the caller may pull, paged with n/last and
// Link), referrers pages past 1,000 entries following Link, and the tag-schema fallback index
// (`sha256-<hex>`) merged into the referrers response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERRERS_PAGE } from '../../src/registry/http/discovery.js';
import { startTestPlatform, type Running } from './harness.js';
import { OCI_INDEX, OCI_MANIFEST, Oci, blob, createProject, createUser, digestOf } from './registry-client.js';

let run: Running;
let oci: Oci;

beforeAll(async () => {
  run = await startTestPlatform();
  await createProject(run, 'alpha', 'acme');
  await createProject(run, 'beta', 'acme', { public: true });
  await createProject(run, 'gamma', 'other');
  await createUser(run, 'gina', 'gina-password-12');
  const p = await run.admin.get<Record<string, unknown> & { spec: Record<string, unknown> }>('/apis/bulkhead.dev/v1/projects/gamma');
  await run.admin.put('/apis/bulkhead.dev/v1/projects/gamma', { ...p.body, spec: { ...p.body.spec, members: [{ kind: 'User', name: 'gina', role: 'guest' }] } });
  oci = Oci.bearer(run.platform.url, run.platform.adminToken);
  for (const r of ['alpha/one', 'alpha/two', 'beta/pub', 'gamma/g1']) await oci.pushImage(r, 'v1', 1);
}, 60_000);
afterAll(async () => run?.stop());

const catalog = async (who: Oci, query = '') => {
  const res = await who.fetch('GET', `/v2/_catalog${query}`);
  return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as { repositories: string[] } };
};

describe('catalog', () => {
  it('lists every repository for an admin, sorted, and pages with n/last and Link', async () => {
    const all = await catalog(oci);
    expect(all.body.repositories).toEqual(['alpha/one', 'alpha/two', 'beta/pub', 'gamma/g1']);
    const first = await catalog(oci, '?n=2');
    expect(first.body.repositories).toEqual(['alpha/one', 'alpha/two']);
    expect(first.link).toBe('</v2/_catalog?last=alpha%2Ftwo&n=2>; rel="next"');
    const second = await catalog(oci, '?n=2&last=alpha%2Ftwo');
    expect(second.body.repositories).toEqual(['beta/pub', 'gamma/g1']);
    expect(second.link).toBeNull();
    expect((await oci.fetch('GET', '/v2/_catalog?n=x')).status).toBe(400);
  });

  it('shows others only what they may pull', async () => {
    const gina = Oci.basic(run.platform.url, 'gina', 'gina-password-12');
    expect((await catalog(gina)).body.repositories).toEqual(['beta/pub', 'gamma/g1']);
    expect((await catalog(new Oci(run.platform.url))).body.repositories).toEqual(['beta/pub']);
  });
});

describe('referrers', () => {
  it(`pages past ${REFERRERS_PAGE} referrers with Link, keeping the artifactType filter`, async () => {
    const repo = 'alpha/many';
    const subject = await oci.pushImage(repo, 'v1', 1);
    const empty = { bytes: Buffer.from('{}'), digest: digestOf('{}') };
    await oci.pushBlob(repo, empty);
    const count = REFERRERS_PAGE + 3;
    const pushed: string[] = [];
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
          const m = Buffer.from(
            JSON.stringify({
              schemaVersion: 2,
              mediaType: OCI_MANIFEST,
              artifactType: 'application/vnd.example.note',
              config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty.digest, size: 2 },
              layers: [],
              subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length },
              annotations: { n: String(i + j) },
            }),
          );
          const res = await oci.pushManifest(repo, digestOf(m), m);
          expect(res.status).toBe(201);
          pushed.push(digestOf(m));
        }),
      );
    }
    const seen: string[] = [];
    let url: string | undefined = `/v2/${repo}/referrers/${subject.digest}?artifactType=application/vnd.example.note`;
    let pages = 0;
    while (url) {
      const res = await oci.fetch('GET', url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { manifests: { digest: string }[] };
      seen.push(...body.manifests.map((m) => m.digest));
      pages++;
      const link = res.headers.get('link');
      url = link ? /<([^>]+)>/.exec(link)?.[1] : undefined;
      if (url) expect(url).toContain('artifactType=application%2Fvnd.example.note');
    }
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(pushed.sort());
  }, 60_000);

  it('merges a client-maintained fallback index tagged <alg>-<hex>', async () => {
    const repo = 'alpha/fallback';
    const subject = await oci.pushImage(repo, 'v1', 1);
    const sig = blob(32);
    await oci.pushBlob(repo, sig);
    const cfg = { bytes: Buffer.from('{}'), digest: digestOf('{}') };
    await oci.pushBlob(repo, cfg);
    // An artifact pushed without `subject` by a client that did not detect the referrers API...
    const artifact = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: 'application/vnd.example.sig', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: cfg.digest, size: 2 }, layers: [{ mediaType: 'application/octet-stream', digest: sig.digest, size: 32 }] }),
    );
    expect((await oci.pushManifest(repo, digestOf(artifact), artifact)).status).toBe(201);
    // ...listed in the fallback index the client maintains under the tag sha256-<hex>.
    const fallback = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: digestOf(artifact), size: artifact.length, artifactType: 'application/vnd.example.sig' }] }),
    );
    expect((await oci.pushManifest(repo, subject.digest.replace(':', '-'), fallback, OCI_INDEX)).status).toBe(201);
    const res = await oci.fetch('GET', `/v2/${repo}/referrers/${subject.digest}`);
    const body = (await res.json()) as { manifests: { digest: string; artifactType: string }[] };
    expect(body.manifests).toEqual([expect.objectContaining({ digest: digestOf(artifact), artifactType: 'application/vnd.example.sig' })]);
    const filtered = await oci.fetch('GET', `/v2/${repo}/referrers/${subject.digest}?artifactType=other`);
    expect(((await filtered.json()) as { manifests: unknown[] }).manifests).toEqual([]);
  });
});
