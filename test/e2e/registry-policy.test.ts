// Deploy-time policy end to end: a project that prevents vulnerable images refuses pods and
// deployment templates naming an image with a High finding (with the CVE id and severity), an
// unscanned or failed-scan image, and an image not in the registry; allowlisted ids pass; images
// of projects without a policy and of other registries pass; refusals are audited. Tag
// immutability refuses moving, deleting and deleting the artifact of an immutable tag (412).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryExtension } from '../../src/registry/extension.js';
import { makeTar } from '../../src/registry/scan/packages/tar-writer.test-util.js';
import { OciHttp } from '../../src/registry/signing/oci-http.js';
import { generateSigningKeyPair, loadPrivateKey } from '../../src/registry/signing/signature-crypto.js';
import { signImage } from '../../src/registry/signing/sign-image.js';
import type { AuditEntry } from '../../src/store/store.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { eventually, startTestPlatform, V1, nodeVm, type Running } from './harness.js';
import { Oci, createProject, errorCode, pushLayerImage } from './registry-client.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/osv');
const PODS = '/clusters/web/api/v1/namespaces/default/pods';
const DEPLOYMENTS = '/clusters/web/apis/apps/v1/namespaces/default/deployments';

let run: Running;
let dataDir: string;
let admin: Oci;
let host: string;

const VULNERABLE_DPKG = 'Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n';
const CLEAN_DPKG = 'Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u2\n';

const debLayer = (status: string) =>
  makeTar(
    [
      { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { path: 'var/lib/dpkg/status', content: status },
    ],
    { gzip: true },
  );

async function pushImage(repo: string, tag: string, layer: Buffer): Promise<string> {
  const pushed = await pushLayerImage(admin, repo, tag, layer);
  expect(pushed.status).toBe(201);
  return pushed.digest;
}

const scanned = (repo: string, tag: string) =>
  eventually(async () => {
    const r = await run.admin.get<{ status: string }>(`/registry/v1/scan?repository=${repo}&reference=${tag}`);
    return r.status === 200 ? r.body.status : undefined;
  }, 20_000, `scan of ${repo}:${tag}`);

const pod = (name: string, image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image }] } });
const deployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } },
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-policy-e2e-'));
  await cp(FIXTURES, join(dataDir, 'registry', 'osv'), { recursive: true });
  // The Cluster object below is inert (no lifecycle controller): admission is what is tested.
  run = await startTestPlatform({ dataDir, extensions: [workloadsExtension, registryExtension] });
  admin = Oci.bearer(run.platform.url, run.platform.adminToken);
  host = new URL(run.platform.url).host;
  await createProject(run, 'secure', 'acme', { policy: { preventVulnerable: { severity: 'High' } } });
  await createProject(run, 'open', 'acme');
  await createProject(run, 'frozen', 'acme', { immutableTags: [{ tags: 'v*' }] });
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
  await pushImage('secure/app', 'vuln', debLayer(VULNERABLE_DPKG));
  await pushImage('secure/app', 'clean', debLayer(CLEAN_DPKG));
  await pushImage('secure/app', 'broken', Buffer.concat([gzipSync(Buffer.alloc(512, 1)).subarray(0, 20), Buffer.from('not gzip')]));
  await pushImage('open/app', 'vuln', debLayer(VULNERABLE_DPKG));
  expect(await scanned('secure/app', 'vuln')).toBe('Success');
  expect(await scanned('secure/app', 'clean')).toBe('Success');
  expect(await scanned('secure/app', 'broken')).toBe('Error');
}, 120_000);

afterAll(async () => {
  await run?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('prevent vulnerable images from running', () => {
  it('refuses a pod whose image has a finding at or above the threshold, naming the CVE and severity', async () => {
    const r = await run.admin.post<{ reason: string; message: string }>(PODS, pod('bad', `${host}/secure/app:vuln`));
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('Forbidden');
    expect(r.body.message).toContain('spec.containers[0].image');
    expect(r.body.message).toMatch(/DEBIAN-CVE-2023-5363 \(High, openssl 3\.0\.11-1~deb12u1, fixed in 3\.0\.11-1~deb12u2\)/);
    expect(r.body.message).toContain('severity High or higher');
    expect((await run.admin.get(`${PODS}/bad`)).status).toBe(404);
  });

  it('admits the fixed image, by tag and by digest, with or without the registry host', async () => {
    expect((await run.admin.post(PODS, pod('good', `${host}/secure/app:clean`))).status).toBe(201);
    expect((await run.admin.post(PODS, pod('good-nohost', 'secure/app:clean'))).status).toBe(201);
    const digest = (await run.admin.get<{ digest: string }>('/registry/v1/scan?repository=secure/app&reference=clean')).body.digest;
    expect((await run.admin.post(PODS, pod('good-digest', `${host}/secure/app@${digest}`))).status).toBe(201);
  });

  it('refuses images that were never scanned successfully or are not in the registry', async () => {
    const broken = await run.admin.post<{ message: string }>(PODS, pod('broken', `${host}/secure/app:broken`));
    expect(broken.status).toBe(403);
    expect(broken.body.message).toMatch(/scan with status Error/);
    const missing = await run.admin.post<{ message: string }>(PODS, pod('missing', `${host}/secure/app:nope`));
    expect(missing.status).toBe(403);
    expect(missing.body.message).toMatch(/not in the registry/);
  });

  it('lets images of projects without a policy and of other registries run', async () => {
    expect((await run.admin.post(PODS, pod('open', `${host}/open/app:vuln`))).status).toBe(201);
    expect((await run.admin.post(PODS, pod('hub', 'docker.io/library/nginx:1.25'))).status).toBe(201);
  });

  it('checks deployment templates on create and when an update changes the image', async () => {
    const bad = await run.admin.post<{ message: string }>(DEPLOYMENTS, deployment('api', `${host}/secure/app:vuln`));
    expect(bad.status).toBe(403);
    expect(bad.body.message).toContain('spec.template.spec.containers[0].image');
    const ok = await run.admin.post<{ metadata: { resourceVersion: string } }>(DEPLOYMENTS, deployment('api', `${host}/secure/app:clean`));
    expect(ok.status).toBe(201);
    const update = await run.admin.put<{ message: string }>(`${DEPLOYMENTS}/api`, deployment('api', `${host}/secure/app:vuln`));
    expect(update.status).toBe(403);
    // Scaling without changing the image is not re-checked.
    const scaled = { ...deployment('api', `${host}/secure/app:clean`), spec: { ...deployment('api', `${host}/secure/app:clean`).spec, replicas: 3 } };
    expect((await run.admin.put(`${DEPLOYMENTS}/api`, scaled)).status).toBe(200);
  });

  it('ignores allowlisted advisories', async () => {
    const p = await run.admin.get<Record<string, unknown> & { spec: Record<string, unknown> }>(`${V1}/projects/secure`);
    const spec = { ...p.body.spec, policy: { preventVulnerable: { severity: 'High' }, cveAllowlist: ['DEBIAN-CVE-2023-5363'] } };
    expect((await run.admin.put(`${V1}/projects/secure`, { ...p.body, spec })).status).toBe(200);
    expect((await run.admin.post(PODS, pod('allowlisted', `${host}/secure/app:vuln`))).status).toBe(201);
  });

  it('audits the refusals with the reason', async () => {
    const page = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    const refused = page.body.items.filter((e) => e.verb === 'create' && e.resource === 'pods' && e.name === 'bad');
    expect(refused[0]).toMatchObject({ decision: 'deny', code: 403, tenant: 'acme' });
    expect(refused[0]?.reason).toContain('DEBIAN-CVE-2023-5363');
  });
});

describe('only signed images', () => {
  it('refuses unsigned images and ones signed by an untrusted key; admits one signed by a trusted key', async () => {
    const trusted = generateSigningKeyPair();
    const stranger = generateSigningKeyPair();
    await createProject(run, 'signed', 'acme', { policy: { requireSignature: true }, trustedKeys: [{ name: 'release', publicKey: trusted.publicKeyPem }] });
    await admin.pushImage('signed/app', 'v1');
    await admin.pushImage('signed/app', 'v2');
    const registry = new OciHttp(run.platform.url, run.platform.adminToken);

    const unsigned = await run.admin.post<{ message: string }>(PODS, pod('unsigned', `${host}/signed/app:v1`));
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.message).toMatch(/only runs signed images: .*no signature/i);

    await signImage(registry, { repository: 'signed/app', reference: 'v1', privateKey: loadPrivateKey(stranger.privateKeyPem) });
    const untrusted = await run.admin.post<{ message: string }>(PODS, pod('untrusted', `${host}/signed/app:v1`));
    expect(untrusted.status).toBe(403);
    expect(untrusted.body.message).toContain('only runs signed images');

    await signImage(registry, { repository: 'signed/app', reference: 'v1', privateKey: loadPrivateKey(trusted.privateKeyPem) });
    expect((await run.admin.post(PODS, pod('trusted', `${host}/signed/app:v1`))).status).toBe(201);
    // The signature is per digest: v2 stays unsigned.
    expect((await run.admin.post(PODS, pod('other', `${host}/signed/app:v2`))).status).toBe(403);

    const page = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    expect(page.body.items.some((e) => e.verb === 'admit' && e.resource === 'images' && e.name === `${host}/signed/app:v2` && e.decision === 'deny')).toBe(true);
  });

  it('refuses a trusted key that is not an ECDSA P-256 public key', async () => {
    const r = await run.admin.post<{ message: string }>(`${V1}/projects`, { apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name: 'badkey' }, spec: { tenant: 'acme', trustedKeys: [{ name: 'k', publicKey: 'not a key' }] } });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('spec.trustedKeys[0].publicKey');
  });
});

describe('enforcement at image pull', () => {
  it('a pod its ReplicaSet creates after the project turned the policy on is held at ErrImagePull with the reason', async () => {
    await createProject(run, 'late', 'acme');
    await pushImage('late/app', 'v1', debLayer(VULNERABLE_DPKG));
    expect(await scanned('late/app', 'v1')).toBe('Success');
    expect((await run.admin.post(`${V1}/virtualmachines`, nodeVm('web-w0', 'acme', 'web', 2, 4096))).status).toBe(201);
    await eventually(async () => ((await run.admin.get<{ status?: { phase?: string } }>(`${V1}/virtualmachines/web-w0`)).body.status?.phase === 'Running' ? true : undefined), 20_000, 'node running');
    // Admitted while the project had no policy, with no replicas yet.
    const d = deployment('late', `${host}/late/app:v1`);
    expect((await run.admin.post(DEPLOYMENTS, { ...d, spec: { ...d.spec, replicas: 0 } })).status).toBe(201);
    const p = await run.admin.get<Record<string, unknown> & { spec: Record<string, unknown> }>(`${V1}/projects/late`);
    expect((await run.admin.put(`${V1}/projects/late`, { ...p.body, spec: { ...p.body.spec, policy: { preventVulnerable: { severity: 'High' } } } })).status).toBe(200);
    // Scaling does not go through image admission again; the pull does.
    expect((await run.admin.put(`${DEPLOYMENTS}/late`, { ...d, spec: { ...d.spec, replicas: 1 } })).status).toBe(200);
    interface PodList {
      items: { metadata: { name: string }; status?: { phase?: string; containerStatuses?: { state: string; reason?: string; message?: string }[] } }[];
    }
    const held = await eventually(async () => {
      const pods = await run.admin.get<PodList>('/clusters/web/api/v1/namespaces/default/pods?labelSelector=app%3Dlate');
      const cs = pods.body.items[0]?.status?.containerStatuses?.[0];
      return cs?.reason === 'ErrImagePull' || cs?.reason === 'ImagePullBackOff' ? pods.body.items[0] : undefined;
    }, 20_000, 'pod held at image pull');
    expect(held.status?.phase).toBe('Pending');
    expect(held.status?.containerStatuses?.[0]?.message).toContain('DEBIAN-CVE-2023-5363');
    const page = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    expect(page.body.items.some((e) => e.verb === 'admit' && e.user === 'system:kubelet' && e.name === `${host}/late/app:v1` && e.decision === 'deny')).toBe(true);
  });
});

describe('tag immutability', () => {
  it('refuses moving an immutable tag, deleting it or its artifact; same-digest pushes and other tags are fine', async () => {
    const first = await admin.pushImage('frozen/app', 'v1');
    // Same bytes again: idempotent.
    expect((await admin.pushManifest('frozen/app', 'v1', first.manifest)).status).toBe(201);
    const other = await admin.pushImage('frozen/app', 'latest');
    const moved = await admin.pushManifest('frozen/app', 'v1', other.manifest);
    expect(moved.status).toBe(412);
    expect(await errorCode(moved)).toBe('DENIED');
    const delTag = await admin.fetch('DELETE', '/v2/frozen/app/manifests/v1');
    expect(delTag.status).toBe(412);
    const delArtifact = await admin.fetch('DELETE', `/v2/frozen/app/manifests/${first.digest}`);
    expect(delArtifact.status).toBe(412);
    // `latest` does not match v*: it moves and its artifact can be deleted.
    await admin.pushImage('frozen/app', 'latest');
    expect((await admin.fetch('DELETE', `/v2/frozen/app/manifests/${other.digest}`)).status).toBe(202);
    const still = await admin.fetch('GET', '/v2/frozen/app/manifests/v1', undefined, { accept: 'application/vnd.oci.image.manifest.v1+json' });
    expect(still.headers.get('docker-content-digest')).toBe(first.digest);
  });
});
