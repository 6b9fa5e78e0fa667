// Replication end to end: policies applied through the REST API, executions started by hand, by
// pushes and by the scheduler, images copied between a Bulkhead platform and docker-registry 2.8.2
// (both directions, tag filters, a layer above the 10 MB chunk size, immutable tags kept) and
// between two Bulkhead platforms (an index with its children, a cosign signature tag, an OCI 1.1
// referrer, write-only credentials through the token flow). On a third platform whose control
// clock is virtual: the scheduler, and a remote that is down failing with its error after retries
// with backoff (and a second run refused meanwhile). Bad specs are refused naming the field; the
// CLI runs and lists executions.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDockerRegistry, startDockerRegistry, type DockerRegistry } from '../../bench/support/docker-registry.js';
import { VirtualClock } from '../../src/clock/index.js';
import { runEndpointConformance } from '../../src/registry/replication/endpoint.conformance.js';
import { OciClient } from '../../src/registry/replication/oci-client.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { V1, eventually, startTestPlatform, type Api, type Running } from './harness.js';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER, OCI_MANIFEST, Oci, createProject, createUser, digestOf } from './registry-client.js';

const installed = hasDockerRegistry();
if (!installed) console.warn('docker-registry is not installed: skipping the replication end-to-end tests');
const suite = installed ? describe : describe.skip;

interface Execution {
  id: string;
  trigger: string;
  user: string;
  state: string;
  total: number;
  copied: number;
  skipped: number;
  failed: number;
  deleted: number;
  message?: string;
  errors: { artifact: string; error: string; attempts: number }[];
}

const EXECS = (policy: string) => `/registry/v1/replications/${policy}/executions`;
const ACCEPT = { accept: [OCI_MANIFEST, OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json'].join(', ') };

let a: Running;
let b: Running;
/** A platform on a virtual control clock: the scheduler and retry backoff move only when told. */
let c: Running;
const vclock = new VirtualClock(Date.now());
let reg: DockerRegistry;
let ociA: Oci;
let ociB: Oci;
let plain: Oci;
const ociC = () => Oci.bearer(c.platform.url, c.platform.adminToken);

function policy(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'bulkhead.dev/v1', kind: 'ReplicationPolicy', metadata: { name }, spec };
}

async function createPolicy(api: Api, name: string, spec: Record<string, unknown>): Promise<void> {
  const res = await api.post(`${V1}/replicationpolicies`, policy(name, spec));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** Starts an execution by hand and waits for its end. */
async function runPolicy(api: Api, name: string): Promise<Execution> {
  const started = await api.post<Execution>(EXECS(name), {});
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body.state).toBe('Running');
  return finished(api, name, started.body.id);
}

async function finished(api: Api, name: string, id: string): Promise<Execution> {
  return eventually(
    async () => {
      const r = await api.get<Execution>(`${EXECS(name)}/${id}`);
      return r.status === 200 && r.body.state !== 'Running' ? r.body : undefined;
    },
    60_000,
    `execution ${id} of ${name} to end`,
  );
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const addr = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof addr === 'object' && addr ? addr.port : 0;
}

/** docker-registry 2.8.2 answers a single-POST upload with 202: push POST then PUT, as a client must. */
async function pushPlainBlob(repo: string, bytes: Buffer): Promise<void> {
  const post = await plain.fetch('POST', `/v2/${repo}/blobs/uploads/`);
  expect(post.status).toBe(202);
  const loc = new URL(post.headers.get('location') ?? '', reg.url);
  loc.searchParams.set('digest', digestOf(bytes));
  const put = await plain.fetch('PUT', loc.toString(), bytes, { 'content-type': 'application/octet-stream' });
  expect(put.status, await put.text()).toBe(201);
}

async function pushPlainImage(repo: string, tags: readonly string[]): Promise<{ digest: string; manifest: Buffer; blobs: Buffer[] }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: randomBytes(6).toString('hex') }));
  const layer = randomBytes(3000);
  for (const blob of [config, layer]) await pushPlainBlob(repo, blob);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: OCI_LAYER, digest: digestOf(layer), size: layer.length }],
    }),
  );
  for (const tag of tags) expect((await plain.pushManifest(repo, tag, manifest)).status).toBe(201);
  return { digest: digestOf(manifest), manifest, blobs: [config, layer] };
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

/** A cosign-style signature manifest for `subject`, pushed under `sha256-<hex>.sig`. */
async function pushSignature(oci: Oci, repo: string, subject: string): Promise<{ tag: string; manifest: Buffer }> {
  const payload = Buffer.from(JSON.stringify({ critical: { image: { 'docker-manifest-digest': subject }, type: 'cosign container image signature' } }));
  const config = Buffer.from('{}');
  for (const bytes of [payload, config]) expect((await oci.pushBlob(repo, { bytes, digest: digestOf(bytes) })).status).toBe(201);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: digestOf(payload), size: payload.length, annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQ==' } }],
    }),
  );
  const tag = `${subject.replace(':', '-')}.sig`;
  expect((await oci.pushManifest(repo, tag, manifest)).status).toBe(201);
  return { tag, manifest };
}

beforeAll(async () => {
  if (!installed) return;
  ensureBuilt();
  [a, b, c, reg] = await Promise.all([startTestPlatform(), startTestPlatform(), startTestPlatform({ controlClock: vclock }), startDockerRegistry()]);
  ociA = Oci.bearer(a.platform.url, a.platform.adminToken);
  ociB = Oci.bearer(b.platform.url, b.platform.adminToken);
  plain = new Oci(reg.url);
  await createProject(a, 'acme-web', 'acme');
  await createProject(a, 'mirror', 'acme');
  await createUser(b, 'replicator', 'repl-pass-123');
  await createProject(b, 'acme-copy', 'acme', { members: [{ kind: 'User', name: 'replicator', role: 'developer' }] });
  await createProject(b, 'private', 'acme');
  await createProject(c, 'acme-web', 'acme');
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), c?.stop(), reg?.stop()]);
});

/** Moves the virtual clock in `stepMs` steps, letting real I/O run between them, until `check` holds. */
async function advanceUntil<T>(stepMs: number, check: () => Promise<T | undefined>, maxSteps = 200): Promise<T> {
  for (let i = 0; i < maxSteps; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await vclock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`condition not reached after ${maxSteps} steps of ${stepMs} ms`);
}

suite('push to docker-registry 2.8.2', () => {
  let v1: Awaited<ReturnType<Oci['pushImage']>>;
  let v2: Awaited<ReturnType<Oci['pushImage']>>;
  let bigLayer: Buffer;
  let firstId: string;

  it('copies the selected repositories and tags, byte for byte, including a layer above the chunk size', async () => {
    v1 = await ociA.pushImage('acme-web/app', 'v1');
    v2 = await ociA.pushImage('acme-web/app', 'v2');
    await ociA.pushImage('acme-web/app', 'dev');
    await ociA.pushImage('acme-web/tools/cli', 'v1');
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' }));
    bigLayer = randomBytes(11 * 1024 * 1024 + 17);
    for (const bytes of [config, bigLayer]) expect((await ociA.pushBlob('acme-web/big', { bytes, digest: digestOf(bytes) })).status).toBe(201);
    const big = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
        layers: [{ mediaType: OCI_LAYER, digest: digestOf(bigLayer), size: bigLayer.length }],
      }),
    );
    expect((await ociA.pushManifest('acme-web/big', 'v1', big)).status).toBe(201);

    await createPolicy(a.admin, 'to-registry', {
      direction: 'push',
      project: 'acme-web',
      remote: { url: reg.url },
      destinationNamespace: 'mirror',
      filters: { repositories: '{app,big}', tags: 'v*' },
      trigger: { type: 'manual' },
    });
    const exec = await runPolicy(a.admin, 'to-registry');
    expect(exec).toMatchObject({ state: 'Succeeded', trigger: 'manual', user: 'admin', total: 3, copied: 3, skipped: 0, failed: 0 });
    firstId = exec.id;

    const tags = (await (await plain.fetch('GET', '/v2/mirror/app/tags/list')).json()) as { tags: string[] };
    expect([...tags.tags].sort()).toEqual(['v1', 'v2']);
    for (const img of [v1, v2]) {
      const m = await plain.fetch('GET', `/v2/mirror/app/manifests/${img.digest}`, undefined, ACCEPT);
      expect(m.status).toBe(200);
      expect((await bytesOf(m)).equals(img.manifest)).toBe(true);
      for (const blob of img.blobs) expect((await bytesOf(await plain.fetch('GET', `/v2/mirror/app/blobs/${blob.digest}`))).equals(blob.bytes)).toBe(true);
    }
    const tagged = await plain.fetch('GET', '/v2/mirror/app/manifests/v1', undefined, ACCEPT);
    expect(tagged.headers.get('docker-content-digest')).toBe(v1.digest);
    await tagged.arrayBuffer();
    const bigBack = await bytesOf(await plain.fetch('GET', `/v2/mirror/big/blobs/${digestOf(bigLayer)}`));
    expect(createHash('sha256').update(bigBack).digest('hex')).toBe(digestOf(bigLayer).slice(7));
    expect((await plain.fetch('GET', '/v2/mirror/tools/cli/tags/list')).status).toBe(404);
  }, 60_000);

  it('finds everything up to date on the next run, and keeps both executions in the status', async () => {
    const exec = await runPolicy(a.admin, 'to-registry');
    expect(exec).toMatchObject({ state: 'Succeeded', total: 3, copied: 0, skipped: 3 });
    const p = await a.admin.get<{ status: { executions: Execution[] } }>(`${V1}/replicationpolicies/to-registry`);
    expect(p.body.status.executions.map((e) => e.id)).toEqual([exec.id, firstId]);
    const list = await a.admin.get<{ items: Execution[] }>(EXECS('to-registry'));
    expect(list.body.items.map((e) => e.id)).toEqual([exec.id, firstId]);
    const log = await a.admin.get<{ items: { verb: string; name?: string; code: number; user: string; tenant?: string }[] }>('/audit/log?limit=1000');
    const entries = log.body.items.filter((e) => e.verb === 'replicate' && e.name?.startsWith('to-registry/'));
    expect(entries.map((e) => e.name)).toEqual([`to-registry/${firstId}`, `to-registry/${exec.id}`]);
    expect(entries.every((e) => e.code === 200 && e.user === 'admin' && e.tenant === 'acme')).toBe(true);
  });
});

suite('pull from docker-registry 2.8.2', () => {
  it('brings the filtered remote repositories into the project, listing them with /v2/_catalog', async () => {
    const hello = await pushPlainImage('library/hello', ['1.0', 'latest']);
    await pushPlainImage('library/other', ['2']);
    await pushPlainImage('tools/x', ['1']);
    await createPolicy(a.admin, 'from-registry', { direction: 'pull', project: 'mirror', remote: { url: reg.url }, filters: { repositories: 'library/**' }, trigger: { type: 'manual' } });
    const exec = await runPolicy(a.admin, 'from-registry');
    expect(exec).toMatchObject({ state: 'Succeeded', total: 2, copied: 2, failed: 0 });
    const m = await ociA.fetch('GET', '/v2/mirror/library/hello/manifests/1.0');
    expect(m.status).toBe(200);
    expect((await bytesOf(m)).equals(hello.manifest)).toBe(true);
    const tags = (await (await ociA.fetch('GET', '/v2/mirror/library/hello/tags/list')).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['1.0', 'latest']);
    for (const blob of hello.blobs) expect((await bytesOf(await ociA.fetch('GET', `/v2/mirror/library/hello/blobs/${digestOf(blob)}`))).equals(blob)).toBe(true);
    expect((await ociA.fetch('GET', '/v2/mirror/tools/x/tags/list')).status).toBe(404);

    // An immutable tag here is not replicated over when the remote moves it.
    const project = await a.admin.get<{ metadata: Record<string, unknown>; spec: Record<string, unknown> }>(`${V1}/projects/mirror`);
    const pinned = { ...project.body, spec: { ...project.body.spec, immutableTags: [{ repositories: 'library/hello', tags: '1.0' }] } };
    expect((await a.admin.put(`${V1}/projects/mirror`, pinned)).status).toBe(200);
    await pushPlainImage('library/hello', ['1.0']);
    const again = await runPolicy(a.admin, 'from-registry');
    expect(again).toMatchObject({ state: 'Failed', failed: 1 });
    expect(again.errors[0]?.artifact).toBe('library/hello:1.0');
    expect(again.errors[0]?.error).toContain('immutable');
    expect((await bytesOf(await ociA.fetch('GET', '/v2/mirror/library/hello/manifests/1.0'))).equals(hello.manifest)).toBe(true);
  });
});

suite('between two Bulkhead platforms', () => {
  let index: Buffer;
  let children: { digest: string; manifest: Buffer }[];
  let sig: { tag: string; manifest: Buffer };
  let referrer: string;

  it('keeps a write-only credential: stored, listed without its password, refused when malformed', async () => {
    const put = await a.admin.put('/registry/v1/replication-credentials/b-creds', { username: 'replicator', password: 'repl-pass-123' });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body).toEqual({ name: 'b-creds', username: 'replicator' });
    const list = await a.admin.get('/registry/v1/replication-credentials');
    expect(JSON.stringify(list.body)).not.toContain('repl-pass-123');
    expect(list.body).toMatchObject({ items: [{ name: 'b-creds', username: 'replicator' }] });
    const bad = await a.admin.put('/registry/v1/replication-credentials/b-creds', { username: 'x' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('password');
  });

  it('pushes an index with its children, its cosign signature tag and its OCI referrer, through the token flow', async () => {
    const amd = await ociA.pushImage('acme-web/multi', 'amd64');
    const arm = await ociA.pushImage('acme-web/multi', 'arm64');
    children = [amd, arm];
    index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: children.map((c) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.manifest.length })) }));
    expect((await ociA.pushManifest('acme-web/multi', 'release', index, OCI_INDEX)).status).toBe(201);
    sig = await pushSignature(ociA, 'acme-web/multi', digestOf(index));
    const sbom = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
    const empty = Buffer.from('{}');
    for (const bytes of [sbom, empty]) expect((await ociA.pushBlob('acme-web/multi', { bytes, digest: digestOf(bytes) })).status).toBe(201);
    const ref = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: 'application/spdx+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: 2 },
        layers: [{ mediaType: 'application/spdx+json', digest: digestOf(sbom), size: sbom.length }],
        subject: { mediaType: OCI_INDEX, digest: digestOf(index), size: index.length },
      }),
    );
    referrer = digestOf(ref);
    expect((await ociA.pushManifest('acme-web/multi', referrer, ref)).status).toBe(201);

    await createPolicy(a.admin, 'to-b', {
      direction: 'push',
      project: 'acme-web',
      remote: { url: b.platform.url, credentials: { secretRef: 'b-creds' } },
      destinationNamespace: 'acme-copy',
      filters: { repositories: 'multi', tags: 'release' },
      trigger: { type: 'manual' },
    });
    const stored = await a.admin.get(`${V1}/replicationpolicies/to-b`);
    expect(JSON.stringify(stored.body)).not.toContain('repl-pass-123');
    const exec = await runPolicy(a.admin, 'to-b');
    expect(exec).toMatchObject({ state: 'Succeeded', total: 1, copied: 1, failed: 0 });

    const got = await ociB.fetch('GET', '/v2/acme-copy/multi/manifests/release');
    expect(got.headers.get('content-type')).toBe(OCI_INDEX);
    expect((await bytesOf(got)).equals(index)).toBe(true);
    for (const c of children) expect((await bytesOf(await ociB.fetch('GET', `/v2/acme-copy/multi/manifests/${c.digest}`))).equals(c.manifest)).toBe(true);
    expect((await bytesOf(await ociB.fetch('GET', `/v2/acme-copy/multi/manifests/${sig.tag}`))).equals(sig.manifest)).toBe(true);
    const refs = (await (await ociB.fetch('GET', `/v2/acme-copy/multi/referrers/${digestOf(index)}`)).json()) as { manifests: { digest: string; artifactType?: string }[] };
    expect(refs.manifests).toEqual([expect.objectContaining({ digest: referrer, artifactType: 'application/spdx+json' })]);
    const tags = (await (await ociB.fetch('GET', '/v2/acme-copy/multi/tags/list')).json()) as { tags: string[] };
    expect(tags.tags).toEqual(['release', sig.tag].sort());
    // The copies were made as the remote user the credential names.
    const log = await b.admin.get<{ items: { user: string; verb: string; name?: string }[] }>('/audit/log?limit=1000');
    expect(log.body.items.some((e) => e.user === 'replicator' && e.verb === 'push' && e.name?.startsWith('acme-copy/multi:release'))).toBe(true);
  });

  it("pulls back everything the remote's catalog lets the credential see", async () => {
    // A repository in a project the remote user is not a member of stays invisible to it.
    await ociB.pushImage('private/secret', 'release');
    const remote = { url: b.platform.url, credentials: { secretRef: 'b-creds' } };
    await createPolicy(a.admin, 'from-b', { direction: 'pull', project: 'mirror', remote, filters: { tags: 'release' }, trigger: { type: 'manual' } });
    const exec = await runPolicy(a.admin, 'from-b');
    expect(exec).toMatchObject({ state: 'Succeeded', total: 1, copied: 1, failed: 0 });
    expect((await ociA.fetch('GET', '/v2/mirror/private/secret/tags/list')).status).toBe(404);
    expect((await bytesOf(await ociA.fetch('GET', '/v2/mirror/acme-copy/multi/manifests/release'))).equals(index)).toBe(true);
    expect((await ociA.fetch('HEAD', `/v2/mirror/acme-copy/multi/manifests/${sig.tag}`)).status).toBe(200);
  });

  it('fails with the remote refusing bad credentials, without retrying them', async () => {
    await createPolicy(a.admin, 'to-b-badpw', {
      direction: 'push',
      project: 'acme-web',
      remote: { url: b.platform.url, credentials: { username: 'replicator', password: 'wrong-password' } },
      destinationNamespace: 'acme-copy',
      filters: { repositories: 'multi', tags: 'release' },
      trigger: { type: 'manual' },
    });
    const exec = await runPolicy(a.admin, 'to-b-badpw');
    expect(exec).toMatchObject({ state: 'Failed', failed: 1 });
    expect(exec.errors[0]).toMatchObject({ artifact: 'acme-web/multi:release', attempts: 1 });
    expect(exec.errors[0]?.error).toMatch(/401/);
  });
});

suite('on push', () => {
  it('replicates matching pushes, later signatures and deletes in the background; others stay home', async () => {
    await createPolicy(a.admin, 'live', {
      direction: 'push',
      project: 'acme-web',
      remote: { url: reg.url },
      destinationNamespace: 'live',
      filters: { repositories: 'web', tags: 'release-*' },
      trigger: { type: 'onPush' },
      deletion: true,
    });
    const r1 = await ociA.pushImage('acme-web/web', 'release-1');
    const at = (ref: string) => plain.fetch('GET', `/v2/live/web/manifests/${ref}`, undefined, ACCEPT);
    const copied = await eventually(async () => {
      const res = await at('release-1');
      return res.status === 200 ? bytesOf(res) : undefined;
    });
    expect(copied.equals(r1.manifest)).toBe(true);

    await ociA.pushImage('acme-web/web', 'dev');
    const r2 = await ociA.pushImage('acme-web/web', 'release-2');
    await eventually(async () => ((await at('release-2')).status === 200 ? true : undefined));
    expect((await at('dev')).status).toBe(404);

    const s = await pushSignature(ociA, 'acme-web/web', r1.digest);
    const signed = await eventually(async () => {
      const res = await at(s.tag);
      return res.status === 200 ? bytesOf(res) : undefined;
    });
    expect(signed.equals(s.manifest)).toBe(true);

    expect((await ociA.fetch('DELETE', `/v2/acme-web/web/manifests/${r2.digest}`)).status).toBe(202);
    await eventually(async () => ((await plain.fetch('HEAD', `/v2/live/web/manifests/${r2.digest}`, undefined, ACCEPT)).status === 404 ? true : undefined));

    const execs = await eventually(async () => {
      const list = await a.admin.get<{ items: Execution[] }>(EXECS('live'));
      return list.body.items.length > 0 && list.body.items.every((e) => e.state !== 'Running') ? list.body.items : undefined;
    });
    expect(execs.every((e) => e.trigger === 'onPush' && e.user === 'system:replication' && e.state === 'Succeeded')).toBe(true);
    const totals = execs.reduce((acc, e) => ({ copied: acc.copied + e.copied, deleted: acc.deleted + e.deleted }), { copied: 0, deleted: 0 });
    expect(totals).toEqual({ copied: 3, deleted: 1 });
  });
});

suite('scheduled (virtual clock)', () => {
  it('runs every N minutes of the platform clock, not before', async () => {
    await ociC().pushImage('acme-web/app', 'v1');
    await createPolicy(c.admin, 'hourly', { direction: 'push', project: 'acme-web', remote: { url: reg.url }, destinationNamespace: 'sched', filters: { repositories: 'app', tags: 'v1' }, trigger: { type: 'scheduled', everyMinutes: 60 } });
    const list = async () => (await c.admin.get<{ items: Execution[] }>(EXECS('hourly'))).body.items;
    for (let m = 0; m < 58; m++) {
      await vclock.advance(60_000);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await list()).toEqual([]);
    const first = await advanceUntil(60_000, async () => (await list()).find((e) => e.state === 'Succeeded'));
    expect(first).toMatchObject({ trigger: 'scheduled', user: 'system:replication', copied: 1 });
    expect((await plain.fetch('GET', '/v2/sched/app/manifests/v1', undefined, ACCEPT)).status).toBe(200);
    const second = await advanceUntil(60_000, async () => (await list()).find((e) => e.state === 'Succeeded' && e.id !== first.id), 80);
    expect(second).toMatchObject({ trigger: 'scheduled', copied: 0, skipped: 1 });
    expect((await c.admin.del(`${V1}/replicationpolicies/hourly`)).status).toBe(200);
  });
});

suite('a remote that is down (virtual clock)', () => {
  it('retries each artifact with backoff, fails it with the error, fails the rest fast, and audits it', async () => {
    await ociC().pushImage('acme-web/app', 'v2');
    const port = await closedPort();
    await createPolicy(c.admin, 'to-nowhere', { direction: 'push', project: 'acme-web', remote: { url: `http://127.0.0.1:${port}` }, filters: { repositories: 'app', tags: 'v*' }, trigger: { type: 'manual' } });
    const started = await c.admin.post<Execution>(EXECS('to-nowhere'), {});
    expect(started.status).toBe(202);
    // The first attempt failed at once; the retry waits on the clock, so the execution is still running.
    await new Promise((r) => setTimeout(r, 300));
    const busy = await c.admin.post<{ message: string }>(EXECS('to-nowhere'), {});
    expect(busy.status).toBe(409);
    expect(busy.body.message).toContain(started.body.id);
    expect((await c.admin.get<Execution>(`${EXECS('to-nowhere')}/${started.body.id}`)).body.state).toBe('Running');
    const exec = await advanceUntil(1000, async () => {
      const r = await c.admin.get<Execution>(`${EXECS('to-nowhere')}/${started.body.id}`);
      return r.body.state === 'Running' ? undefined : r.body;
    });
    expect(exec).toMatchObject({ state: 'Failed', total: 2, copied: 0, failed: 2 });
    expect(exec.errors[0]).toMatchObject({ artifact: 'acme-web/app:v1', attempts: 3 });
    expect(exec.errors[0]?.error).toMatch(/ECONNREFUSED/);
    expect(exec.errors[1]).toMatchObject({ artifact: 'acme-web/app:v2', attempts: 0 });
    expect(exec.errors[1]?.error).toMatch(/^not attempted: cannot reach/);
    const log = await c.admin.get<{ items: { verb: string; name?: string; code: number; user: string; tenant?: string; reason?: string }[] }>('/audit/log?limit=1000');
    const entry = log.body.items.find((e) => e.verb === 'replicate' && e.name === `to-nowhere/${exec.id}`);
    expect(entry).toMatchObject({ code: 500, user: 'admin', tenant: 'acme' });
    expect(entry?.reason).toMatch(/^Failed: /);
  });
});

suite('validation and access', () => {
  const base = { direction: 'push', project: 'acme-web', remote: { url: 'http://127.0.0.1:5000' }, trigger: { type: 'manual' } };
  const cases: { what: string; spec: Record<string, unknown>; field: string }[] = [
    { what: 'an unknown direction', spec: { ...base, direction: 'sideways' }, field: 'spec.direction' },
    { what: 'a missing remote', spec: { ...base, remote: undefined }, field: 'spec.remote' },
    { what: 'a non-http URL', spec: { ...base, remote: { url: 'ftp://h' } }, field: 'spec.remote.url' },
    { what: 'a URL with a path', spec: { ...base, remote: { url: 'https://h/v2/' } }, field: 'spec.remote.url' },
    { what: 'plain http to another host', spec: { ...base, remote: { url: 'http://registry.example.com' } }, field: 'spec.remote.url' },
    { what: 'a user without a password', spec: { ...base, remote: { url: 'https://h', credentials: { username: 'u' } } }, field: 'spec.remote.credentials.password' },
    { what: 'both secretRef and a password', spec: { ...base, remote: { url: 'https://h', credentials: { secretRef: 's', username: 'u', password: 'p' } } }, field: 'spec.remote.credentials.secretRef' },
    { what: 'scheduled without a period', spec: { ...base, trigger: { type: 'scheduled' } }, field: 'spec.trigger.everyMinutes' },
    { what: 'an unknown trigger', spec: { ...base, trigger: { type: 'hourly' } }, field: 'spec.trigger.type' },
    { what: 'onPush on a pull policy', spec: { ...base, direction: 'pull', trigger: { type: 'onPush' } }, field: 'spec.trigger.type' },
    { what: 'deletion without onPush', spec: { ...base, deletion: true }, field: 'spec.deletion' },
    { what: 'a bad destination namespace', spec: { ...base, destinationNamespace: 'Bad//NS' }, field: 'spec.destinationNamespace' },
    { what: 'an unknown filter', spec: { ...base, filters: { labels: 'x' } }, field: 'spec.filters.labels' },
  ];
  it.each(cases)('refuses $what, naming $field', async ({ spec, field }) => {
    const res = await a.admin.post<{ message: string; details?: { causes?: { field: string }[] } }>(`${V1}/replicationpolicies`, policy('bad', spec));
    expect(res.status).toBe(422);
    expect(res.body.details?.causes?.map((c) => c.field)).toContain(field);
    expect(res.body.message).toContain(field);
  });

  it('answers 404 for a missing policy, 409 for a disabled one, 403 to a tenant user', async () => {
    expect((await a.admin.post(EXECS('no-such-policy'), {})).status).toBe(404);
    await createPolicy(a.admin, 'paused', { ...base, enabled: false });
    const paused = await a.admin.post(EXECS('paused'), {});
    expect(paused.status).toBe(409);
    expect(JSON.stringify(paused.body)).toContain('disabled');
    await createUser(a, 'dev1', 'dev1-password');
    const login = await a.anon.post<{ token: string }>('/auth/login', { username: 'dev1', password: 'dev1-password' });
    const dev = a.anon.as(login.body.token);
    expect((await dev.post(EXECS('paused'), {})).status).toBe(403);
    expect((await dev.get(EXECS('paused'))).status).toBe(403);
    expect((await dev.post(`${V1}/replicationpolicies`, policy('mine', base))).status).toBe(403);
    expect((await dev.put('/registry/v1/replication-credentials/x', { username: 'u', password: 'p' })).status).toBe(403);
  });
});

suite('CLI', () => {
  let env: Record<string, string>;
  beforeAll(() => {
    env = { BULKHEAD_CONFIG: join(mkdtempSync(join(tmpdir(), 'bulkhead-repl-cli-')), 'config.json'), BULKHEAD_SERVER: a.platform.url, BULKHEAD_TOKEN: a.platform.adminToken ?? '' };
  });
  const cli = (args: string[], stdin?: string) => runCli(args, { env, ...(stdin !== undefined ? { stdin } : {}) });

  it('runs a policy and waits, lists executions, and exits 1 when an execution fails', async () => {
    const ok = await cli(['replication', 'run', 'to-registry', '--wait']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ID\s+TRIGGER\s+STATE/);
    expect(ok.stdout).toMatch(/manual\s+Succeeded/);
    const list = await cli(['replication', 'executions', 'to-registry']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(4);
    const json = await cli(['replication', 'executions', 'to-registry', '-o', 'json']);
    expect((JSON.parse(json.stdout) as { items: Execution[] }).items[0]?.state).toBe('Succeeded');
    const bad = await cli(['replication', 'run', 'to-b-badpw', '--wait']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/manual\s+Failed/);
    expect(bad.stdout).toContain('401');
    const get = await cli(['get', 'replicationpolicies']);
    expect(get.stdout).toMatch(/to-registry\s+push\s+acme-web/);
  });

  it('applies a policy from YAML, and refuses a bad one naming the field before sending it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-repl-yaml-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: bulkhead.dev/v1',
        'kind: ReplicationPolicy',
        'metadata: { name: from-yaml }',
        'spec:',
        '  direction: push',
        '  project: acme-web',
        `  remote: { url: "${reg.url}", credentials: { secretRef: cli-cred } }`,
        '  filters: { repositories: "app", tags: "v*" }',
        '  trigger: { type: manual }',
        '',
      ].join('\n'),
    );
    const ok = await cli(['apply', '-f', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('replicationpolicy/from-yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('type: manual', 'type: scheduled'));
    const bad = await cli(['apply', '-f', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.trigger.everyMinutes');
  });

  it('stores a credential from stdin and lists it without the password', async () => {
    const set = await cli(['replication', 'set-credential', 'cli-cred', '--username', 'someone', '--password-stdin'], 'pw-from-stdin\n');
    expect(set.code, set.stderr).toBe(0);
    const list = await cli(['replication', 'credentials', '-o', 'json']);
    expect(list.stdout).toContain('cli-cred');
    expect(list.stdout).not.toContain('pw-from-stdin');
  });
});

if (installed) {
  runEndpointConformance('OciClient → Bulkhead (Basic → Bearer token flow)', async () => {
    await createProject(a, 'conf', 'acme');
    const endpoint = new OciClient({ url: a.platform.url, credentials: { username: 'admin', password: a.platform.adminToken ?? '' }, chunkBytes: 64 * 1024 });
    return { endpoint, namespace: 'conf', chunkBytes: 64 * 1024, close: async () => undefined };
  });
}
