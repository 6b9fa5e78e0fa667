// Addresses survive a restart: the network rebuilds IPAM from the Segments and the pods' recorded
// addresses, the VIPs from the Services' status, and keeps allocating without handing out anything
// twice; the engine is rebuilt before the first request, so isolation holds from the first trace.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { networkExtension } from '../../src/network/index.js';
import { openStore } from '../../src/store/index.js';
import { workloadsExtension } from '../../src/workloads/index.js';
import { eventually, startTestPlatform, tenant, V1, nodeVm, type Running } from './harness.js';

interface PodObj {
  metadata: { name: string };
  status?: { phase?: string; podIP?: string };
}
interface SegmentList {
  items: { metadata: { name: string }; spec: { cidr: string } }[];
}

let dataDir = '';
let run: Running | undefined;
afterAll(async () => {
  await run?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const start = () => startTestPlatform({ dataDir, timeScale: 2000, extensions: [workloadsExtension, networkExtension] });

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

async function podIps(r: Running, app: string, count: number): Promise<Map<string, string>> {
  const pods = await eventually(async () => {
    const res = await r.admin.get<{ items: PodObj[] }>(`/clusters/web/api/v1/namespaces/shop/pods?labelSelector=app%3D${app}`);
    const ok = res.body.items.filter((p) => p.status?.podIP);
    return ok.length === count ? ok : undefined;
  }, 20_000, `${count} ${app} pods with addresses`);
  return new Map(pods.map((p) => [p.metadata.name, p.status?.podIP ?? '']));
}

async function vip(r: Running, svc: string): Promise<string> {
  return eventually(async () => {
    const res = await r.admin.get<{ status?: { loadBalancer?: { ingress?: { ip: string }[] } } }>(`/clusters/web/api/v1/namespaces/shop/services/${svc}`);
    return res.body.status?.loadBalancer?.ingress?.[0]?.ip;
  }, 10_000, `VIP of ${svc}`);
}

const lb = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: 'one' }, ports: [{ port: 80 }] } });

describe('network state across a restart', () => {
  it('never hands out an address, subnet or VIP twice, before or after', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-net-restart-'));
    run = await start();
    await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
    await run.admin.post(`${V1}/tenants`, tenant('beta', 'low'));
    await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme', plan: 'small' } });
    await run.platform.store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'other' }, spec: { tenant: 'beta', plan: 'small' } });
    await run.admin.post(`${V1}/virtualmachines`, nodeVm('web-w0', 'acme', 'web', 4, 8192));
    await run.admin.post('/clusters/web/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await run.admin.post('/clusters/web/apis/apps/v1/namespaces/shop/deployments', deployment('one', 4));
    await run.admin.post('/clusters/web/api/v1/namespaces/shop/services', lb('first'));
    const before = await podIps(run, 'one', 4);
    const firstVip = await vip(run, 'first');
    const segsBefore = await eventually(async () => {
      const r = await run?.admin.get<SegmentList>(`${V1}/segments`);
      return r?.body.items.length === 5 ? r.body : undefined; // 2 tenant blocks, 2 node segments, 1 pod subnet
    }, 10_000, 'segments');
    const kept = before;

    await run.stop();
    // While the server is down, a pod is bound but has no address yet (the server stopped between
    // the scheduler's bind and the network's allocation). Its name sorts first, so after the restart
    // it is allocated before any other pod is looked at: only the rebuild protects the survivors.
    const offline = await openStore(`sqlite:${join(dataDir, 'bulkhead.db')}`);
    await offline.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'aaa', namespace: 'web/shop', labels: { app: 'one' } },
      spec: { nodeName: 'web-w0', containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Pending' },
    });
    await offline.close();
    run = await start();

    const segsAfter = await run.admin.get<SegmentList>(`${V1}/segments`);
    expect(segsAfter.body.items.map((s) => [s.metadata.name, s.spec.cidr]).sort()).toEqual(segsBefore.items.map((s) => [s.metadata.name, s.spec.cidr]).sort());
    // The pods keep their addresses; the one that had none gets an address no one holds.
    const survivors = await podIps(run, 'one', 5);
    for (const [pod, ip] of kept) expect(survivors.get(pod)).toBe(ip);
    expect([...kept.values()]).not.toContain(survivors.get('aaa'));
    await run.admin.put('/clusters/web/apis/apps/v1/namespaces/shop/deployments/one', deployment('one', 6));
    const after = await podIps(run, 'one', 7);
    const ips = [...after.values()];
    expect(new Set(ips).size).toBe(7);
    for (const [pod, ip] of kept) expect(after.get(pod)).toBe(ip);
    // A new namespace and a new tenant's cluster get blocks that overlap nothing recorded.
    await run.admin.post('/clusters/web/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'more' } });
    const more = await eventually(async () => {
      const r = await run?.admin.get<{ status?: { subnet?: string } }>('/clusters/web/api/v1/namespaces/more');
      return r?.body.status?.subnet;
    }, 10_000, 'subnet of more');
    expect(segsBefore.items.map((s) => s.spec.cidr)).not.toContain(more);
    // The VIP the first Service held is still its own; a new LoadBalancer gets another.
    expect(await vip(run, 'first')).toBe(firstVip);
    await run.admin.post('/clusters/web/api/v1/namespaces/shop/services', lb('second'));
    expect(await vip(run, 'second')).not.toBe(firstVip);
    // Isolation holds right after the restart: beta's built-in policy is there.
    const builtins = await run.admin.get<{ items: { metadata: { name: string } }[] }>('/network/v1/builtin-policies');
    expect(builtins.body.items.map((i) => i.metadata.name)).toEqual(['tenant-isolation-acme', 'tenant-isolation-beta']);
  }, 90_000);
});
