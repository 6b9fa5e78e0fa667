/**
 * What each host actually gives its VMs, and what the shortfall looks like. A host divides its own
 * capacity among the VMs on it by their cluster-level entitlement (water-filling again: floors are
 * the reservations, caps the demands within limits, weights the entitlements), so a VM on an
 * overloaded host gets less than its entitlement and one on an idle host may get more.
 *
 * CPU ready is reported the way vCenter's real-time `cpu.ready.summation` is: milliseconds, summed
 * over the VM's vCPUs, per 20 s sample: the unmet MHz (runnable demand minus usage, counting what
 * the VM's own limit holds back, as `cpu.ready` includes `cpu.maxlimited`) in cores, times 20,000
 * ms. The percentage divides by 20,000 ms x vCPUs (VMware KB 2002181's conversion, per vCPU).
 *
 * Memory a VM demands but is not given is reclaimed by ballooning first, up to 65 % of its
 * configured memory (ESXi's Mem.CtlMaxPercent default) and never from its reservation, and by
 * hypervisor swapping beyond that.
 */
import type { HostCapacity } from './capacity.js';
import { hostCpuMHz } from './capacity.js';
import type { ResourceKind } from './pool-tree.js';
import type { ResolvedVms } from './vm-load.js';
import { waterFill } from './water-fill.js';

/** Length of vCenter's real-time statistics sample. */
export const READY_SAMPLE_MS = 20_000;
/** Share of configured memory the balloon driver may take (Mem.CtlMaxPercent = 65). */
export const BALLOON_MAX_FRACTION = 0.65;

/**
 * The most each VM may use on its host: its own cap (demand within its size and limit), or its
 * entitlement when a pool limit above it binds (`poolLimited`), so pool limits hold on hosts too.
 */
export function hostCaps(vms: ResolvedVms, kind: ResourceKind, entitlement: Float64Array, poolLimited: Uint8Array): Float64Array {
  const cap = vms[kind].cap;
  const out = new Float64Array(cap.length);
  for (let i = 0; i < cap.length; i++) out[i] = poolLimited[i] === 1 ? Math.min(cap[i] as number, entitlement[i] as number) : (cap[i] as number);
  return out;
}

/** Per-VM usage of one resource: each host's capacity divided among its VMs (caps from `hostCaps`). */
export function hostUsage(hosts: readonly HostCapacity[], vms: ResolvedVms, kind: ResourceKind, entitlement: Float64Array, capOf: Float64Array): Float64Array {
  const floor = vms[kind].floor;
  const n = entitlement.length;
  const usage = new Float64Array(n);
  // VMs grouped by host with a counting sort: offsets[h]..offsets[h+1] index into `order`.
  const offsets = new Int32Array(hosts.length + 1);
  for (let i = 0; i < n; i++) (offsets[(vms.hostIndex[i] as number) + 1] as number)++;
  for (let h = 0; h < hosts.length; h++) offsets[h + 1] = (offsets[h + 1] as number) + (offsets[h] as number);
  const fill = offsets.slice(0, hosts.length);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = vms.hostIndex[i] as number;
    order[fill[h] as number] = i;
    fill[h] = (fill[h] as number) + 1;
  }
  let size = 0;
  for (let h = 0; h < hosts.length; h++) size = Math.max(size, (offsets[h + 1] as number) - (offsets[h] as number));
  const floors = new Float64Array(size);
  const caps = new Float64Array(size);
  const weights = new Float64Array(size);
  const got = new Float64Array(size);
  for (let h = 0; h < hosts.length; h++) {
    const from = offsets[h] as number;
    const count = (offsets[h + 1] as number) - from;
    if (count === 0) continue;
    const host = hosts[h] as HostCapacity;
    const capacity = kind === 'cpu' ? hostCpuMHz(host) : host.memoryMiB;
    for (let j = 0; j < count; j++) {
      const v = order[from + j] as number;
      const cap = capOf[v] as number;
      caps[j] = cap;
      floors[j] = Math.min(floor[v] as number, cap);
      weights[j] = entitlement[v] as number;
    }
    waterFill(capacity, floors.subarray(0, count), caps.subarray(0, count), weights.subarray(0, count), got);
    for (let j = 0; j < count; j++) usage[order[from + j] as number] = got[j] as number;
  }
  return usage;
}

/** CPU ready in ms per 20 s sample, summed over vCPUs: unmet MHz over the core clock, times the sample. */
export function cpuReadyMs(runnableMHz: number, usageMHz: number, coreMHz: number): number {
  const unmet = Math.max(0, runnableMHz - usageMHz);
  return coreMHz > 0 ? (unmet / coreMHz) * READY_SAMPLE_MS : 0;
}

/** CPU ready as a percentage of the sample per vCPU (0-100). */
export function cpuReadyPercent(readyMs: number, vcpus: number): number {
  return vcpus > 0 ? (readyMs / (READY_SAMPLE_MS * vcpus)) * 100 : 0;
}

/** How memory demanded but not given is reclaimed: balloon first (bounded), swap for the rest. */
export interface MemoryPressure {
  readonly balloonMiB: number;
  readonly swapMiB: number;
}

/** Estimates ballooning and swapping for a VM given its runnable demand and what it got. */
export function memoryPressure(runnableMiB: number, usageMiB: number, configuredMiB: number, reservationMiB: number): MemoryPressure {
  const shortfall = Math.max(0, runnableMiB - usageMiB);
  const balloonable = Math.max(0, Math.min(BALLOON_MAX_FRACTION * configuredMiB, configuredMiB - reservationMiB));
  const balloonMiB = Math.min(shortfall, balloonable);
  return { balloonMiB, swapMiB: shortfall - balloonMiB };
}
