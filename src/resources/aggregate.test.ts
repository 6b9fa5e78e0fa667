/** `top` totals: each level sums the one below, hosts without VMs still show, tenants partition the VMs. */
import { describe, expect, it } from 'vitest';
import { topReport } from './aggregate.js';
import { divideVmCpu } from './cfs.js';
import { zoneCapacities } from './capacity.js';
import { computeEntitlements } from './entitlements.js';
import { host, tree, vm } from './fixtures.test-util.js';
import type { ContainerLoad } from './pod-demand.js';

const hosts = [host('h1', 4, 8192), host('h2', 4, 8192), host('h3', 8, 8192, { zone: 'z2' }), host('idle', 2, 1024, { zone: 'z2' })];
const vms = [
  vm('a', 'h1', { vcpus: 4, cpu: 4000, mem: 4096, memoryMiB: 8192, tenant: 't1' }),
  vm('b', 'h1', { vcpus: 4, cpu: 4000, mem: 6144, memoryMiB: 8192, tenant: 't2' }),
  vm('c', 'h2', { vcpus: 2, cpu: 1000, mem: 1024, tenant: 't1' }),
  vm('d', 'h3', { vcpus: 4, cpu: 3000, mem: 2048 }),
];
const result = computeEntitlements({ hosts, tree: tree([], zoneCapacities(hosts)), vms });
const inA: ContainerLoad[] = [
  { pod: 'ns/p1', container: 'app', tenant: 't1', requestMillis: 1000, limitMillis: undefined, demandMillis: 3000, memoryRequestMiB: 0, memoryLimitMiB: undefined, memoryDemandMiB: 1024 },
  { pod: 'ns/p2', container: 'app', tenant: 't1', requestMillis: 1000, limitMillis: undefined, demandMillis: 1000, memoryRequestMiB: 0, memoryLimitMiB: undefined, memoryDemandMiB: 512 },
];
const containers = divideVmCpu(inA, result.vms[0]?.cpu.usageMHz ?? 0, 1000);
const report = topReport(result, hosts, containers);

describe('topReport', () => {
  it('has a row per VM, host (even idle ones, with capacity), zone and tenant', () => {
    expect(report.vms.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(report.hosts.map((r) => r.name)).toEqual(['h1', 'h2', 'h3', 'idle']);
    expect(report.hosts[3]?.totals).toMatchObject({ count: 0, cpuUsageMHz: 0, cpuCapacityMHz: 2000, memoryCapacityMiB: 1024 });
    expect(report.zones.map((r) => [r.name, r.totals.count, r.totals.cpuCapacityMHz])).toEqual([
      ['z1', 3, 8000],
      ['z2', 1, 10_000],
    ]);
    expect(report.tenants.map((r) => [r.name, r.totals.count])).toEqual([
      ['t1', 2],
      ['t2', 1],
      ['(none)', 1],
    ]);
  });

  it('sums the levels consistently', () => {
    const sum = (rows: readonly { totals: { cpuUsageMHz: number } }[]): number => rows.reduce((a, r) => a + r.totals.cpuUsageMHz, 0);
    expect(report.global.cpuUsageMHz).toBeCloseTo(sum(report.vms), 6);
    expect(sum(report.hosts)).toBeCloseTo(report.global.cpuUsageMHz, 6);
    expect(sum(report.zones)).toBeCloseTo(report.global.cpuUsageMHz, 6);
    expect(sum(report.tenants)).toBeCloseTo(report.global.cpuUsageMHz, 6);
    expect(report.global.cpuCapacityMHz).toBe(4000 + 4000 + 8000 + 2000);
    expect(report.global.count).toBe(4);
  });

  it('shows contention where it is: h1 is overloaded, its VMs wait', () => {
    const h1 = report.hosts[0]?.totals;
    expect(h1?.cpuDemandMHz).toBe(8000);
    expect(h1?.cpuUsageMHz).toBeCloseTo(4000, 6);
    expect(h1?.cpuReadyMs).toBeCloseTo(4 * 20_000, 6);
    expect(report.hosts[1]?.totals.cpuReadyMs).toBe(0);
    // 10 GiB wanted of 8 GiB on h1: 2 GiB reclaimed.
    expect((h1?.balloonMiB ?? 0) + (h1?.swapMiB ?? 0)).toBeCloseTo(2048, 6);
  });

  it('has container rows whose usage adds up to their VM', () => {
    expect(report.containers.map((r) => r.name)).toEqual(['ns/p1/app', 'ns/p2/app']);
    const used = report.containers.reduce((a, r) => a + r.totals.cpuUsageMHz, 0);
    expect(used).toBeCloseTo(result.vms[0]?.cpu.usageMHz ?? 0, 6);
    expect(report.containers[1]?.totals.cpuUsageMHz).toBeCloseTo(1000, 6);
  });
});
