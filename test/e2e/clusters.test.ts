// Clusters end to end: the real platform on a fast simulated clock, the HTTP API for the
// admission rules (plans, versions, limits, quotas with numbers) and the compiled CLI for the
// user story: plan list, cluster create --wait, show, resize, upgrade --wait, delete --wait.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { V1, startTestPlatform, type Running } from './harness.js';

let run: Running;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env });
const cluster = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name }, spec });

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform({ timeScale: 2000 });
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-clusters-'));
  env = { BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '', BULKHEAD_CONFIG: join(dir, 'config.json') };
  const acme = { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low', quotas: { clusters: 2, vcpus: 48 } } };
  expect((await run.admin.post(`${V1}/tenants`, acme)).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('cluster admission', () => {
  it.each([
    ['an unknown plan', { tenant: 'acme', plan: 'huge' }, 422, /spec.plan: plan "huge" does not exist/],
    ['a version the plan does not offer', { tenant: 'acme', plan: 'small', kubernetesVersion: '1.20' }, 422, /version "1.20" is not offered by plan "small" \(1.30, 1.31, 1.29\)/],
    ['workers above the plan maximum', { tenant: 'acme', plan: 'small', workers: 11 }, 422, /must be between 1 and 10/],
    ['an unknown tenant', { tenant: 'nobody', plan: 'small' }, 422, /tenant "nobody" does not exist/],
    ['more vCPUs than the quota', { tenant: 'acme', plan: 'medium', workers: 10 }, 403, /tenant acme: cluster "q" would use 52 vCPUs of a 48 vCPU quota/],
  ])('refuses %s', async (_what, spec, code, message) => {
    const r = await run.admin.post<{ message: string }>(`${V1}/clusters`, cluster('q', spec));
    expect(r.status).toBe(code);
    expect(r.body.message).toMatch(message);
  });

  it("refuses a plan whose zones the tenant may not use, naming them", async () => {
    const small = await run.admin.get<{ spec: Record<string, unknown> }>(`${V1}/plans/small`);
    const zonal = { apiVersion: 'bulkhead.dev/v1', kind: 'Plan', metadata: { name: 'zonal-a' }, spec: { ...small.body.spec, zones: ['zone-a'] } };
    expect((await run.admin.post(`${V1}/plans`, zonal)).status).toBe(201);
    const bOnly = { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'bonly' }, spec: { sensitivity: 'low', zones: ['zone-b'] } };
    expect((await run.admin.post(`${V1}/tenants`, bOnly)).status).toBe(201);
    const r = await run.admin.post<{ message: string }>(`${V1}/clusters`, cluster('z', { tenant: 'bonly', plan: 'zonal-a', workers: 1 }));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/plan "zonal-a" places nodes in zones zone-a, none of which tenant "bonly" may use \(zone-b\)/);
  });

  it('refuses a taken name and a cluster beyond the count quota, with the numbers', async () => {
    expect((await run.admin.post(`${V1}/clusters`, cluster('a1', { tenant: 'acme', plan: 'small', workers: 1 }))).status).toBe(201);
    const taken = await run.admin.post<{ reason: string }>(`${V1}/clusters`, cluster('a1', { tenant: 'acme', plan: 'small', workers: 1 }));
    expect(taken.status).toBe(409);
    expect(taken.body.reason).toBe('AlreadyExists');
    expect((await run.admin.post(`${V1}/clusters`, cluster('a2', { tenant: 'acme', plan: 'small', workers: 1 }))).status).toBe(201);
    const third = await run.admin.post<{ message: string }>(`${V1}/clusters`, cluster('a3', { tenant: 'acme', plan: 'small', workers: 1 }));
    expect(third.status).toBe(403);
    expect(third.body.message).toBe('tenant acme: cluster quota 2 reached (2 clusters)');
    const del = await cli(['cluster', 'delete', 'a1', '--wait']);
    expect(del.code, del.stderr).toBe(0);
    expect((await cli(['cluster', 'delete', 'a2', '--wait'])).code).toBe(0);
  }, 60_000);
});

describe('the cluster user story through the CLI', () => {
  it('plan list shows the default plans', async () => {
    const r = await cli(['plan', 'list']);
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['small', 'medium', 'large']) expect(r.stdout).toMatch(new RegExp(`^${p}\\s`, 'm'));
  });

  it('creates, shows, resizes, upgrades and deletes a cluster', async () => {
    const create = await cli(['cluster', 'create', 'web', '--tenant', 'acme', '--plan', 'small', '--workers', '2', '--wait']);
    expect(create.code, create.stderr).toBe(0);
    expect(create.stderr).toMatch(/create in progress/);
    expect(create.stderr).toMatch(/nodes ready \d\/3/);
    expect(create.stdout).toMatch(/cluster\/web: create succeeded: Instance provisioning completed \(nodes ready 3\/3\)/);

    const show = await cli(['cluster', 'show', 'web']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/Last Action State:\s+succeeded/);
    expect(show.stdout).toMatch(/web-cp-0\s+control-plane\s+zone-[ab]-host-\d\d\s+Running\s+Healthy\s+1\.30/);
    expect(show.stdout).toMatch(/Normal\s+CreateSucceeded/);

    const list = await cli(['cluster', 'list']);
    expect(list.stdout).toMatch(/^web\s+acme\s+small\s+2\s+1\.30\s+create\s+succeeded/m);

    const resize = await cli(['cluster', 'resize', 'web', '--workers', '3', '--wait']);
    expect(resize.code, resize.stderr).toBe(0);
    expect(resize.stdout).toMatch(/update succeeded.*nodes ready 4\/4/);

    const upgrade = await cli(['cluster', 'upgrade', 'web', '--version', '1.31', '--wait']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/upgrade succeeded: Upgraded to Kubernetes 1\.31/);
    const again = await cli(['cluster', 'upgrade', 'web', '--version', '1.99']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/version "1.99" is not offered/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);

    const del = await cli(['cluster', 'delete', 'web', '--wait']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe('cluster/web deleted\n');
    const vms = await run.admin.get<{ items: unknown[] }>(`${V1}/virtualmachines?labelSelector=bulkhead.dev/cluster=web`);
    expect(vms.body.items).toEqual([]);
    const missing = await cli(['cluster', 'show', 'web']);
    expect(missing.code).toBe(1);
  }, 120_000);
});
