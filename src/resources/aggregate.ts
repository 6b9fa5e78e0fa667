/**
 * Totals for `bulkhead top`: the computed figures summed per container, VM, host, zone, tenant and
 * over everything. Pure functions over `computeEntitlements` (and `divideVmCpu`) results; rows
 * keep first-seen order and hosts without VMs still get a row with their capacity.
 */
import type { ContainerShare } from './cfs.js';
import { hostCpuMHz, type HostCapacity } from './capacity.js';
import type { EntitlementResult, VmEntitlement } from './entitlements.js';

/** Summed figures of a group (CPU in MHz, ready in ms per 20 s sample summed, memory in MiB). */
export interface UsageTotals {
  /** Members summed (VMs, or containers for container rows). */
  readonly count: number;
  readonly cpuDemandMHz: number;
  readonly cpuUsageMHz: number;
  readonly cpuEntitlementMHz: number;
  readonly cpuReadyMs: number;
  readonly memoryDemandMiB: number;
  readonly memoryUsageMiB: number;
  readonly memoryEntitlementMiB: number;
  readonly balloonMiB: number;
  readonly swapMiB: number;
  /** Host capacity below the group, where the group is made of hosts. */
  readonly cpuCapacityMHz?: number;
  readonly memoryCapacityMiB?: number;
}

/** One row of a `top` table. */
export interface TopRow {
  readonly name: string;
  readonly totals: UsageTotals;
}

/** Every level of `top` at once. */
export interface TopReport {
  readonly containers: readonly TopRow[];
  readonly vms: readonly TopRow[];
  readonly hosts: readonly TopRow[];
  readonly zones: readonly TopRow[];
  readonly tenants: readonly TopRow[];
  readonly global: UsageTotals;
}

/** Tenant name rows use for VMs without one. */
export const NO_TENANT = '(none)';

const ZERO: UsageTotals = Object.freeze({
  count: 0,
  cpuDemandMHz: 0,
  cpuUsageMHz: 0,
  cpuEntitlementMHz: 0,
  cpuReadyMs: 0,
  memoryDemandMiB: 0,
  memoryUsageMiB: 0,
  memoryEntitlementMiB: 0,
  balloonMiB: 0,
  swapMiB: 0,
});

/** One VM's figures as totals. */
export function vmTotals(vm: VmEntitlement): UsageTotals {
  return {
    count: 1,
    cpuDemandMHz: vm.cpu.demandMHz,
    cpuUsageMHz: vm.cpu.usageMHz,
    cpuEntitlementMHz: vm.cpu.entitlementMHz,
    cpuReadyMs: vm.cpu.readyMs,
    memoryDemandMiB: vm.memory.demandMiB,
    memoryUsageMiB: vm.memory.usageMiB,
    memoryEntitlementMiB: vm.memory.entitlementMiB,
    balloonMiB: vm.memory.balloonMiB,
    swapMiB: vm.memory.swapMiB,
  };
}

/** One container's figures as totals: inside a VM what CFS gives it is its entitlement. */
export function containerTotals(c: ContainerShare): UsageTotals {
  return {
    ...ZERO,
    count: 1,
    cpuDemandMHz: c.demandMHz,
    cpuUsageMHz: c.gotMHz,
    cpuEntitlementMHz: c.gotMHz,
    cpuReadyMs: c.readyMs,
    memoryDemandMiB: c.memoryDemandMiB,
    memoryUsageMiB: c.memoryUsageMiB,
    memoryEntitlementMiB: c.memoryUsageMiB,
  };
}

type Mutable = { -readonly [K in keyof UsageTotals]: UsageTotals[K] };

function add(acc: Mutable, t: UsageTotals): void {
  acc.count += t.count;
  acc.cpuDemandMHz += t.cpuDemandMHz;
  acc.cpuUsageMHz += t.cpuUsageMHz;
  acc.cpuEntitlementMHz += t.cpuEntitlementMHz;
  acc.cpuReadyMs += t.cpuReadyMs;
  acc.memoryDemandMiB += t.memoryDemandMiB;
  acc.memoryUsageMiB += t.memoryUsageMiB;
  acc.memoryEntitlementMiB += t.memoryEntitlementMiB;
  acc.balloonMiB += t.balloonMiB;
  acc.swapMiB += t.swapMiB;
  if (t.cpuCapacityMHz !== undefined) acc.cpuCapacityMHz = (acc.cpuCapacityMHz ?? 0) + t.cpuCapacityMHz;
  if (t.memoryCapacityMiB !== undefined) acc.memoryCapacityMiB = (acc.memoryCapacityMiB ?? 0) + t.memoryCapacityMiB;
}

// Adds a VM straight from its result, without building its totals object first (the hot path).
function addVm(acc: Mutable, vm: VmEntitlement): void {
  acc.count += 1;
  acc.cpuDemandMHz += vm.cpu.demandMHz;
  acc.cpuUsageMHz += vm.cpu.usageMHz;
  acc.cpuEntitlementMHz += vm.cpu.entitlementMHz;
  acc.cpuReadyMs += vm.cpu.readyMs;
  acc.memoryDemandMiB += vm.memory.demandMiB;
  acc.memoryUsageMiB += vm.memory.usageMiB;
  acc.memoryEntitlementMiB += vm.memory.entitlementMiB;
  acc.balloonMiB += vm.memory.balloonMiB;
  acc.swapMiB += vm.memory.swapMiB;
}

/** Sum of totals; capacities add up where present. */
export function sumTotals(items: readonly UsageTotals[]): UsageTotals {
  const acc: Mutable = { ...ZERO };
  for (const t of items) add(acc, t);
  return acc;
}

/** Groups items by key and sums their totals, rows in first-seen order. */
export function groupTotals<T>(items: readonly T[], key: (item: T) => string, totals: (item: T) => UsageTotals): TopRow[] {
  const groups = new Map<string, Mutable>();
  for (const item of items) {
    const k = key(item);
    let acc = groups.get(k);
    if (acc === undefined) {
      acc = { ...ZERO };
      groups.set(k, acc);
    }
    add(acc, totals(item));
  }
  return [...groups].map(([name, totals]) => ({ name, totals }));
}

/** All `top` levels from one computation; `containers` from `divideVmCpu` when pods are known. */
export function topReport(result: EntitlementResult, hosts: readonly HostCapacity[], containers: readonly ContainerShare[] = []): TopReport {
  const byHost = new Map<string, Mutable>();
  for (const h of hosts) byHost.set(h.name, { ...ZERO, cpuCapacityMHz: hostCpuMHz(h), memoryCapacityMiB: h.memoryMiB });
  const byTenant = new Map<string, Mutable>();
  for (const vm of result.vms) {
    const h = byHost.get(vm.host);
    if (h !== undefined) addVm(h, vm);
    const key = vm.tenant ?? NO_TENANT;
    let t = byTenant.get(key);
    if (t === undefined) {
      t = { ...ZERO };
      byTenant.set(key, t);
    }
    addVm(t, vm);
  }
  const hostRows = [...byHost].map(([name, totals]): TopRow => ({ name, totals }));
  const zoneOf = new Map(hosts.map((h) => [h.name, h.zone]));
  const zones = groupTotals(hostRows, (r) => zoneOf.get(r.name) ?? '', (r) => r.totals);
  return {
    containers: containers.map((c) => ({ name: `${c.pod}/${c.container}`, totals: containerTotals(c) })),
    vms: result.vms.map((vm) => ({ name: vm.name, totals: vmTotals(vm) })),
    hosts: hostRows,
    zones,
    tenants: [...byTenant].map(([name, totals]) => ({ name, totals })),
    global: sumTotals(zones.map((z) => z.totals)),
  };
}
