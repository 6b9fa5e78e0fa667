// Networking through the real server: segments and pod addresses appear with clusters and
// namespaces, tenants cannot reach each other unless an administrator connects them, a tenant's
// NetworkPolicies segment its apps, an admin rule beats a tenant allow, Services resolve to ready
// endpoints in traceflow, policy changes take effect, the matrix, and the bad-input outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkExtension } from '../../src/network/index.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { Api, eventually, startTestPlatform, tenant, V1, nodeVm, type Running } from './harness.js';

let run: Running;
let alice: Api; // tenant-admin of acme (low), which owns cluster web
let fiona: Api; // tenant-admin of fedbank (high), which owns cluster ledger

interface Cause {
  field: string;
  message: string;
}
interface Status {
  message: string;
  details?: { causes?: Cause[] };
}
interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface PodObj {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string; conditions?: Condition[] };
}
interface Hop {
  component: string;
  action: string;
  detail: string;
  direction?: string;
  rule?: { tier: string; policy?: string; rule?: string; action: string };
  pod?: { name: string; namespace: string; ip?: string };
  translation?: { translated: { ip: string; port: number } };
}
interface Traceflow {
  status: { verdict: string; reason: string; hops: Hop[]; decidedBy?: { tier: string; policy?: string; rule?: string } };
}

async function userWithRole(name: string, role: string, tenantName: string): Promise<Api> {
  await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name } });
  await run.admin.put(`/auth/users/${name}/password`, { password: `${name}-secret-pw` });
  await run.admin.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: `${name}-${role}` }, spec: { role, subjects: [{ kind: 'User', name }], tenant: tenantName } });
  const login = await run.anon.post<{ token: string }>('/auth/login', { username: name, password: `${name}-secret-pw` });
  return run.anon.as(login.body.token);
}

async function clusterWithWorkers(name: string, tenantName: string, workers: number): Promise<void> {
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name }, spec: { tenant: tenantName, plan: 'small' } });
  for (let i = 0; i < workers; i++) {
    const r = await run.admin.post(`${V1}/virtualmachines`, nodeVm(`${name}-w${i}`, tenantName, name, 2, 4096));
    expect(r.status).toBe(201);
  }
}

const ns = (name: string, annotations?: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(annotations ? { annotations } : {}), ...(labels ? { labels } : {}) },
});

const deployment = (name: string, replicas: number, port = 8080) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'registry.local/shop/app:1', ports: [{ name: 'http', containerPort: port }], resources: { requests: { cpu: '50m', memory: '32Mi' } } }] },
    },
  },
});

const netpol = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });

async function runningPods(api: Api, cluster: string, namespace: string, app: string, count: number): Promise<PodObj[]> {
  return eventually(async () => {
    const r = await api.get<{ items: PodObj[] }>(`/clusters/${cluster}/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${app}`);
    const ok = r.body.items.filter((p) => p.status?.phase === 'Running' && p.status.podIP);
    return ok.length === count ? ok : undefined;
  }, 20_000, `${count} ${app} pods running in ${cluster}/${namespace}`);
}

async function trace(api: Api, cluster: string, body: Record<string, unknown>): Promise<Traceflow> {
  const r = await api.post<Traceflow>(`/clusters/${cluster}/traceflow`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

/** Polls a trace until `ok` holds (the engine catches up with a store change within milliseconds). */
async function traceUntil(api: Api, cluster: string, body: Record<string, unknown>, ok: (t: Traceflow) => boolean, what: string): Promise<Traceflow> {
  return eventually(async () => {
    const t = await trace(api, cluster, body);
    return ok(t) ? t : undefined;
  }, 10_000, what);
}

const inCidr = (ip: string, cidr: string): boolean => {
  const [base = '', bits = '0'] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return n(ip) >= n(base) && n(ip) < n(base) + size;
};

let web: PodObj[]; // acme: web/shop app=web
let api: PodObj[]; // acme: web/shop app=api
let batch: PodObj[]; // acme: web/batch app=batch
let ledger: PodObj[]; // fedbank: ledger/books app=ledger

beforeAll(async () => {
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension, networkExtension] });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('fedbank', 'high'));
  alice = await userWithRole('alice', 'tenant-admin', 'acme');
  fiona = await userWithRole('fiona', 'tenant-admin', 'fedbank');
  await clusterWithWorkers('web', 'acme', 2);
  await clusterWithWorkers('ledger', 'fedbank', 1);
  await eventually(async () => {
    const r = await run.admin.get<{ items: { status?: { phase?: string } }[] }>(`${V1}/virtualmachines`);
    return r.body.items.filter((x) => x.status?.phase === 'Running').length === 3 ? true : undefined;
  }, 20_000, 'node VMs running');
  for (const n of ['shop', 'batch']) expect((await alice.post('/clusters/web/api/v1/namespaces', ns(n, undefined, { team: n }))).status).toBe(201);
  expect((await fiona.post('/clusters/ledger/api/v1/namespaces', ns('books'))).status).toBe(201);
  await alice.post('/clusters/web/apis/apps/v1/namespaces/shop/deployments', deployment('web', 1));
  await alice.post('/clusters/web/apis/apps/v1/namespaces/shop/deployments', deployment('api', 2));
  await alice.post('/clusters/web/apis/apps/v1/namespaces/batch/deployments', deployment('batch', 1));
  await fiona.post('/clusters/ledger/apis/apps/v1/namespaces/books/deployments', deployment('ledger', 1, 443));
  web = await runningPods(alice, 'web', 'shop', 'web', 1);
  api = await runningPods(alice, 'web', 'shop', 'api', 2);
  batch = await runningPods(alice, 'web', 'batch', 'batch', 1);
  ledger = await runningPods(fiona, 'ledger', 'books', 'ledger', 1);
}, 90_000);
afterAll(async () => run?.stop());

const name = (p: PodObj[] | undefined, i = 0) => p?.[i]?.metadata.name ?? '';
const ip = (p: PodObj[] | undefined, i = 0) => p?.[i]?.status?.podIP ?? '';

describe('segments and addresses', () => {
  it('gives each tenant a block, each cluster a node segment and each namespace a pod subnet, recorded as Segments', async () => {
    const segs = await run.admin.get<{ items: { metadata: { name: string }; spec: { role: string; tenant: string; cluster?: string; namespace?: string; cidr: string } }[] }>(`${V1}/segments`);
    const find = (role: string, f: (s: { tenant: string; cluster?: string; namespace?: string }) => boolean) => segs.body.items.find((s) => s.spec.role === role && f(s.spec));
    const acme = find('TenantBlock', (s) => s.tenant === 'acme');
    const fedbank = find('TenantBlock', (s) => s.tenant === 'fedbank');
    expect(acme?.spec.cidr).toMatch(/\/12$/);
    expect(fedbank?.spec.cidr).not.toBe(acme?.spec.cidr);
    const nodes = find('NodeSegment', (s) => s.cluster === 'web');
    const shop = find('PodSubnet', (s) => s.cluster === 'web' && s.namespace === 'shop');
    expect(inCidr((nodes?.spec.cidr ?? '').split('/')[0] ?? '', acme?.spec.cidr ?? '')).toBe(true);
    expect(inCidr((shop?.spec.cidr ?? '').split('/')[0] ?? '', acme?.spec.cidr ?? '')).toBe(true);
    // Node VMs have addresses on their cluster's segment.
    const ports = await eventually(async () => {
      const r = await run.admin.get<{ status?: { ports?: Record<string, string> } }>(`${V1}/segments/${nodes?.metadata.name ?? ''}`);
      return Object.keys(r.body.status?.ports ?? {}).length === 2 ? (r.body.status?.ports ?? {}) : undefined;
    }, 5_000, 'node ports');
    expect(Object.keys(ports).sort()).toEqual(['web-w0', 'web-w1']);
    for (const a of Object.values(ports)) expect(inCidr(a, nodes?.spec.cidr ?? '')).toBe(true);
    // Tenants read their own segments only.
    const mine = await alice.get<{ items: { spec: { tenant: string } }[] }>(`${V1}/segments`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(new Set(mine.body.items.map((s) => s.spec.tenant))).toEqual(new Set(['acme']));
  });

  it("shows a namespace's subnet in its status and puts its pods' addresses inside it, never twice", async () => {
    const shop = await alice.get<{ status: { subnet: string; conditions: Condition[] } }>('/clusters/web/api/v1/namespaces/shop');
    expect(shop.body.status.conditions.find((c) => c.type === 'NetworkReady')?.status).toBe('True');
    for (const p of [...web, ...api]) expect(inCidr(p.status?.podIP ?? '', shop.body.status.subnet)).toBe(true);
    const books = await fiona.get<{ status: { subnet: string } }>('/clusters/ledger/api/v1/namespaces/books');
    expect(inCidr(ip(ledger), books.body.status.subnet)).toBe(true);
    const all = [...web, ...api, ...batch, ...ledger].map((p) => p.status?.podIP);
    expect(new Set(all).size).toBe(all.length);
  });

  it('allocates ClusterIPs from the service range, never the same one twice, and refuses a taken one naming the field', async () => {
    const ips: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await alice.post<{ spec: { clusterIP: string } }>('/clusters/web/api/v1/namespaces/batch/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { selector: { app: 'batch' }, ports: [{ port: 80 }] } });
      expect(r.status).toBe(201);
      ips.push(r.body.spec.clusterIP);
    }
    expect(new Set(ips).size).toBe(5);
    for (const x of ips) expect(inCidr(x, '10.96.0.0/12')).toBe(true);
    const taken = await alice.post<Status>('/clusters/web/api/v1/namespaces/batch/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' }, spec: { clusterIP: ips[0], ports: [{ port: 80 }] } });
    expect(taken.status).toBe(422);
    expect(taken.body.details?.causes?.[0]?.field).toBe('spec.clusterIP');
    expect(taken.body.message).toContain('already allocated');
    // Deleting gives the address back; it is free for an explicit request again.
    expect((await alice.del('/clusters/web/api/v1/namespaces/batch/services/s0')).status).toBe(200);
    const again = await alice.post<{ spec: { clusterIP: string } }>('/clusters/web/api/v1/namespaces/batch/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' }, spec: { clusterIP: ips[0], ports: [{ port: 80 }] } });
    expect(again.status).toBe(201);
    expect(again.body.spec.clusterIP).toBe(ips[0]);
    // The ClusterIP is immutable.
    const moved = await alice.put<Status>('/clusters/web/api/v1/namespaces/batch/services/dup', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' }, spec: { clusterIP: ips[1], ports: [{ port: 80 }] } });
    expect(moved.status).toBe(422);
    expect(moved.body.details?.causes?.[0]?.field).toBe('spec.clusterIP');
  });

  it('says clearly when a subnet is exhausted: the pod waits with the reason', async () => {
    // A /30 holds network, gateway, one address and broadcast.
    expect((await alice.post('/clusters/web/api/v1/namespaces', ns('tiny', { 'network.bulkhead.dev/subnet-prefix': '30' }))).status).toBe(201);
    await alice.post('/clusters/web/apis/apps/v1/namespaces/tiny/deployments', deployment('two', 2));
    const stuck = await eventually(async () => {
      const r = await alice.get<{ items: PodObj[] }>('/clusters/web/api/v1/namespaces/tiny/pods');
      const waiting = r.body.items.find((p) => p.status?.conditions?.some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'False'));
      return r.body.items.some((p) => p.status?.phase === 'Running') && waiting ? waiting : undefined;
    }, 20_000, 'one pod running and one waiting for an address');
    const cond = stuck.status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers');
    expect(cond?.reason).toBe('IPAddressUnavailable');
    expect(cond?.message).toMatch(/pool "namespace web\/tiny" \(10\.\d+\.\d+\.\d+\/30\) is exhausted: none of its 1 addresses is free/);
    expect(stuck.status?.phase).toBe('Pending');
    expect(stuck.status?.podIP).toBeUndefined();
  });

  it('refuses subnet annotations it cannot honour, naming the annotation', async () => {
    const r = await alice.post<Status>('/clusters/web/api/v1/namespaces', ns('bad', { 'network.bulkhead.dev/subnet-prefix': '31' }));
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.[0]?.field).toBe('metadata.annotations[network.bulkhead.dev/subnet-prefix]');
  });

  it('refuses a subnet that overlaps one the tenant holds, or lies outside its block, naming the annotation', async () => {
    const shop = await alice.get<{ status: { subnet: string } }>('/clusters/web/api/v1/namespaces/shop');
    const r = await alice.post<Status>('/clusters/web/api/v1/namespaces', ns('overlap', { 'network.bulkhead.dev/subnet': shop.body.status.subnet }));
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.[0]).toEqual({ field: 'metadata.annotations[network.bulkhead.dev/subnet]', message: `${shop.body.status.subnet} overlaps ${shop.body.status.subnet} held by namespace web/shop` });
    const outside = await alice.post<Status>('/clusters/web/api/v1/namespaces', ns('outside', { 'network.bulkhead.dev/subnet': '10.200.0.0/24' }));
    expect(outside.status).toBe(422);
    expect(outside.body.details?.causes?.[0]?.message).toMatch(/^10\.200\.0\.0\/24 is outside tenant acme's block 10\.\d+\.0\.0\/12$/);
    // An exact subnet that is free is honoured.
    const block = (await run.admin.get<{ items: { spec: { role: string; tenant: string; cidr: string } }[] }>(`${V1}/segments`)).body.items.find((x) => x.spec.role === 'TenantBlock' && x.spec.tenant === 'acme');
    const free = `${(block?.spec.cidr ?? '').split('.').slice(0, 2).join('.')}.200.0/24`;
    expect((await alice.post('/clusters/web/api/v1/namespaces', ns('exact', { 'network.bulkhead.dev/subnet': free }))).status).toBe(201);
    const got = await eventually(async () => (await alice.get<{ status?: { subnet?: string } }>('/clusters/web/api/v1/namespaces/exact')).body.status?.subnet, 10_000, 'exact subnet');
    expect(got).toBe(free);
  });
});

describe('isolation between tenants', () => {
  it('drops traffic between two tenants by default, and traceflow names the built-in rule', async () => {
    const t = await trace(alice, 'web', { source: { namespace: 'shop', pod: name(web) }, destination: { ip: ip(ledger) }, port: 443 });
    expect(t.status.verdict).toBe('Dropped');
    expect(t.status.decidedBy).toMatchObject({ tier: 'platform', policy: 'tenant-isolation-acme', rule: 'other-tenants-egress' });
    const fw = t.status.hops.find((h) => h.component === 'Firewall');
    expect(fw).toMatchObject({ action: 'Dropped', direction: 'Egress' });
    // alice may not learn fedbank's pod names: the destination is never named.
    expect(JSON.stringify(t)).not.toContain(name(ledger));
    // The reverse direction is dropped by fedbank's own isolation.
    const back = await trace(fiona, 'ledger', { source: { namespace: 'books', pod: name(ledger) }, destination: { ip: ip(web) }, port: 8080 });
    expect(back.status.decidedBy).toMatchObject({ policy: 'tenant-isolation-fedbank', rule: 'other-tenants-egress' });
  });

  it('lists the built-in isolation policies to administrators only', async () => {
    const r = await run.admin.get<{ items: { metadata: { name: string }; spec: { tier: string; priority: number } }[] }>('/network/v1/builtin-policies');
    expect(r.body.items.map((i) => i.metadata.name)).toEqual(['tenant-isolation-acme', 'tenant-isolation-fedbank']);
    expect(r.body.items[0]?.spec).toMatchObject({ tier: 'platform', priority: 10000 });
    expect((await alice.get('/network/v1/builtin-policies')).status).toBe(403);
  });

  it('lets an administrator connect tenants, while a high-sensitivity tenant still cannot receive from a low one', async () => {
    const anp = (n: string, spec: Record<string, unknown>) => ({ apiVersion: 'bulkhead.dev/v1', kind: 'AdminNetworkPolicy', metadata: { name: n }, spec });
    const tenantsGroup = { apiVersion: 'bulkhead.dev/v1', kind: 'NetworkGroup', metadata: { name: 'partners' }, spec: { tenants: ['acme', 'fedbank'] } };
    expect((await run.admin.post(`${V1}/networkgroups`, tenantsGroup)).status).toBe(201);
    const connect = anp('partners-connect', {
      tier: 'platform',
      priority: 500,
      appliedTo: { group: 'partners' },
      rules: [
        { name: 'in', action: 'Allow', direction: 'Ingress', peers: [{ group: 'partners' }] },
        { name: 'out', action: 'Allow', direction: 'Egress', peers: [{ group: 'partners' }] },
      ],
    });
    expect((await run.admin.post(`${V1}/adminnetworkpolicies`, connect)).status).toBe(201);
    const hi = { source: { namespace: 'books', pod: name(ledger) }, destination: { ip: ip(web) }, port: 8080 };
    await traceUntil(fiona, 'ledger', hi, (t) => t.status.verdict === 'Delivered', 'high to low delivered once connected');
    // fedbank's own NetworkPolicy allows everything in; the admin rule still wins.
    expect((await fiona.post('/clusters/ledger/apis/networking.k8s.io/v1/namespaces/books/networkpolicies', netpol('allow-all-in', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }))).status).toBe(201);
    const noLowToHigh = anp('no-low-to-high', {
      tier: 'platform',
      priority: 100,
      description: 'high-sensitivity tenants cannot receive from any low-sensitivity tenant',
      appliedTo: { sensitivities: ['high'] },
      rules: [{ name: 'drop-low', action: 'Drop', direction: 'Ingress', peers: [{ sensitivities: ['low'] }] }],
    });
    expect((await run.admin.post(`${V1}/adminnetworkpolicies`, noLowToHigh)).status).toBe(201);
    const lo = { source: { namespace: 'shop', pod: name(web) }, destination: { ip: ip(ledger) }, port: 443 };
    const t = await traceUntil(run.admin, 'web', lo, (x) => x.status.decidedBy?.policy === 'no-low-to-high', 'low to high dropped by the admin rule');
    expect(t.status.verdict).toBe('Dropped');
    expect(t.status.decidedBy).toMatchObject({ tier: 'platform', policy: 'no-low-to-high', rule: 'drop-low' });
    // The egress side passed (partners-connect), the ingress side was dropped.
    expect(t.status.hops.filter((h) => h.component === 'Firewall').map((h) => [h.direction, h.action, h.rule?.policy])).toEqual([
      ['Egress', 'Allowed', 'partners-connect'],
      ['Ingress', 'Dropped', 'no-low-to-high'],
    ]);
    const status = await eventually(async () => {
      const r = await run.admin.get<{ status?: { conditions?: Condition[] } }>(`${V1}/adminnetworkpolicies/no-low-to-high`);
      return r.body.status?.conditions?.[0];
    }, 5_000, 'Realized condition');
    expect(status).toMatchObject({ type: 'Realized', status: 'True' });
    // Tenants cannot write admin policies.
    expect((await alice.post(`${V1}/adminnetworkpolicies`, anp('mine', { tier: 'platform', priority: 1, appliedTo: {}, rules: [] }))).status).toBe(403);
    // Clean up: back to isolation.
    await run.admin.del(`${V1}/adminnetworkpolicies/partners-connect`);
    await run.admin.del(`${V1}/adminnetworkpolicies/no-low-to-high`);
    await traceUntil(run.admin, 'web', lo, (x) => x.status.decidedBy?.policy === 'tenant-isolation-acme', 'isolation again');
  });

  it('refuses admin policies and groups the engine could not enforce, naming the field', async () => {
    const missing = await run.admin.post<Status>(`${V1}/adminnetworkpolicies`, {
      apiVersion: 'bulkhead.dev/v1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'dangling' },
      spec: { tier: 'platform', priority: 10, appliedTo: {}, rules: [{ action: 'Drop', direction: 'Ingress', peers: [{ group: 'nope' }] }] },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.details?.causes?.[0]).toEqual({ field: 'spec.rules[0].peers[0].group', message: 'group "nope" does not exist' });
    const reserved = await run.admin.post<Status>(`${V1}/adminnetworkpolicies`, {
      apiVersion: 'bulkhead.dev/v1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'late' },
      spec: { tier: 'platform', priority: 10000, appliedTo: {}, rules: [] },
    });
    expect(reserved.status).toBe(422);
    expect(reserved.body.details?.causes?.[0]?.field).toBe('spec.priority');
    const badGroup = await run.admin.post<Status>(`${V1}/networkgroups`, { apiVersion: 'bulkhead.dev/v1', kind: 'NetworkGroup', metadata: { name: 'g' }, spec: { sensitivities: ['secret'] } });
    expect(badGroup.status).toBe(422);
    expect(badGroup.body.details?.causes?.[0]?.field).toBe('spec.sensitivities[0]');
    // A group a policy references cannot go.
    await run.admin.post(`${V1}/adminnetworkpolicies`, {
      apiVersion: 'bulkhead.dev/v1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'uses-partners' },
      spec: { tier: 'emergency', priority: 10, appliedTo: { group: 'partners' }, rules: [] },
    });
    const del = await run.admin.del<Status>(`${V1}/networkgroups/partners`);
    expect(del.status).toBe(409);
    expect(del.body.message).toContain('uses-partners');
    const seg = await run.admin.del<Status>(`${V1}/segments/whatever`);
    expect(seg.status).toBe(405);
  });
});

describe('tenant NetworkPolicies', () => {
  const fromWeb = () => ({ source: { namespace: 'shop', pod: name(web) }, destination: { namespace: 'shop', pod: name(api) }, port: 8080 });
  const fromBatch = () => ({ source: { namespace: 'batch', pod: name(batch) }, destination: { ip: ip(api) }, port: 8080 });

  it('segments a namespace: default deny, then allow from a namespace', async () => {
    expect((await trace(alice, 'web', fromBatch())).status.verdict).toBe('Delivered');
    const deny = await alice.post('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', netpol('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(deny.status).toBe(201);
    const denied = await traceUntil(alice, 'web', fromBatch(), (t) => t.status.verdict === 'Dropped', 'default deny enforced');
    expect(denied.status.decidedBy).toMatchObject({ tier: 'application', policy: 'shop/default-deny', rule: 'isolation' });
    expect(denied.status.reason).toContain('isolated by NetworkPolicy shop/default-deny');
    // Same-namespace traffic is isolated too.
    expect((await trace(alice, 'web', fromWeb())).status.verdict).toBe('Dropped');
    const allow = netpol('api-from-batch', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'batch' } } }], ports: [{ port: 'http' }] }] });
    expect((await alice.post('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', allow)).status).toBe(201);
    const ok = await traceUntil(alice, 'web', fromBatch(), (t) => t.status.verdict === 'Delivered', 'allow from namespace enforced');
    expect(ok.status.hops.find((h) => h.direction === 'Ingress')?.rule).toMatchObject({ tier: 'application', policy: 'shop/api-from-batch', rule: 'ingress[0]', action: 'Allow' });
    // Only on the named port.
    expect((await trace(alice, 'web', { ...fromBatch(), port: 9090 })).status.verdict).toBe('Dropped');
    expect((await trace(alice, 'web', fromWeb())).status.verdict).toBe('Dropped');
    const list = await alice.get<{ items: unknown[] }>('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies');
    expect(list.body.items.length).toBe(2);
  });

  it('applies a policy update to new connections', async () => {
    const allowWeb = netpol('api-from-batch', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const r = await alice.put('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/api-from-batch', allowWeb);
    expect(r.status).toBe(200);
    await traceUntil(alice, 'web', fromWeb(), (t) => t.status.verdict === 'Delivered', 'web allowed after the update');
    expect((await trace(alice, 'web', fromBatch())).status.verdict).toBe('Dropped');
  });

  it('prints the matrix between the pods of a namespace', async () => {
    const r = await alice.get<{ tables: { port: number; pods: string[]; allowed: boolean[][]; text: string }[] }>('/clusters/web/netpol/matrix?namespace=shop&port=8080');
    expect(r.status).toBe(200);
    const t = r.body.tables[0];
    expect(t?.pods).toEqual([...api, ...web].map((p) => `shop/${p.metadata.name}`).sort());
    const w = t?.pods.indexOf(`shop/${name(web)}`) ?? -1;
    const a = t?.pods.indexOf(`shop/${name(api)}`) ?? -1;
    expect(t?.allowed[w]?.[a]).toBe(true); // web -> api allowed by api-from-batch (now from web)
    expect(t?.allowed[a]?.[w]).toBe(false); // api -> web: default deny
    expect(t?.text.split('\n')[0]).toBe(['-\t', ...(t?.pods ?? [])].join('\t'));
  });

  it('refuses bad NetworkPolicies with 422 naming the field', async () => {
    const bad = async (spec: Record<string, unknown>) => {
      const r = await alice.post<Status>('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies', netpol('bad', spec));
      expect(r.status).toBe(422);
      return r.body.details?.causes?.[0];
    };
    expect(await bad({ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] })).toMatchObject({ field: 'spec.ingress[0].ports[0].port' });
    expect(await bad({ podSelector: {}, ingress: [{ ports: [{ port: 8080, endPort: 80 }] }] })).toEqual({ field: 'spec.ingress[0].ports[0].endPort', message: 'must be >= port (8080)' });
    expect(await bad({ podSelector: { matchExpressions: [{ key: 'app', operator: 'Maybe' }] } })).toMatchObject({ field: expect.stringContaining('spec.podSelector.matchExpressions[0].operator') as string });
    expect(await bad({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] })).toMatchObject({ field: 'spec.egress[0].to[0].ipBlock.cidr' });
  });

  it('lets a tenant member read and write its own policies but not see another tenant', async () => {
    expect((await fiona.get('/clusters/web/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies')).status).toBe(404);
    expect((await fiona.post('/clusters/web/api/v1/namespaces/shop/pods', {})).status).toBe(404);
    const tf = await fiona.post<Status>('/clusters/web/traceflow', { source: { namespace: 'shop', pod: name(web) }, destination: { ip: ip(ledger) }, port: 443 });
    expect(tf.status).toBe(404);
  });
});

describe('Services on the load balancer', () => {
  it('resolves a LoadBalancer VIP to a ready endpoint in traceflow, and a ClusterIP inside the cluster', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 443, targetPort: 'http' }], sessionAffinity: 'ClientIP' },
    };
    const created = await alice.post<{ spec: { clusterIP: string } }>('/clusters/web/api/v1/namespaces/shop/services', svc);
    expect(created.status).toBe(201);
    const vip = await eventually(async () => {
      const r = await alice.get<{ status?: { loadBalancer?: { ingress?: { ip: string }[] } } }>('/clusters/web/api/v1/namespaces/shop/services/api');
      return r.body.status?.loadBalancer?.ingress?.[0]?.ip;
    }, 10_000, 'external VIP');
    expect(inCidr(vip, '198.18.0.0/15')).toBe(true);
    const body = { source: { namespace: 'shop', pod: name(web) }, destination: { ip: vip }, port: 443 };
    const t = await traceUntil(alice, 'web', body, (x) => x.status.hops.some((h) => h.component === 'LoadBalancer' && h.action === 'Translated'), 'VIP translated');
    const lb = t.status.hops.find((h) => h.component === 'LoadBalancer');
    const backends = api.map((p) => p.status?.podIP);
    expect(backends).toContain(lb?.translation?.translated.ip);
    expect(lb?.translation?.translated.port).toBe(8080); // the named targetPort resolved on the pod
    expect(t.status.verdict).toBe('Delivered');
    expect(t.status.hops.at(-1)).toMatchObject({ component: 'Destination', action: 'Delivered' });
    // The ClusterIP resolves the same way from inside the cluster.
    const c = await trace(alice, 'web', { ...body, destination: { ip: created.body.spec.clusterIP } });
    expect(c.status.hops.find((h) => h.component === 'LoadBalancer')?.action).toBe('Translated');
    // A port the Service does not expose is dropped at the load balancer.
    const closed = await trace(alice, 'web', { ...body, port: 80 });
    expect(closed.status).toMatchObject({ verdict: 'Dropped', decidedBy: { tier: 'loadbalancer', rule: 'PortNotExposed' } });
  });

  it('keeps a client on its endpoint with ClientIP affinity once live traffic went there', async () => {
    const vip = (await alice.get<{ status: { loadBalancer: { ingress: { ip: string }[] } } }>('/clusters/web/api/v1/namespaces/shop/services/api')).body.status.loadBalancer.ingress[0]?.ip ?? '';
    const body = { source: { namespace: 'shop', pod: name(web) }, destination: { ip: vip }, port: 443, liveTraffic: true };
    const first = await trace(alice, 'web', body);
    const to = first.status.hops.find((h) => h.component === 'LoadBalancer')?.translation?.translated.ip;
    for (let i = 0; i < 3; i++) {
      const again = await trace(alice, 'web', body);
      const lb = again.status.hops.find((h) => h.component === 'LoadBalancer');
      expect(lb?.translation?.translated.ip).toBe(to);
      expect(lb?.detail).toContain('ClientIP affinity');
    }
  });

  it('rejects at the load balancer when no endpoint is ready', async () => {
    await alice.post('/clusters/web/api/v1/namespaces/shop/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nobody' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
    const cip = (await alice.get<{ spec: { clusterIP: string } }>('/clusters/web/api/v1/namespaces/shop/services/nobody')).body.spec.clusterIP;
    const t = await traceUntil(alice, 'web', { source: { namespace: 'shop', pod: name(web) }, destination: { ip: cip }, port: 80 }, (x) => x.status.verdict === 'Rejected', 'rejected');
    expect(t.status.reason).toContain('it has no ready endpoints');
    // A named targetPort no container exposes: the pods are selected but serve nothing (Kubernetes' FindPort).
    await alice.post('/clusters/web/api/v1/namespaces/shop/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'unnamed' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'grpc' }] } });
    const uip = (await alice.get<{ spec: { clusterIP: string } }>('/clusters/web/api/v1/namespaces/shop/services/unnamed')).body.spec.clusterIP;
    const u = await traceUntil(alice, 'web', { source: { namespace: 'shop', pod: name(web) }, destination: { ip: uip }, port: 80 }, (x) => x.status.verdict === 'Rejected', 'named port rejected');
    expect(u.status.decidedBy).toMatchObject({ tier: 'loadbalancer', rule: 'NoEndpoints' });
  });

  it('refuses a bad Service naming the field', async () => {
    const r = await alice.post<Status>('/clusters/web/api/v1/namespaces/shop/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'sticky' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } },
    });
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.[0]?.field).toBe('spec.sessionAffinityConfig.clientIP.timeoutSeconds');
  });
});

describe('traceflow input', () => {
  it('names the bad field and the missing pod', async () => {
    const r = await alice.post<Status>('/clusters/web/traceflow', { source: { namespace: 'shop', pod: name(web) }, destination: { ip: ip(api) }, port: 0, protocol: 'ICMP' });
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.map((c) => c.field)).toEqual(['port', 'protocol']);
    const m = await alice.post<Status>('/clusters/web/traceflow', { source: { namespace: 'shop', pod: 'ghost' }, destination: { ip: ip(api) }, port: 80 });
    expect(m.status).toBe(404);
    expect(m.body.message).toBe('Pod "shop/ghost" not found');
  });
});
