// Scan on push and stored reports end to end: a pushed Debian image is scanned in the background
// against the OSV fixtures and its report appears under GET /registry/v1/scan; a corrupt layer
// stores an Error report without failing the push; `bulkhead image scan|report` print the tables.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/store/store.js';
import { makeTar } from '../../src/registry/scan/packages/tar-writer.test-util.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, type Reply, type Running } from './harness.js';
import { Oci, createProject, createUser, pushLayerImage } from './registry-client.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/osv');
const SCAN = '/registry/v1/scan';

interface Report {
  repository: string;
  digest: string;
  status: string;
  scannedAt: string;
  advisories: number;
  summary: Record<string, number>;
  highest?: string;
  error?: string;
  vulnerabilities: { id: string; package: string; installed: string; fixed: string; severity: string }[];
}

let run: Running;
let dataDir: string;
let admin: Oci;
let env: Record<string, string>;

const DPKG_STATUS = [
  'Package: openssl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11-1~deb12u1\n',
  'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nSource: zlib\nVersion: 1:1.2.13.dfsg-2\n',
].join('\n');

const pushImage = (repo: string, tag: string, layer: Buffer) => pushLayerImage(admin, repo, tag, layer);

const report = (repository: string, reference: string): Promise<Reply<Report>> => run.admin.get<Report>(`${SCAN}?repository=${encodeURIComponent(repository)}&reference=${encodeURIComponent(reference)}`);

/** Polls GET until the scan on push has stored a report. */
const storedReport = (repository: string, reference: string) =>
  eventually(async () => {
    const r = await report(repository, reference);
    return r.status === 200 ? r.body : undefined;
  }, 20_000, `scan report of ${repository}:${reference}`);

beforeAll(async () => {
  ensureBuilt();
  dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-scan-e2e-'));
  await cp(FIXTURES, join(dataDir, 'registry', 'osv'), { recursive: true });
  run = await startTestPlatform({ dataDir });
  await createUser(run, 'gus', 'gus-password-12');
  await createProject(run, 'shop', 'acme', { members: [{ kind: 'User', name: 'gus', role: 'guest' }] });
  admin = Oci.bearer(run.platform.url, run.platform.adminToken);
  env = { BULKHEAD_CONFIG: join(dataDir, 'cli-config.json'), BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '' };
}, 120_000);
afterAll(async () => {
  await run?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('scan on push', () => {
  let digest: string;

  it('stores a report for a pushed image, readable with pull permission', async () => {
    const layer = makeTar(
      [
        { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { path: 'var/lib/dpkg/status', content: DPKG_STATUS },
      ],
      { gzip: true },
    );
    const pushed = await pushImage('shop/deb', 'v1', layer);
    expect(pushed.status).toBe(201);
    digest = pushed.digest;
    const r = await storedReport('shop/deb', 'v1');
    expect(r.status).toBe('Success');
    expect(r.digest).toBe(digest);
    expect(r.advisories).toBeGreaterThan(0);
    const openssl = r.vulnerabilities.find((v) => v.id === 'DEBIAN-CVE-2023-5363');
    expect(openssl).toMatchObject({ package: 'openssl', installed: '3.0.11-1~deb12u1', fixed: '3.0.11-1~deb12u2', severity: 'High' });
    expect(r.summary.High).toBeGreaterThanOrEqual(1);
    // by digest too, and a guest (pull only) may read it
    expect((await report('shop/deb', digest)).body.digest).toBe(digest);
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: 'gus', password: 'gus-password-12' });
    const guest = await run.anon.as(login.body.token).get<Report>(`${SCAN}?repository=shop/deb&reference=v1`);
    expect(guest.status).toBe(200);
    expect((await run.anon.get(`${SCAN}?repository=shop/deb&reference=v1`)).status).toBe(401);
  });

  it('audits the scan', async () => {
    await run.platform.store.revision();
    const page = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    const scan = page.body.items.find((e) => e.verb === 'scan' && e.name === `shop/deb@${digest}`);
    expect(scan).toMatchObject({ resource: 'repositories', decision: 'allow', code: 200, tenant: 'acme' });
  });

  it('stores an Error report when the scan fails, and the push still succeeds', async () => {
    const corrupt = Buffer.concat([gzipSync(Buffer.alloc(2048, 1)).subarray(0, 20), Buffer.from('not gzip at all')]);
    const pushed = await pushImage('shop/broken', 'v1', corrupt);
    expect(pushed.status).toBe(201);
    const r = await storedReport('shop/broken', 'v1');
    expect(r.status).toBe('Error');
    expect(r.error).toBeTruthy();
    expect(r.vulnerabilities).toEqual([]);
    // the image is there all the same
    expect((await admin.fetch('GET', '/v2/shop/broken/manifests/v1', undefined, { accept: 'application/vnd.oci.image.manifest.v1+json' })).status).toBe(200);
  });

  it('answers 404 for an image never scanned and for an unknown tag', async () => {
    expect((await report('shop/deb', 'nope')).status).toBe(404);
    expect((await run.admin.get(`${SCAN}?repository=shop/deb`)).status).toBe(400);
  });
});

describe('bulkhead image scan|report', () => {
  it('scans and prints the summary and vulnerabilities tables', async () => {
    const r = await runCli(['image', 'scan', 'shop/deb:v1'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SEVERITY\s+COUNT/);
    expect(r.stdout).toMatch(/High\s+[1-9]/);
    expect(r.stdout).toMatch(/ID\s+PACKAGE\s+INSTALLED\s+FIXED\s+SEVERITY/);
    expect(r.stdout).toMatch(/DEBIAN-CVE-2023-5363\s+openssl\s+3\.0\.11-1~deb12u1\s+3\.0\.11-1~deb12u2\s+High/);
  });

  it('prints the stored report as JSON', async () => {
    const r = await runCli(['image', 'report', 'shop/deb:v1', '-o', 'json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as Report;
    expect(body.status).toBe('Success');
    expect(body.vulnerabilities.some((v) => v.id === 'DEBIAN-CVE-2023-5363')).toBe(true);
    const missing = await runCli(['image', 'report', 'shop/deb:nope'], { env });
    expect(missing.code).not.toBe(0);
  });
});
