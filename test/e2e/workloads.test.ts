// Workloads through the real server: Kubernetes-compatible paths inside a cluster, pods scheduled
// onto the cluster's worker VMs (created through the VM API, placed and booted by the simulated
// datacenter), RBAC by the cluster's tenant, and the bad-input outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workloadsExtension } from '../../src/workloads/index.js';
import { Api, eventually, startTestPlatform, tenant, V1, nodeVm, type Running } from './harness.js';

let run: Running;
let alice: Api; // tenant-admin of acme, which owns cluster web
let bob: Api; // tenant-admin of beta

interface Obj {
  metadata: { name: string; namespace?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; host?: string; conditions?: { type: string; status: string; message: string }[] };
}
interface List {
  items: Obj[];
}
const C = '/clusters/web';

async function userWithRole(name: string, role: string, tenantName: string): Promise<Api> {
  await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name } });
  await run.admin.put(`/auth/users/${name}/password`, { password: `${name}-secret-pw` });
  await run.admin.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: `${name}-${role}` }, spec: { role, subjects: [{ kind: 'User', name }], tenant: tenantName } });
  const login = await run.anon.post<{ token: string }>('/auth/login', { username: name, password: `${name}-secret-pw` });
  return run.anon.as(login.body.token);
}

const deployment = (name: string, replicas: number, requests: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:1', ports: [{ containerPort: 8080 }], resources: { requests } }] } },
  },
});

beforeAll(async () => {
  // Only the workloads capability: the Cluster object below is inert (no lifecycle controller makes VMs for it).
  run = await startTestPlatform({ timeScale: 2000, extensions: [workloadsExtension] });
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('beta', 'low'));
  alice = await userWithRole('alice', 'tenant-admin', 'acme');
  bob = await userWithRole('bob', 'tenant-admin', 'beta');
  await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
  for (let i = 0; i < 3; i++) expect((await run.admin.post(`${V1}/virtualmachines`, nodeVm(`web-w${i}`, 'acme', 'web', 2, 4096))).status).toBe(201);
  await run.admin.post(`${V1}/virtualmachines`, nodeVm('web-cp0', 'acme', 'web', 2, 4096, 'control-plane'));
  await eventually(async () => {
    const r = await run.admin.get<List>(`${V1}/virtualmachines`);
    return r.body.items.filter((x) => x.status?.phase === 'Running').length === 4 ? true : undefined;
  }, 20_000, 'node VMs running');
}, 60_000);
afterAll(async () => run?.stop());

describe('a tenant deploys an app onto its cluster', () => {
  it('creates a namespace, a deployment and a service; pods run on the workers', async () => {
    expect((await alice.post(`${C}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })).status).toBe(201);
    const d = await alice.post<Obj>(`${C}/apis/apps/v1/namespaces/shop/deployments`, deployment('api', 3, { cpu: '250m', memory: '256Mi' }));
    expect(d.status).toBe(201);
    expect(d.body.metadata.namespace).toBe('shop');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } };
    expect((await alice.post(`${C}/api/v1/namespaces/shop/services`, svc)).status).toBe(201);
    const pods = await eventually(async () => {
      const r = await alice.get<List>(`${C}/api/v1/namespaces/shop/pods?labelSelector=app%3Dapi`);
      return r.body.items.length === 3 && r.body.items.every((p) => p.status?.phase === 'Running') ? r.body.items : undefined;
    }, 20_000, 'pods running');
    for (const p of pods) {
      expect(p.metadata.namespace).toBe('shop');
      expect(p.spec?.nodeName).toMatch(/^web-w\d$/);
      expect(p.status?.host).toBeTruthy();
    }
    const one = await alice.get<Obj & { status: { placement: { evaluated: number } } }>(`${C}/api/v1/namespaces/shop/pods/${pods[0]?.metadata.name ?? ''}`);
    expect(one.body.status.placement.evaluated).toBe(4);
    const ep = await eventually(async () => {
      const r = await alice.get<{ spec: { subsets: { addresses: unknown[] }[] } }>(`${C}/api/v1/namespaces/shop/endpoints/api`);
      return r.body.spec?.subsets[0]?.addresses.length === 3 ? r.body : undefined;
    }, 10_000, 'endpoints');
    expect(ep.spec.subsets.length).toBe(1);
    const dep = await eventually(async () => {
      const r = await alice.get<{ status?: { availableReplicas?: number } }>(`${C}/apis/apps/v1/namespaces/shop/deployments/api`);
      return r.body.status?.availableReplicas === 3 ? r.body : undefined;
    }, 10_000, 'deployment available');
    expect(dep.status?.availableReplicas).toBe(3);
    const all = await alice.get<List>(`${C}/api/v1/pods`);
    expect(all.body.items.length).toBe(3);
    const rs = await alice.get<List>(`${C}/apis/apps/v1/namespaces/shop/replicasets`);
    expect(rs.body.items.length).toBe(1);
  });

  it('streams changes with ?watch=true in Kubernetes form', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${run.platform.url}${C}/api/v1/namespaces/shop/pods?watch=true`, { headers: { authorization: `Bearer ${alice.token ?? ''}` }, signal: ctrl.signal });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    const chunk = await reader?.read();
    ctrl.abort();
    const first = JSON.parse(new TextDecoder().decode(chunk?.value).split('\n')[0] ?? '{}') as { type: string; object: Obj };
    expect(first.type).toBe('ADDED');
    expect(first.object.metadata.namespace).toBe('shop');
  });

  it('keeps pods on the cluster nodes: the isolation audit covers them', async () => {
    const r = await run.admin.get<{ violations: { isolation: string }[]; checkedPods: number }>('/audit/isolation');
    expect(r.body.checkedPods).toBeGreaterThanOrEqual(3);
    expect(r.body.violations.filter((v) => v.isolation === 'pods')).toEqual([]);
  });
});

describe('access and bad input', () => {
  it("hides another tenant's cluster with 404 and names an unknown cluster", async () => {
    const r = await bob.get<{ message: string }>(`${C}/api/v1/namespaces/shop/pods`);
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('Cluster "web" not found');
    const w = await bob.post(`${C}/apis/apps/v1/namespaces/shop/deployments`, deployment('evil', 1, {}));
    expect(w.status).toBe(404);
    const u = await alice.get<{ message: string }>('/clusters/nope/api/v1/namespaces');
    expect(u.status).toBe(404);
    expect(u.body.message).toBe('Cluster "nope" not found');
  });

  it('refuses a deployment in a namespace that does not exist, naming it', async () => {
    const r = await alice.post<{ message: string }>(`${C}/apis/apps/v1/namespaces/missing/deployments`, deployment('api', 1, {}));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('Namespace "missing" not found');
  });

  it('names the field of a malformed quantity', async () => {
    const r = await alice.post<{ details: { causes: { field: string; message: string }[] } }>(`${C}/apis/apps/v1/namespaces/shop/deployments`, deployment('bad', 1, { cpu: 'lots' }));
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0]?.field).toBe('spec.template.spec.containers[0].resources.requests.cpu');
  });

  it('keeps a pod bigger than any node Pending with the reasons per node count', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { memory: '64Gi' } } }] } };
    expect((await alice.post(`${C}/api/v1/namespaces/default/pods`, pod)).status).toBe(201);
    const p = await eventually(async () => {
      const r = await alice.get<Obj>(`${C}/api/v1/namespaces/default/pods/huge`);
      return r.body.status?.conditions?.find((c) => c.type === 'PodScheduled') ? r.body : undefined;
    }, 10_000, 'PodScheduled condition');
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      '0/4 nodes are available: 3 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane}.',
    );
  });

  it('audits mutations with the cluster tenant and deletes through the API', async () => {
    expect((await alice.del(`${C}/api/v1/namespaces/default/pods/huge`)).status).toBe(200);
    expect((await alice.get(`${C}/api/v1/namespaces/default/pods/huge`)).status).toBe(404);
    const log = await run.admin.get<{ items: { verb: string; resource: string; tenant?: string; name?: string }[] }>('/audit/log?limit=1000');
    expect(log.body.items.some((e) => e.verb === 'delete' && e.resource === 'pods' && e.name === 'huge' && e.tenant === 'acme')).toBe(true);
  });
});
