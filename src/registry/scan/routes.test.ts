// On-demand scan route end to end: push an image with real tar layers through /v2, then
// POST /registry/v1/scan with advisories from <data>/registry/osv (the fixture set).
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type Running } from '../../../test/e2e/harness.js';
import { OCI_CONFIG, Oci, createProject, createUser, digestOf } from '../../../test/e2e/registry-client.js';
import { SCAN_PATH } from './routes.js';
import { makeTar } from './packages/tar-writer.test-util.js';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/osv');

let run: Running;
let dataDir: string;
let digest: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-scan-'));
  await cp(FIXTURES, join(dataDir, 'registry', 'osv'), { recursive: true });
  run = await startTestPlatform({ dataDir });
  await createUser(run, 'gus', 'gus-password-12');
  await createProject(run, 'shop', 'acme', { members: [{ kind: 'User', name: 'gus', role: 'guest' }] });
  const admin = Oci.bearer(run.platform.url, run.platform.adminToken);
  const layer = makeTar(
    [
      { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.18.4\n' },
      { path: 'lib/apk/db/installed', content: 'P:libcrypto3\nV:3.1.4-r0\no:openssl\n\nP:musl\nV:1.2.4-r1\n' },
      { path: 'app/package-lock.json', content: JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/minimist': { version: '1.2.5' } } }) },
    ],
    { gzip: true },
  );
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  for (const bytes of [config, layer]) expect((await admin.pushBlob('shop/app', { bytes, digest: digestOf(bytes) })).status).toBe(201);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(layer), size: layer.length }],
    }),
  );
  expect((await admin.pushManifest('shop/app', 'v1', manifest)).status).toBe(201);
  digest = digestOf(manifest);
});
afterAll(async () => {
  await run?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('POST /registry/v1/scan', () => {
  it('scans a pushed image by tag and by digest', async () => {
    for (const reference of ['v1', digest]) {
      const res = await run.admin.post<{ digest: string; summary: Record<string, number>; highest: string; manifests: { report: { packages: { name: string; vulnerabilities: { id: string; fixedVersions: string[] }[] }[] } }[] }>(SCAN_PATH, { repository: 'shop/app', reference });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.digest).toBe(digest);
      expect(res.body.summary).toEqual({ Critical: 1, High: 0, Medium: 1, Low: 0, Unknown: 0 });
      expect(res.body.highest).toBe('Critical');
      expect(res.body.manifests[0]!.report.packages.map((p) => [p.name, p.vulnerabilities.map((v) => `${v.id} ${v.fixedVersions.join(',')}`)]).sort()).toEqual([
        ['libcrypto3', ['ALPINE-CVE-2023-5678 3.1.4-r1']],
        ['minimist', ['GHSA-xvch-5gv4-984h 1.2.6']],
      ]);
    }
  });

  it('refuses bad input, unknown artifacts, callers without push, and anonymous callers', async () => {
    expect((await run.admin.post(SCAN_PATH, { repository: 'shop/app' })).status).toBe(400);
    expect((await run.admin.post(SCAN_PATH, { repository: '../etc', reference: 'v1' })).status).toBe(400);
    expect((await run.admin.post(SCAN_PATH, { repository: 'shop/app', reference: 'nope' })).status).toBe(404);
    expect((await run.admin.post(SCAN_PATH, { repository: 'ghost/app', reference: 'v1' })).status).toBe(404);
    expect((await run.anon.post(SCAN_PATH, { repository: 'shop/app', reference: 'v1' })).status).toBe(401);
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: 'gus', password: 'gus-password-12' });
    expect(login.status).toBe(200);
    // gus is a guest: may pull, may not scan
    expect((await run.anon.as(login.body.token).post(SCAN_PATH, { repository: 'shop/app', reference: 'v1' })).status).toBe(403);
  });
});
