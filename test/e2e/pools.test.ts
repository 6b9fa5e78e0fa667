// Resource pools end to end: a tenant's pool tree applied with the CLI, refusals that name the
// field and the conflict, VMs going to their tenant's and cluster's pools (a VM naming a pool is
// pinned to its zone), power-on reservation admission, pools readable by their tenant only, and
// entitlements under contention in each pool's and VM's status after a DRS pass.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

let run: Running;
let dir: string;
let aliceToken = '';
const env = (token: string) => ({ BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: token, BULKHEAD_CONFIG: join(dir, 'config.json') });
const cli = (args: string[], token = run.platform.adminToken ?? '') => runCli(args, { env: env(token) });
const pool = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'bulkhead.dev/v1', kind: 'ResourcePool', metadata: { name }, spec });

interface Status {
  code: number;
  message: string;
  details?: { causes?: { field: string; message: string }[] };
}
interface PoolObj {
  spec: Record<string, unknown>;
  status?: { vms?: number; cpu?: { demandMHz: number; entitlementMHz: number; usageMHz: number; reservedMHz: number }; conditions?: { type: string; status: string }[] };
}
interface VmObj {
  spec: { zone?: string };
  status?: { phase?: string; host?: string; resources?: { pool?: string; poolSource: string; cpu: { demandMHz: number; entitlementMHz: number; usageMHz: number; readyMs: number } } };
}

const TOPOLOGY = `
zones:
  - name: z1
    hostGroups:
      - { count: 2, namePrefix: z1-h, sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 8, memoryMiB: 65536, nicMbps: 25000 }
  - name: z2
    hostGroups:
      - { count: 1, namePrefix: z2-h, sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 8, memoryMiB: 65536, nicMbps: 25000 }
`;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-pools-'));
  await writeFile(join(dir, 'topology.yaml'), TOPOLOGY);
  run = await startTestPlatform({ timeScale: 2000, topologyFile: join(dir, 'topology.yaml') });
  // Passes only when the test asks ("Run DRS now"), so figures are taken at known moments.
  const z = await run.admin.get<{ spec: Record<string, unknown> }>(`${V1}/zones/z1`);
  await run.admin.put(`${V1}/zones/z1`, { ...z.body, spec: { ...z.body.spec, drs: { intervalSeconds: 86400 } } });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('beta', 'low'));
  await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name: 'alice' } });
  await run.admin.put('/auth/users/alice/password', { password: 'alice-secret-pw' });
  await run.admin.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'alice-acme' }, spec: { role: 'tenant-member', subjects: [{ kind: 'User', name: 'alice' }], tenant: 'acme' } });
  aliceToken = (await run.anon.post<{ token: string }>('/auth/login', { username: 'alice', password: 'alice-secret-pw' })).body.token;
}, 120_000);
afterAll(async () => {
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a pool tree per zone', () => {
  it('applies a tenant pool with a child for one of its clusters, with the CLI', async () => {
    await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
    await writeFile(
      join(dir, 'pools.yaml'),
      `apiVersion: bulkhead.dev/v1
kind: ResourcePool
metadata: { name: acme }
spec:
  zone: z1
  tenant: acme
  tenantDefault: true
  cpu: { shares: { level: high }, reservationMHz: 8000, expandableReservation: false }
---
apiVersion: bulkhead.dev/v1
kind: ResourcePool
metadata: { name: acme-web }
spec: { zone: z1, parent: acme, tenant: acme, clusters: [web], cpu: { reservationMHz: 2000 } }
---
apiVersion: bulkhead.dev/v1
kind: ResourcePool
metadata: { name: batch }
spec: { zone: z1, cpu: { shares: { level: low } } }
`,
    );
    const r = await cli(['apply', '-f', join(dir, 'pools.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    const list = await cli(['get', 'pools']);
    expect(list.stdout).toMatch(/^acme-web\s+z1\s+acme\s+acme\s+normal\s+2000\s/m);
    const stored = await run.admin.get<PoolObj>(`${V1}/resourcepools/batch`);
    // Defaults filled in: expandable, no reservation, normal memory shares.
    expect(stored.body.spec).toMatchObject({ cpu: { shares: { level: 'low' }, reservationMHz: 0, expandableReservation: true }, memory: { shares: { level: 'normal' } } });
  });

  it.each([
    ['a reservation above what its fixed parent has left', pool('p', { zone: 'z1', parent: 'acme', tenant: 'acme', cpu: { reservationMHz: 7000 } }), 'spec.cpu.reservationMHz', /does not fit in "acme": 6000 MHz available/],
    ['custom shares out of range', pool('p', { zone: 'z1', memory: { shares: { level: 'custom', shares: 0 } } }), 'spec.memory.shares.shares', /./],
    ['shares given with a named level', pool('p', { zone: 'z1', cpu: { shares: { level: 'high', shares: 10 } } }), 'spec.cpu.shares.shares', /only allowed when level is "custom"/],
    ['a cluster another pool of the zone takes', pool('p', { zone: 'z1', tenant: 'acme', clusters: ['web'] }), 'spec.clusters[0]', /already maps to pool "acme-web" in zone "z1"/],
    ['a second default for the tenant in the zone', pool('p', { zone: 'z1', tenant: 'acme', tenantDefault: true }), 'spec.tenantDefault', /pool "acme" is already tenant "acme"'s default in zone "z1"/],
    ['a parent in another zone', pool('p', { zone: 'z2', parent: 'batch' }), 'spec.parent', /pool "batch" is in zone "z1", not "z2"/],
  ])('refuses %s with a 422 naming the field', async (_what, body, field, message) => {
    const r = await run.admin.post<Status>(`${V1}/resourcepools`, body);
    expect(r.status).toBe(422);
    const cause = r.body.details?.causes?.find((c) => c.field === field);
    expect(cause, r.body.message).toBeDefined();
    expect(cause?.message).toMatch(message);
  });

  it('refuses deleting a pool that still has children, naming them', async () => {
    const r = await cli(['delete', 'resourcepool', 'acme']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: resource pool "acme" still has child pools acme-web; delete or move them first\n');
  });

  it("lets the tenant's users read the tenant's pools and no others", async () => {
    const list = await run.anon.as(aliceToken).get<{ items: { metadata: { name: string } }[] }>(`${V1}/resourcepools`);
    expect(list.body.items.map((p) => p.metadata.name).sort()).toEqual(['acme', 'acme-web']);
    expect((await run.anon.as(aliceToken).get(`${V1}/resourcepools/batch`)).status).toBe(404);
    expect((await run.anon.as(aliceToken).post(`${V1}/resourcepools`, pool('mine', { zone: 'z1', tenant: 'acme' }))).status).toBe(403);
  });
});

describe('VMs in pools', () => {
  it("pins a VM naming a pool to the pool's zone and refuses a reservation the pool cannot give", async () => {
    const created = await run.admin.post<VmObj>(`${V1}/virtualmachines`, vm('named', 'acme', 4, 8192, { resources: { pool: 'batch' } }));
    expect(created.status).toBe(201);
    expect(created.body.spec.zone).toBe('z1');
    const other = await run.admin.post<Status>(`${V1}/virtualmachines`, vm('stranger', 'beta', 2, 4096, { resources: { pool: 'acme' } }));
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/spec\.resources\.pool: pool "acme" belongs to tenant "acme"/);
    const big = await run.admin.post<Status>(`${V1}/virtualmachines`, vm('greedy', 'acme', 8, 8192, { resources: { pool: 'acme-web', cpu: { reservationMHz: 9000 } } }));
    expect(big.status).toBe(422);
    expect(big.body.details?.causes?.[0]).toMatchObject({ field: 'spec.resources.cpu.reservationMHz' });
    expect(big.body.message).toMatch(/8000 MHz available/);
  });

  it("puts VMs in their tenant's and their cluster's pool of the zone they run in, and writes entitlements under contention at the pass", async () => {
    const hungry = JSON.stringify({ kind: 'constant', cpuMillis: 8000, memoryMiB: 2048 });
    const add = async (name: string, tenantName: string, extra: Record<string, unknown>) => {
      const v = vm(name, tenantName, 8, 8192, { zone: 'z1', ...extra });
      expect((await run.admin.post(`${V1}/virtualmachines`, { ...v, metadata: { ...v.metadata, annotations: { 'bulkhead.dev/demand-profile': hungry } } })).status).toBe(201);
    };
    await add('acme-1', 'acme', {});
    await add('acme-2', 'acme', {});
    await add('batch-1', 'beta', { resources: { pool: 'batch' } });
    await add('batch-2', 'beta', { resources: { pool: 'batch' } });
    const all = async () => (await run.admin.get<{ items: (VmObj & { metadata: { name: string } })[] }>(`${V1}/virtualmachines`)).body.items;
    // The cluster "web" (created above) got its node VMs from the cluster controller, in both zones.
    await eventually(async () => {
      const vms = await all();
      const ours = vms.filter((v) => /^(acme|batch)-\d$/.test(v.metadata.name) || v.metadata.name.startsWith('web-'));
      return ours.length >= 6 && ours.every((v) => v.status?.phase === 'Running') ? true : undefined;
    }, 30_000, 'VMs running');
    const pass = await run.admin.post<{ outcome: string }>('/drs/v1/zones/z1/run', {});
    expect(pass.body.outcome).toBe('ran');
    await run.admin.post('/drs/v1/zones/z2/run', {});
    const get = async (n: string) => (await run.admin.get<VmObj>(`${V1}/virtualmachines/${n}`)).body.status?.resources;
    expect(await get('acme-1')).toMatchObject({ pool: 'acme', poolSource: 'tenant' });
    expect(await get('batch-1')).toMatchObject({ pool: 'batch', poolSource: 'explicit' });
    const nodes = (await all()).filter((v) => v.metadata.name.startsWith('web-'));
    for (const n of nodes) {
      const r = await get(n.metadata.name);
      if (n.status?.host?.startsWith('z1-')) expect(r).toMatchObject({ pool: 'acme-web', poolSource: 'cluster' });
      else expect(r).toMatchObject({ poolSource: 'root' });
    }
    // 4 VMs x 16 GHz of demand in a 32 GHz zone: acme's high shares beat batch's low ones.
    const acme = (await get('acme-1'))?.cpu;
    const batch = (await get('batch-1'))?.cpu;
    expect(acme?.demandMHz).toBe(16_000);
    expect(acme?.entitlementMHz).toBeLessThan(16_000);
    expect(acme?.entitlementMHz).toBeGreaterThan(batch?.entitlementMHz as number);
    const pool = (await run.admin.get<PoolObj>(`${V1}/resourcepools/acme`)).body.status;
    expect(pool?.vms).toBe(2);
    expect(pool?.cpu?.entitlementMHz).toBeGreaterThanOrEqual(8000);
    expect(pool?.cpu?.demandMHz).toBeGreaterThanOrEqual(32_000);
    expect(pool?.conditions?.[0]).toMatchObject({ type: 'Valid', status: 'True' });
    const top = await cli(['top', 'pools', '--zone', 'z1']);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toMatch(/^zone:z1\s+z1\s+/m);
    expect(top.stdout).toMatch(/^acme-web\s+z1\s+acme\s+acme\s+/m);
  });
});
