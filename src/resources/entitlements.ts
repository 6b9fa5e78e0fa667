/**
 * The entitlement computation a controller (DRS, the simulator, `top`) calls every pass: VMs'
 * demands and settings, hosts' capacities and the pool tree in; per-VM and per-pool entitlements,
 * usage, CPU ready and memory pressure out. Pure and deterministic: the same input gives the same
 * output, in input order.
 *
 *   resolveVms ─▶ divvy (per zone, cpu and memory) ─▶ hostUsage (per host) ─▶ ready / pressure
 */
import type { HostCapacity } from './capacity.js';
import { hostCpuMHz } from './capacity.js';
import { divvy, type DivvyResult } from './divvy.js';
import { cpuReadyMs, cpuReadyPercent, hostCaps, hostUsage, memoryPressure } from './host-contention.js';
import type { PoolTree } from './pool-tree.js';
import { resolveVms, type VmLoad } from './vm-load.js';

/** Everything the computation reads. */
export interface EntitlementInput {
  /** Hosts that are up; a zone's capacity is the sum of its hosts'. */
  readonly hosts: readonly HostCapacity[];
  /** From `validatePoolTree` (reservations admitted). */
  readonly tree: PoolTree;
  /** Powered-on VMs. */
  readonly vms: readonly VmLoad[];
}

/** A VM's CPU figures, in MHz (ready in ms per 20 s sample). */
export interface VmCpuFigures {
  readonly demandMHz: number;
  /** Demand within the vCPU count: what it would run if nothing else held it back. */
  readonly runnableMHz: number;
  /** The most it may use now: runnable demand within its own limit and its pools' limits. */
  readonly capMHz: number;
  /** Cluster-level (DRS) entitlement. */
  readonly entitlementMHz: number;
  /** What its host gives it: min(demand, the host's division of its capacity). */
  readonly usageMHz: number;
  readonly readyMs: number;
  readonly readyPercent: number;
}

/** A VM's memory figures, in MiB. */
export interface VmMemoryFigures {
  readonly demandMiB: number;
  /** The most it may use now: demand within its configured memory, its limit and its pools' limits. */
  readonly capMiB: number;
  readonly entitlementMiB: number;
  readonly usageMiB: number;
  readonly balloonMiB: number;
  readonly swapMiB: number;
}

/** One VM's result. */
export interface VmEntitlement {
  readonly name: string;
  readonly host: string;
  readonly zone: string;
  /** The pool tree node it sits in: a pool name or its zone's root name. */
  readonly pool: string;
  readonly tenant: string | undefined;
  readonly vcpus: number;
  readonly cpu: VmCpuFigures;
  readonly memory: VmMemoryFigures;
}

/** One pool's (or zone root's) result; usage is the sum over the VMs below it. */
export interface PoolEntitlement {
  readonly name: string;
  readonly zone: string;
  readonly parent: string | undefined;
  readonly isRoot: boolean;
  readonly cpu: { readonly demandMHz: number; readonly floorMHz: number; readonly entitlementMHz: number; readonly usageMHz: number };
  readonly memory: { readonly demandMiB: number; readonly floorMiB: number; readonly entitlementMiB: number; readonly usageMiB: number };
}

/** The whole computation's output. */
export interface EntitlementResult {
  /** In input order. */
  readonly vms: readonly VmEntitlement[];
  /** In tree order (zone roots and pools). */
  readonly pools: readonly PoolEntitlement[];
}

function zoneTotals(hosts: readonly HostCapacity[]): { cpu: Map<string, number>; memory: Map<string, number> } {
  const cpu = new Map<string, number>();
  const memory = new Map<string, number>();
  for (const h of hosts) {
    cpu.set(h.zone, (cpu.get(h.zone) ?? 0) + hostCpuMHz(h));
    memory.set(h.zone, (memory.get(h.zone) ?? 0) + h.memoryMiB);
  }
  return { cpu, memory };
}

/** Computes every VM's and pool's entitlement, usage, CPU ready and memory pressure. */
export function computeEntitlements(input: EntitlementInput): EntitlementResult {
  const { hosts, tree, vms } = input;
  const resolved = resolveVms(vms, hosts, tree);
  const vmsByNode = new Map<string, number[]>();
  resolved.node.forEach((node, i) => {
    const list = vmsByNode.get(node);
    if (list) list.push(i);
    else vmsByNode.set(node, [i]);
  });
  const totals = zoneTotals(hosts);
  const cpu = divvy(tree, 'cpu', totals.cpu, vmsByNode, resolved.cpu);
  const memory = divvy(tree, 'memory', totals.memory, vmsByNode, resolved.memory);
  const cpuCap = hostCaps(resolved, 'cpu', cpu.vm, cpu.poolLimited);
  const memCap = hostCaps(resolved, 'memory', memory.vm, memory.poolLimited);
  const cpuUsage = hostUsage(hosts, resolved, 'cpu', cpu.vm, cpuCap);
  const memUsage = hostUsage(hosts, resolved, 'memory', memory.vm, memCap);

  const out: VmEntitlement[] = [];
  for (let i = 0; i < vms.length; i++) {
    const vm = vms[i] as VmLoad;
    const host = hosts[resolved.hostIndex[i] as number] as HostCapacity;
    const runnableMHz = resolved.cpu.runnable[i] as number;
    const usageMHz = cpuUsage[i] as number;
    const readyMs = cpuReadyMs(runnableMHz, usageMHz, host.coreMHz);
    const usageMiB = memUsage[i] as number;
    const pressure = memoryPressure(resolved.memory.runnable[i] as number, usageMiB, vm.memoryMiB, vm.allocation?.memory?.reservationMiB ?? 0);
    out.push({
      name: vm.name,
      host: vm.host,
      zone: host.zone,
      pool: resolved.node[i] as string,
      tenant: vm.tenant,
      vcpus: vm.vcpus,
      cpu: { demandMHz: vm.cpuDemandMHz, runnableMHz, capMHz: cpuCap[i] as number, entitlementMHz: cpu.vm[i] as number, usageMHz, readyMs, readyPercent: cpuReadyPercent(readyMs, vm.vcpus) },
      memory: {
        demandMiB: vm.memoryDemandMiB,
        capMiB: memCap[i] as number,
        entitlementMiB: memory.vm[i] as number,
        usageMiB,
        balloonMiB: pressure.balloonMiB,
        swapMiB: pressure.swapMiB,
      },
    });
  }
  return { vms: out, pools: poolResults(tree, cpu, memory, resolved.node, cpuUsage, memUsage) };
}

function poolResults(
  tree: PoolTree,
  cpu: DivvyResult,
  memory: DivvyResult,
  vmNode: readonly string[],
  cpuUsage: Float64Array,
  memUsage: Float64Array,
): PoolEntitlement[] {
  // Usage rolls up from each VM's node through its ancestors.
  const usage = new Map<string, { cpu: number; memory: number }>();
  for (const name of tree.nodes.keys()) usage.set(name, { cpu: 0, memory: 0 });
  vmNode.forEach((node, i) => {
    let cur: string | undefined = node;
    while (cur !== undefined) {
      const u = usage.get(cur) as { cpu: number; memory: number };
      u.cpu += cpuUsage[i] as number;
      u.memory += memUsage[i] as number;
      cur = tree.nodes.get(cur)?.parent;
    }
  });
  const out: PoolEntitlement[] = [];
  for (const node of tree.nodes.values()) {
    const c = cpu.nodes.get(node.name);
    const m = memory.nodes.get(node.name);
    const u = usage.get(node.name) as { cpu: number; memory: number };
    out.push({
      name: node.name,
      zone: node.zone,
      parent: node.parent,
      isRoot: node.isRoot,
      cpu: { demandMHz: c?.demand ?? 0, floorMHz: c?.floor ?? 0, entitlementMHz: c?.entitlement ?? 0, usageMHz: u.cpu },
      memory: { demandMiB: m?.demand ?? 0, floorMiB: m?.floor ?? 0, entitlementMiB: m?.entitlement ?? 0, usageMiB: u.memory },
    });
  }
  return out;
}
