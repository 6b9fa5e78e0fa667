// Registry garbage collection end to end: images pushed and deleted over /v2, POST/GET
// /registry/v1/gc, the blob files on disk, project usage, the audit trail and the CLI commands.
// The platform runs on a control clock that tests skip forward (wall time + an offset), so the
// 2-hour protection window and the 24-hour upload TTL pass without waiting.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/cli/client.js';
import { registryGcCommand, registryGcHistoryCommand } from '../../src/cli/commands/registry-maintenance.js';
import { render } from '../../src/cli/render.js';
import type { AuditEntry } from '../../src/store/index.js';
import { fakeContext } from '../cli/fake-context.js';
import { V1, startTestPlatform, type Running } from './harness.js';
import { SkewClock } from './skew-clock.js';
import { Oci, blob, createProject, createUser, digestOf, imageManifest, type Blob } from './registry-client.js';

const HOUR = 3_600_000;

interface GcRun {
  id: string;
  status: string;
  dryRun: boolean;
  blobsDeleted: number;
  bytesFreed: number;
  blobs: { digest: string; size: number }[];
  linksRemoved: number;
  uploadsCancelled: number;
  uploads: { id: string; repository: string }[];
}

const clock = new SkewClock();
let run: Running;
let admin: Oci;
const onDisk = (digest: string) => {
  const hex = digest.slice('sha256:'.length);
  return existsSync(join(run.dataDir, 'registry', 'blobs', 'sha256', hex.slice(0, 2), hex));
};
const gc = (body: Record<string, unknown> = {}) => run.admin.post<GcRun>('/registry/v1/gc', body);
/** Pushes a config, the given layers and a manifest tagged `tag`. */
async function pushWith(repo: string, tag: string, layers: readonly Blob[]): Promise<{ digest: string; manifest: Buffer; blobs: Blob[] }> {
  const config = blob(200);
  for (const b of [config, ...layers]) expect((await admin.pushBlob(repo, b)).status).toBe(201);
  const manifest = imageManifest(config, layers);
  expect((await admin.pushManifest(repo, tag, manifest)).status).toBe(201);
  return { digest: digestOf(manifest), manifest, blobs: [config, ...layers] };
}
const usage = async (project: string) => (await run.admin.get<{ status?: { usage?: { storageBytes: number; artifacts: number } } }>(`${V1}/projects/${project}`)).body.status?.usage;

beforeAll(async () => {
  run = await startTestPlatform({ controlClock: clock });
  await createProject(run, 'shop', 'acme');
  await createProject(run, 'other', 'acme');
  await createUser(run, 'tina', 'tina-secret-pw');
  await createProject(run, 'tinas', 'acme', { members: [{ kind: 'User', name: 'tina', role: 'projectAdmin' }] });
  admin = Oci.bearer(run.platform.url, run.platform.adminToken);
}, 60_000);
afterAll(async () => run?.stop());

describe('POST /registry/v1/gc', () => {
  it('is for platform administrators: a project admin gets 403, anonymous 401, a bad body 422 (Status objects)', async () => {
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: 'tina', password: 'tina-secret-pw' });
    const tina = run.anon.as(login.body.token);
    const denied = await tina.post<{ kind: string; code: number; reason: string }>('/registry/v1/gc', {});
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ kind: 'Status', code: 403, reason: 'Forbidden' });
    expect((await tina.get('/registry/v1/gc')).status).toBe(403);
    expect((await run.anon.post('/registry/v1/gc', {})).status).toBe(401);
    const bad = await gc({ dryRun: 'yes', force: true });
    expect(bad.status).toBe(422);
    expect((bad.body as unknown as { details: { causes: { field: string }[] } }).details.causes.map((c) => c.field).sort()).toEqual(['dryRun', 'force']);
  });

  it('frees a deleted image once the window has passed, keeps blobs other repositories use and recent uploads; a dry run only reports', async () => {
    const shared = blob(3000);
    const a = await pushWith('shop/app', 'v1', [blob(1500), shared]);
    const keep = await pushWith('other/app', 'v1', [shared]);
    expect((await admin.fetch('DELETE', `/v2/shop/app/manifests/${a.digest}`)).status).toBe(202);
    const recent = blob(700);
    expect((await admin.pushBlob('shop/recent', recent)).status).toBe(201); // its manifest has not come yet

    const early = await gc();
    expect(early.status).toBe(200);
    expect(early.body.status).toBe('Succeeded');
    for (const d of [a.digest, ...a.blobs.map((b) => b.digest), recent.digest]) expect(onDisk(d), d).toBe(true);
    expect(early.body.blobs.map((b) => b.digest)).not.toContain(a.digest); // unreferenced, but within the window
    expect((await admin.fetch('GET', `/v2/shop/recent/blobs/${recent.digest}`)).status).toBe(200);

    clock.skip(3 * HOUR);
    const exclusive = [a.digest, ...a.blobs.filter((b) => b !== shared).map((b) => b.digest), recent.digest];
    const dry = await gc({ dryRun: true });
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.blobs.map((b) => b.digest)).toEqual(expect.arrayContaining(exclusive));
    expect(dry.body.blobs.map((b) => b.digest)).not.toContain(shared.digest);
    for (const d of exclusive) expect(onDisk(d)).toBe(true);

    const real = await gc();
    expect(real.body.status).toBe('Succeeded');
    expect(real.body.blobs.map((b) => b.digest).sort()).toEqual(dry.body.blobs.map((b) => b.digest).sort());
    expect(real.body.bytesFreed).toBe(dry.body.bytesFreed);
    expect(real.body.bytesFreed).toBeGreaterThanOrEqual(a.manifest.length + a.blobs.reduce((n, b) => n + (b === shared ? 0 : b.bytes.length), 0) + recent.bytes.length);
    for (const d of exclusive) expect(onDisk(d), d).toBe(false);
    expect(onDisk(shared.digest)).toBe(true);
    expect((await admin.fetch('GET', `/v2/other/app/blobs/${shared.digest}`)).status).toBe(200);
    const pulled = await admin.fetch('GET', '/v2/other/app/manifests/v1', undefined, { accept: 'application/vnd.oci.image.manifest.v1+json' });
    expect(pulled.status).toBe(200);
    expect(digestOf(Buffer.from(await pulled.arrayBuffer()))).toBe(keep.digest);
    for (const b of keep.blobs) expect((await admin.fetch('GET', `/v2/other/app/blobs/${b.digest}`)).status).toBe(200);
    expect(await usage('shop')).toEqual({ storageBytes: 0, artifacts: 0 });
    expect((await usage('other'))?.artifacts).toBe(1);
  });

  it('cancels an upload abandoned for longer than the TTL, not before', async () => {
    const start = await admin.fetch('POST', '/v2/shop/slow/blobs/uploads/');
    expect(start.status).toBe(202);
    const location = start.headers.get('location') ?? '';
    const id = location.split('/').pop() ?? '';
    const patched = await admin.fetch('PATCH', location, Buffer.from('some bytes'), { 'content-type': 'application/octet-stream' });
    expect(patched.status).toBe(202);

    clock.skip(3 * HOUR);
    expect((await gc()).body.uploads.map((u) => u.id)).not.toContain(id);
    expect((await admin.fetch('GET', location)).status).toBe(204);

    clock.skip(24 * HOUR);
    const r = await gc();
    expect(r.body.uploads).toContainEqual(expect.objectContaining({ id, repository: 'shop/slow' }));
    expect((await admin.fetch('GET', location)).status).toBe(404);
  });

  it('keeps a history (newest first) and audits every run with verb gc', async () => {
    const h = await run.admin.get<{ items: GcRun[] }>('/registry/v1/gc?limit=3');
    expect(h.status).toBe(200);
    expect(h.body.items).toHaveLength(3);
    expect(h.body.items.every((r) => r.status === 'Succeeded')).toBe(true);
    expect((await run.admin.get('/registry/v1/gc?limit=0')).status).toBe(422);
    const log = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    const gcs = log.body.items.filter((e) => e.verb === 'gc' && e.decision === 'allow');
    expect(gcs.length).toBeGreaterThanOrEqual(5);
    const last = gcs[gcs.length - 1];
    expect(last?.user).toBe('admin');
    expect(last?.name).toBe(h.body.items[0]?.id);
    expect(last?.reason).toMatch(/^Succeeded: deleted \d+ blob\(s\)/);
    expect(log.body.items.some((e) => e.verb === 'gc' && e.decision === 'deny' && e.user === 'tina')).toBe(true);
  });
});

describe('bulkhead registry gc / gc-history', () => {
  const ctx = (format: 'table' | 'json' = 'table') => fakeContext({ format, client: new ApiClient({ baseUrl: run.platform.url, token: run.platform.adminToken }) });

  it('prints what a dry run would delete as a table, and the run itself with -o json', async () => {
    const img = await admin.pushImage('shop/cli', 'v1', 1);
    expect((await admin.fetch('DELETE', `/v2/shop/cli/manifests/${img.digest}`)).status).toBe(202);
    clock.skip(3 * HOUR);
    const out = await registryGcCommand.handler(ctx(), { args: [], opts: { dryRun: true } });
    const text = (await render(out, { format: 'table', color: false })).stdout;
    expect(text).toMatch(/^gc-\S+: Succeeded in [\d.]+s \(dry run: nothing was changed\)/);
    expect(text).toMatch(/blobs to delete\s+3\s+\d/);
    expect(onDisk(img.digest)).toBe(true);
    const json = JSON.parse((await render(await registryGcCommand.handler(ctx('json'), { args: [], opts: { deleteUntagged: true } }), { format: 'json', color: false })).stdout) as GcRun;
    expect(json.blobs.map((b) => b.digest)).toContain(img.digest);
    expect(onDisk(img.digest)).toBe(false);
  });

  it('lists runs in a table', async () => {
    const out = await registryGcHistoryCommand.handler(ctx(), { args: [], opts: { limit: '2' } });
    const text = (await render(out, { format: 'table', color: false })).stdout.split('\n');
    expect(text[0]).toMatch(/^ID\s+STATUS\s+DRY-RUN\s+STARTED/);
    expect(text[1]).toMatch(/^gc-\S+\s+Succeeded\s+no\s+/);
    expect(text[2]).toMatch(/^gc-\S+\s+Succeeded\s+yes\s+/);
  });
});
