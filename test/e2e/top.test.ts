// `bulkhead top` end to end: the real server (workloads and balance capabilities), node VMs and
// pods with demand profiles, and the compiled CLI: per host (with every host's total), per VM, per
// pod of one cluster, per tenant; a tenant's user sees only its own figures; mistakes are one line.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceExtension } from '../../src/balance/extension.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { eventually, startTestPlatform, tenant, V1, nodeVm, vm, type Running } from './harness.js';

let run: Running;
let dir: string;
let aliceToken = '';
let bobToken = '';
const env = (token: string) => ({ BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: token, BULKHEAD_CONFIG: join(dir, 'config.json') });
const cli = (args: string[], token = run.platform.adminToken ?? '') => runCli(args, { env: env(token) });
const C = '/clusters/web';

interface TopJson {
  level: string;
  rows: { name: string; tenant?: string; cluster?: string; node?: string; count: number; cpuUsageMillis?: number; cpuDemandMHz: number }[];
  total: { count: number; cpuUsageMillis?: number; cpuDemandMHz: number };
  global?: { count: number };
}

async function userToken(name: string, role: string, tenantName: string): Promise<string> {
  await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name } });
  await run.admin.put(`/auth/users/${name}/password`, { password: `${name}-secret-pw` });
  await run.admin.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: `${name}-${role}` }, spec: { role, subjects: [{ kind: 'User', name }], tenant: tenantName } });
  return (await run.anon.post<{ token: string }>('/auth/login', { username: name, password: `${name}-secret-pw` })).body.token;
}

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-top-'));
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension, balanceExtension] });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('beta', 'low'));
  aliceToken = await userToken('alice', 'tenant-member', 'acme');
  bobToken = await userToken('bob', 'tenant-admin', 'beta');
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
  for (let i = 0; i < 2; i++) {
    await run.admin.post(`${V1}/virtualmachines`, nodeVm(`web-w${i}`, 'acme', 'web', 4, 8192));
  }
  await run.admin.post(`${V1}/virtualmachines`, vm('acme-db', 'acme', 2, 4096));
  await run.admin.post(`${V1}/virtualmachines`, vm('beta-1', 'beta', 2, 4096));
  await eventually(async () => {
    const r = await run.admin.get<{ items: { status?: { phase?: string } }[] }>(`${V1}/virtualmachines`);
    return r.body.items.filter((x) => x.status?.phase === 'Running').length === 4 ? true : undefined;
  }, 30_000, 'VMs running');
  await run.admin.post(`${C}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const profile = JSON.stringify({ kind: 'constant', cpuMillis: 400, memoryMiB: 200 });
  await run.admin.post(`${C}/apis/apps/v1/namespaces/shop/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' }, annotations: { 'bulkhead.dev/demand-profile': profile } },
        spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:1', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] },
      },
    },
  });
  await eventually(async () => {
    const r = await run.admin.get<{ items: { status?: { phase?: string } }[] }>(`${C}/api/v1/namespaces/shop/pods`);
    return r.body.items.length === 3 && r.body.items.every((p) => p.status?.phase === 'Running') ? true : undefined;
  }, 30_000, 'pods running');
  // Let the usage sample (20 s of simulated time, 10 ms here) pass so the pods are in it.
  await new Promise((r) => setTimeout(r, 50));
}, 120_000);
afterAll(async () => {
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bulkhead top', () => {
  it('pods of one cluster: usage in milli-CPU from their demand profile, and the total', async () => {
    const r = await cli(['-c', 'web', 'top', 'pods']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+NODE\s+HOST\s+CPU\(m\)\s+DEMAND\(m\)\s+UNMET-MS\s+MEMORY\(Mi\)/);
    expect(lines.filter((l) => /^shop\/api-/.test(l))).toHaveLength(3);
    expect(lines[lines.length - 1]).toMatch(/^TOTAL\s+1200\s+1200\s+0\s+600\s+600$/);
    const json = JSON.parse((await cli(['-c', 'web', 'top', 'pods', '-o', 'json'])).stdout) as TopJson;
    expect(json.rows.map((p) => p.cpuUsageMillis)).toEqual([400, 400, 400]);
    expect(json.rows.every((p) => p.node?.startsWith('web-w'))).toBe(true);
  });

  it('hosts: every host and the global total line', async () => {
    const r = await cli(['top', 'hosts']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + 16 + 1);
    expect(lines[lines.length - 1]).toMatch(/^TOTAL \(all hosts\)\s+4\s+12\s/);
    const json = JSON.parse((await cli(['top', 'hosts', '-o', 'json'])).stdout) as TopJson;
    expect(json.global?.count).toBe(4);
  });

  it('vms of a cluster and tenants', async () => {
    const vms = JSON.parse((await cli(['-c', 'web', 'top', 'vms', '-o', 'json'])).stdout) as TopJson;
    expect(vms.rows.map((v) => [v.name, v.cluster, v.tenant])).toEqual([
      ['web-w0', 'web', 'acme'],
      ['web-w1', 'web', 'acme'],
    ]);
    // Each node: its system reserve (80 m) plus its pods at 400 m, at 2,000 MHz per core.
    expect(vms.total.cpuDemandMHz).toBeCloseTo(2 * 160 + 3 * 800, 0);
    const tenants = await cli(['top', 'tenants']);
    expect(tenants.stdout).toMatch(/^acme\s+3\s+10\s/m);
    expect(tenants.stdout).toMatch(/^beta\s+1\s+2\s/m);
  });

  it("a tenant's user sees only the tenant's VMs and hosts, without the global figures", async () => {
    const vms = JSON.parse((await cli(['top', 'vms', '-o', 'json'], aliceToken)).stdout) as TopJson;
    expect(vms.rows.map((v) => v.name).sort()).toEqual(['acme-db', 'web-w0', 'web-w1']);
    const hosts = await cli(['top', 'hosts'], aliceToken);
    expect(hosts.code, hosts.stderr).toBe(0);
    expect(hosts.stdout).toMatch(/^TOTAL\s+3\s/m);
    expect(hosts.stdout).not.toMatch(/all hosts/);
    // Another tenant's cluster is not found (its name does not leak).
    const other = await cli(['-c', 'web', 'top', 'pods'], bobToken);
    expect(other.code).toBe(1);
    expect(other.stderr).toBe('error: Cluster "web" not found\n');
  });

  it('mistakes are one line and exit 1', async () => {
    const bad = await cli(['top', 'bogus']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await cli(['-c', 'nosuch', 'top', 'pods']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: Cluster "nosuch" not found\n');
    const anon = await run.anon.get('/top/v1/hosts');
    expect(anon.status).toBe(401);
  });
});
