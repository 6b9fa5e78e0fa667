// The Prometheus endpoint end to end: behind the platform's bearer authentication, the usage
// figures `top` shows per container, VM, host, zone, tenant, cluster and pool plus the global
// total and DRS, labelled by tenant, cluster and zone; a tenant's user gets only its own series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceExtension } from '../../src/balance/extension.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { eventually, startTestPlatform, tenant, V1, nodeVm, vm, type Running } from './harness.js';

let run: Running;
let aliceToken = '';

async function scrape(token: string | undefined): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${run.platform.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The value of the one sample of `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

beforeAll(async () => {
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension, balanceExtension] });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('beta', 'low'));
  await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name: 'alice' } });
  await run.admin.put('/auth/users/alice/password', { password: 'alice-secret-pw' });
  await run.admin.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'alice-acme' }, spec: { role: 'tenant-member', subjects: [{ kind: 'User', name: 'alice' }], tenant: 'acme' } });
  aliceToken = (await run.anon.post<{ token: string }>('/auth/login', { username: 'alice', password: 'alice-secret-pw' })).body.token;
  await run.admin.post(`${V1}/resourcepools`, { apiVersion: 'bulkhead.dev/v1', kind: 'ResourcePool', metadata: { name: 'acme-a' }, spec: { zone: 'zone-a', tenant: 'acme', tenantDefault: true } });
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
  await run.admin.post(`${V1}/virtualmachines`, nodeVm('web-w0', 'acme', 'web', 4, 8192, 'worker', { zone: 'zone-a' }));
  const demand = JSON.stringify({ kind: 'constant', cpuMillis: 1000, memoryMiB: 2048 });
  const other = vm('beta-1', 'beta', 2, 4096, { zone: 'zone-b' });
  await run.admin.post(`${V1}/virtualmachines`, { ...other, metadata: { ...other.metadata, annotations: { 'bulkhead.dev/demand-profile': demand } } });
  await eventually(async () => {
    const r = await run.admin.get<{ items: { status?: { phase?: string } }[] }>(`${V1}/virtualmachines`);
    return r.body.items.filter((x) => x.status?.phase === 'Running').length === 2 ? true : undefined;
  }, 30_000, 'VMs running');
  await run.admin.post('/clusters/web/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await run.admin.post('/clusters/web/api/v1/namespaces/shop/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-0' },
    spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:1', resources: { requests: { cpu: '500m', memory: '512Mi' } } }] },
  });
  await eventually(async () => {
    const r = await run.admin.get<{ status?: { phase?: string } }>('/clusters/web/api/v1/namespaces/shop/pods/api-0');
    return r.body.status?.phase === 'Running' ? true : undefined;
  }, 30_000, 'pod running');
  await new Promise((r) => setTimeout(r, 50));
}, 120_000);
afterAll(async () => run?.stop());

describe('/metrics', () => {
  it('needs a bearer token', async () => {
    expect((await scrape(undefined)).status).toBe(401);
  });

  it('exposes the usage figures in Prometheus text format, labelled by tenant, cluster and zone', async () => {
    const m = await scrape(run.platform.adminToken);
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toMatch(/^# HELP bulkhead_vm_cpu_usage_hertz CPU the hosts give of each VM$/m);
    expect(m.text).toMatch(/^# TYPE bulkhead_vm_cpu_usage_hertz gauge$/m);
    // The node: its 80 m system reserve plus the pod's 500 m request, at 2,000 MHz per core.
    expect(sample(m.text, 'bulkhead_vm_cpu_demand_hertz', { vm: 'web-w0', tenant: 'acme', cluster: 'web', zone: 'zone-a', pool: 'acme-a' })).toBe(1160e6);
    expect(sample(m.text, 'bulkhead_vm_cpu_usage_hertz', { vm: 'beta-1', tenant: 'beta', zone: 'zone-b' })).toBe(2000e6);
    expect(sample(m.text, 'bulkhead_vm_memory_usage_bytes', { vm: 'beta-1' })).toBe(2048 * 1024 * 1024);
    expect(sample(m.text, 'bulkhead_container_cpu_usage_cores', { tenant: 'acme', cluster: 'web', namespace: 'shop', pod: 'api-0', container: 'app', node: 'web-w0' })).toBe(0.5);
    expect(sample(m.text, 'bulkhead_cluster_cpu_usage_hertz', { tenant: 'acme', cluster: 'web' })).toBe(1160e6);
    expect(sample(m.text, 'bulkhead_tenant_vms', { tenant: 'beta' })).toBe(1);
    expect(sample(m.text, 'bulkhead_pool_cpu_usage_hertz', { pool: 'acme-a', zone: 'zone-a', tenant: 'acme' })).toBe(1160e6);
    expect(sample(m.text, 'bulkhead_zone_vms', { zone: 'zone-a' })).toBe(1);
    expect(sample(m.text, 'bulkhead_global_cpu_usage_hertz')).toBe(3160e6);
    expect(sample(m.text, 'bulkhead_global_cpu_capacity_hertz')).toBe(16 * 32 * 2000e6);
    expect(sample(m.text, 'bulkhead_host_vms')).toBeDefined();
    expect(m.text).toMatch(/^bulkhead_process_cpu_seconds_total /m);
  });

  it("gives a tenant's user only the tenant's series", async () => {
    const m = await scrape(aliceToken);
    expect(m.status).toBe(200);
    expect(sample(m.text, 'bulkhead_vm_cpu_usage_hertz', { vm: 'web-w0' })).toBe(1160e6);
    expect(m.text).not.toMatch(/beta/);
    expect(m.text).not.toMatch(/^bulkhead_(host|zone|global)_/m);
    expect(m.text).not.toMatch(/^bulkhead_process_/m);
  });
});
