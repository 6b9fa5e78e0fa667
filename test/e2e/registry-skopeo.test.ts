// A real client against the registry: skopeo (Debian package; CI installs it) pushes an OCI image
// layout made here, pulls it back byte-identical, inspects, lists tags, copies between two
// repositories, deletes; with the platform token, a user's password, a robot; and is denied
// without credentials on a private project. Skipped, with a note, when skopeo is not installed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type Running } from './harness.js';
import { hasSkopeo, runSkopeo } from './skopeo.js';
import { OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, createProject, createUser } from './registry-client.js';

const SKOPEO = hasSkopeo();
if (!SKOPEO) console.warn('registry-skopeo.test.ts: skopeo is not installed; skipping (apt-get install -y skopeo)');

let run: Running;
let work: string;
let host: string;

/** skopeo with its state in the test folder; policy checks off (these tests are about the registry). */
const skopeo = (args: string[]) => runSkopeo(work, ['--insecure-policy', ...args]);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes an OCI image layout (config + 2 random layers) tagged `tag`; returns blob digests and bytes. */
async function makeLayout(dir: string, tag: string): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (b: Buffer) => {
    const hex = sha(b);
    blobs.set(`sha256:${hex}`, b);
    await writeFile(join(dir, 'blobs', 'sha256', hex), b);
    return { digest: `sha256:${hex}`, size: b.length };
  };
  // Real gzip streams: skopeo recompresses layers it finds uncompressed, which would change digests.
  const layers = [await put(gzipSync(randomBytes(70_000))), await put(gzipSync(randomBytes(130_000)))];
  const config = await put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} })));
  const manifest = await put(
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, ...config }, layers: layers.map((l) => ({ mediaType: OCI_LAYER, ...l })) })),
  );
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
  return blobs;
}

describe.skipIf(!SKOPEO)('skopeo against the registry', () => {
  const suffix = randomBytes(3).toString('hex');
  const project = `sk-${suffix}`;
  const token = () => run.platform.adminToken ?? '';

  beforeAll(async () => {
    run = await startTestPlatform();
    work = await mkdtemp(join(tmpdir(), 'bulkhead-skopeo-'));
    await mkdir(join(work, 'tmp'), { recursive: true });
    host = run.platform.url.replace(/^http:\/\//, '');
    await createProject(run, project, 'acme');
    await createUser(run, 'pia', 'pia-password-12');
    const res = await run.admin.get<{ spec: Record<string, unknown>; metadata: Record<string, unknown> }>(`/apis/bulkhead.dev/v1/projects/${project}`);
    const updated = { ...res.body, spec: { ...res.body.spec, members: [{ kind: 'User', name: 'pia', role: 'developer' }] } };
    expect((await run.admin.put(`/apis/bulkhead.dev/v1/projects/${project}`, updated)).status).toBe(200);
  });
  afterAll(async () => {
    await run?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pushes an OCI layout with the platform token and pulls it back byte-identical', async () => {
    const src = join(work, 'src');
    const blobs = await makeLayout(src, 'v1');
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-registry-token', token(), `oci:${src}:v1`, `docker://${host}/${project}/app:v1`]);
    expect(push.code, push.stderr).toBe(0);
    const out = join(work, 'out');
    const pull = await skopeo(['copy', '--src-tls-verify=false', '--src-registry-token', token(), `docker://${host}/${project}/app:v1`, `oci:${out}:v1`]);
    expect(pull.code, pull.stderr).toBe(0);
    for (const [digest, bytes] of blobs) {
      const back = await readFile(join(out, 'blobs', 'sha256', digest.slice(7)));
      expect(back.equals(bytes), digest).toBe(true);
    }
  });

  it('inspects and lists tags', async () => {
    const inspect = await skopeo(['inspect', '--tls-verify=false', '--registry-token', token(), `docker://${host}/${project}/app:v1`]);
    expect(inspect.code, inspect.stderr).toBe(0);
    const info = JSON.parse(inspect.stdout) as { Layers: string[]; Architecture: string };
    expect(info.Layers).toHaveLength(2);
    expect(info.Architecture).toBe('amd64');
    const tags = await skopeo(['list-tags', '--tls-verify=false', '--registry-token', token(), `docker://${host}/${project}/app`]);
    expect(tags.code, tags.stderr).toBe(0);
    expect((JSON.parse(tags.stdout) as { Tags: string[] }).Tags).toEqual(['v1']);
  });

  it('copies between two repositories with a user password (cross-repository mount), then deletes', async () => {
    const creds = ['--src-creds', 'pia:pia-password-12', '--dest-creds', 'pia:pia-password-12'];
    const copy = await skopeo(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', ...creds, `docker://${host}/${project}/app:v1`, `docker://${host}/${project}/mirror:v1`]);
    expect(copy.code, copy.stderr).toBe(0);
    const admin = ['--tls-verify=false', '--registry-token', token()];
    const a = JSON.parse((await skopeo(['inspect', '--raw', ...admin, `docker://${host}/${project}/app:v1`])).stdout) as unknown;
    const b = JSON.parse((await skopeo(['inspect', '--raw', ...admin, `docker://${host}/${project}/mirror:v1`])).stdout) as unknown;
    expect(b).toEqual(a);
    const del = await skopeo(['delete', ...admin, `docker://${host}/${project}/mirror:v1`]);
    expect(del.code, del.stderr).toBe(0);
    const gone = await skopeo(['inspect', ...admin, `docker://${host}/${project}/mirror:v1`]);
    expect(gone.code).not.toBe(0);
  });

  it('a robot account pushes with --dest-creds robot$name:token', async () => {
    const res = await run.admin.post<{ username: string; token: string }>('/registry/v1/robots', { name: `ci-${suffix}`, project, permissions: ['pull', 'push'] });
    expect(res.status).toBe(201);
    const src = join(work, 'robot-src');
    await makeLayout(src, 'r1');
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `${res.body.username}:${res.body.token}`, `oci:${src}:r1`, `docker://${host}/${project}/robot:r1`]);
    expect(push.code, push.stderr).toBe(0);
  });

  it('is denied without credentials on a private project', async () => {
    const pull = await skopeo(['inspect', '--tls-verify=false', '--no-creds', `docker://${host}/${project}/app:v1`]);
    expect(pull.code).not.toBe(0);
    expect(pull.stderr).toMatch(/unauthorized|authentication required|denied/i);
    const src = join(work, 'anon-src');
    await makeLayout(src, 'x');
    const push = await skopeo(['copy', '--dest-tls-verify=false', '--dest-no-creds', `oci:${src}:x`, `docker://${host}/${project}/anon:x`]);
    expect(push.code).not.toBe(0);
  });
});
