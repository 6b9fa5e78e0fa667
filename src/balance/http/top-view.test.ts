// `top` tables: per level, restricted to what the caller may see and to one cluster or zone, with
// the total of the rows and (platform-wide, unfiltered) every host's figures.
import { describe, expect, it } from 'vitest';
import { API_VERSION, type Host, type Pod, type VirtualMachine } from '../../api/index.js';
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { computeUsage } from '../model/usage-snapshot.js';
import { topView, type Visibility } from './top-view.js';

const GiB = 1024;
function host(name: string, zone: string): Host {
  return {
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name },
    spec: { zone, sockets: 1, cores: 8, memoryMiB: 64 * GiB, numaNodes: [{ id: 0, socket: 0, cores: 8, memoryMiB: 64 * GiB }], nicMbps: 25_000 },
    status: { state: 'Ready' },
  };
}
function vm(name: string, tenant: string, h: string, zone: string, cluster?: string): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name, ...(cluster ? { labels: { 'bulkhead.dev/cluster': cluster } } : {}) },
    spec: { tenant, cpus: 4, memoryMiB: 8 * GiB, powerState: 'On' },
    status: { phase: 'Running', host: h, zone },
  };
}
function pod(name: string, node: string, cluster: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: `${cluster}/shop` },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' } } }, { name: 'side', image: 'y', resources: { requests: { cpu: '250m', memory: '128Mi' } } }] },
    status: { phase: 'Running' },
  };
}

const pools: ResourcePoolObject[] = [{ apiVersion: API_VERSION, kind: 'ResourcePool', metadata: { name: 'acme', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { zone: 'a', tenant: 'acme', tenantDefault: true } }];
const snapshot = computeUsage(
  {
    hosts: [host('h1', 'a'), host('h2', 'a'), host('h3', 'b')],
    vms: [vm('web-1', 'acme', 'h1', 'a', 'web'), vm('web-2', 'acme', 'h2', 'a', 'web'), vm('solo', 'acme', 'h1', 'a'), vm('gx', 'globex', 'h3', 'b')],
    pods: [pod('api-1', 'web-1', 'web'), pod('api-2', 'web-2', 'web'), { ...pod('done', 'web-1', 'web'), status: { phase: 'Succeeded' } }],
    pools,
  },
  Date.UTC(2026, 0, 1),
);
const admin: Visibility = { all: true, tenants: new Set() };
const acmeOnly: Visibility = { all: false, tenants: new Set(['acme']) };
const poolTenant = (p: string) => pools.find((x) => x.metadata.name === p)?.spec?.tenant;

describe('topView', () => {
  it('hosts: every host (idle ones too) with capacity, the total equal to the global', () => {
    const v = topView(snapshot, 'hosts', admin, {}, poolTenant);
    expect(v.rows.map((r) => [r.name, r.zone, r.count])).toEqual([
      ['h1', 'a', 2],
      ['h2', 'a', 1],
      ['h3', 'b', 1],
    ]);
    expect(v.rows[0]?.cpuCapacityMHz).toBe(16_000);
    expect(v.global).toEqual(v.total);
    expect(v.total.count).toBe(4);
    expect(v.total.cpuUsageMHz).toBeCloseTo(v.rows.reduce((a, r) => a + r.cpuUsageMHz, 0), 0);
  });

  it('hosts of one zone: idle ones too, no global total', () => {
    const v = topView(snapshot, 'hosts', admin, { zone: 'b' }, poolTenant);
    expect(v.rows.map((r) => [r.name, r.count])).toEqual([['h3', 1]]);
    expect(v.global).toBeUndefined();
    const idle = computeUsage({ hosts: [host('h1', 'a'), host('h9', 'a')], vms: [vm('x', 'acme', 'h1', 'a')], pods: [], pools: [] }, 0);
    expect(topView(idle, 'hosts', admin, { zone: 'a' }, poolTenant).rows.map((r) => [r.name, r.count])).toEqual([
      ['h1', 1],
      ['h9', 0],
    ]);
  });

  it('a tenant sees only its own VMs, at every level, and no global figures', () => {
    const hosts = topView(snapshot, 'hosts', acmeOnly, {}, poolTenant);
    expect(hosts.rows.map((r) => r.name)).toEqual(['h1', 'h2']);
    expect(hosts.global).toBeUndefined();
    expect(topView(snapshot, 'tenants', acmeOnly, {}, poolTenant).rows.map((r) => r.name)).toEqual(['acme']);
    expect(topView(snapshot, 'vms', acmeOnly, {}, poolTenant).rows.map((r) => r.name)).toEqual(['web-1', 'web-2', 'solo']);
    expect(topView(snapshot, 'pools', acmeOnly, {}, poolTenant).rows.map((r) => r.name)).toEqual(['acme']);
  });

  it('pods and containers of one cluster, in milli-CPU, running pods only', () => {
    const pods = topView(snapshot, 'pods', admin, { cluster: 'web' }, poolTenant);
    expect(pods.rows.map((r) => [r.name, r.node, r.cluster, r.cpuDemandMillis])).toEqual([
      ['shop/api-1', 'web-1', 'web', 1250],
      ['shop/api-2', 'web-2', 'web', 1250],
    ]);
    expect(pods.total.cpuDemandMillis).toBe(2500);
    expect(pods.global).toBeUndefined();
    const containers = topView(snapshot, 'containers', admin, { cluster: 'web' }, poolTenant);
    expect(containers.rows.map((r) => `${r.pod}/${r.name}`)).toEqual(['api-1/app', 'api-1/side', 'api-2/app', 'api-2/side']);
  });

  it('vms of one cluster carry their pool and the cluster filter leaves other VMs out', () => {
    const v = topView(snapshot, 'vms', admin, { cluster: 'web' }, poolTenant);
    expect(v.rows.map((r) => [r.name, r.pool, r.tenant, r.cluster])).toEqual([
      ['web-1', 'acme', 'acme', 'web'],
      ['web-2', 'acme', 'acme', 'web'],
    ]);
    expect(v.total.count).toBe(2);
  });

  it('zones and pools: pools nest, so their total is the zone roots\'', () => {
    const zones = topView(snapshot, 'zones', admin, {}, poolTenant);
    expect(zones.rows.map((r) => [r.name, r.count])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    const p = topView(snapshot, 'pools', admin, { zone: 'a' }, poolTenant);
    expect(p.rows.map((r) => r.name)).toEqual(['zone:a', 'acme']);
    expect(p.total.cpuDemandMHz).toBe(p.rows[0]?.cpuDemandMHz);
  });
});
