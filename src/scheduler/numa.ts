/**
 * NUMA fit inside one host. A VM that fits physically in one NUMA node (cores and memory) must be
 * placed in exactly one node; a wider VM spans the fewest nodes that can hold it, split evenly
 * across them (vNUMA style, remainder to the lowest-indexed nodes) so the split can be rebuilt from
 * the node list alone. Node capacity uses the host's overcommit percents. Node sets are bitmasks
 * over node indices (at most 30 nodes per host); nothing here allocates on the hot path.
 */
import {
  NUMA_CORES,
  NUMA_CPU_CAPACITY,
  NUMA_CPU_USED,
  NUMA_MEMORY,
  NUMA_MEMORY_CAPACITY,
  NUMA_MEMORY_USED,
  NUMA_STRIDE,
  type HostInfo,
} from './host-info.js';

/** How to choose among nodes that fit: `pack` the tightest (less fragmentation), `spread` the emptiest. */
export const NUMA_POLICIES = ['pack', 'spread'] as const;
export type NumaPolicy = (typeof NUMA_POLICIES)[number];

export function isNumaPolicy(value: unknown): value is NumaPolicy {
  return typeof value === 'string' && (NUMA_POLICIES as readonly string[]).includes(value);
}

/** Most NUMA nodes a host may have for the scheduler (bitmask width). */
export const MAX_NUMA_NODES = 30;
/** Above this many nodes, wide VMs take a greedy span instead of an exhaustive search. */
const EXHAUSTIVE_LIMIT = 12;

/** The j-th of k even shares of `total` (the first `total % k` shares get one more). */
export function evenShare(total: number, k: number, j: number): number {
  return Math.floor(total / k) + (j < total % k ? 1 : 0);
}

export function popcount(mask: number): number {
  let m = mask - ((mask >>> 1) & 0x55555555);
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (((m + (m >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Whether the VM fits physically (cores and memory) in at least one single node of the host. */
export function fitsOneNode(host: HostInfo, cpus: number, memoryMiB: number): boolean {
  const numa = host.numa;
  for (let o = 0; o < numa.length; o += NUMA_STRIDE) {
    if ((numa[o + NUMA_CORES] as number) >= cpus && (numa[o + NUMA_MEMORY] as number) >= memoryMiB) return true;
  }
  return false;
}

/**
 * Checks the even split of the VM over `mask`: returns the summed leftover fraction after
 * placement (lower is tighter), or -1 if a node lacks room (or, with `physicalOnly`, cores/memory).
 */
function evaluate(host: HostInfo, mask: number, k: number, cpus: number, memoryMiB: number, physicalOnly: boolean): number {
  const numa = host.numa;
  let j = 0;
  let leftover = 0;
  for (let i = 0; i < host.numaCount; i++) {
    if ((mask & (1 << i)) === 0) continue;
    const o = i * NUMA_STRIDE;
    const c = evenShare(cpus, k, j);
    const m = evenShare(memoryMiB, k, j);
    j++;
    if (c > (numa[o + NUMA_CORES] as number) || m > (numa[o + NUMA_MEMORY] as number)) return -1;
    if (physicalOnly) continue;
    const cpuCap = numa[o + NUMA_CPU_CAPACITY] as number;
    const memCap = numa[o + NUMA_MEMORY_CAPACITY] as number;
    const freeCpu = cpuCap - (numa[o + NUMA_CPU_USED] as number) - c;
    const freeMem = memCap - (numa[o + NUMA_MEMORY_USED] as number) - m;
    if (freeCpu < 0 || freeMem < 0) return -1;
    leftover += (cpuCap > 0 ? freeCpu / cpuCap : 0) + (memCap > 0 ? freeMem / memCap : 0);
  }
  return leftover;
}

/** Next larger integer with the same popcount (Gosper's hack). */
function nextCombination(x: number): number {
  const c = x & -x;
  const r = x + c;
  return (((r ^ x) >>> 2) / c) | r;
}

/** Best mask of exactly k nodes under the policy, or 0. */
function bestOfSize(host: HostInfo, k: number, cpus: number, memoryMiB: number, policy: NumaPolicy, physicalOnly: boolean): number {
  const n = host.numaCount;
  const limit = 1 << n;
  let best = 0;
  let bestLeft = 0;
  for (let mask = (1 << k) - 1; mask < limit; mask = nextCombination(mask)) {
    const left = evaluate(host, mask, k, cpus, memoryMiB, physicalOnly);
    if (left < 0) continue;
    if (physicalOnly) return mask;
    if (best === 0 || (policy === 'pack' ? left < bestLeft : left > bestLeft)) {
      best = mask;
      bestLeft = left;
    }
  }
  return best;
}

/** Fast path of `bestOfSize(k = 1)`, the common case: one pass over the nodes, no split. */
function bestSingle(host: HostInfo, cpus: number, memoryMiB: number, policy: NumaPolicy): number {
  let best = -1;
  let bestLeft = 0;
  const numa = host.numa;
  for (let i = 0, o = 0; o < numa.length; i++, o += NUMA_STRIDE) {
    if (cpus > (numa[o + NUMA_CORES] as number) || memoryMiB > (numa[o + NUMA_MEMORY] as number)) continue;
    const cc = numa[o + NUMA_CPU_CAPACITY] as number;
    const mc = numa[o + NUMA_MEMORY_CAPACITY] as number;
    const freeCpu = cc - (numa[o + NUMA_CPU_USED] as number) - cpus;
    const freeMem = mc - (numa[o + NUMA_MEMORY_USED] as number) - memoryMiB;
    if (freeCpu < 0 || freeMem < 0) continue;
    const left = (cc > 0 ? freeCpu / cc : 0) + (mc > 0 ? freeMem / mc : 0);
    if (best < 0 || (policy === 'pack' ? left < bestLeft : left > bestLeft)) {
      best = i;
      bestLeft = left;
    }
  }
  return best < 0 ? 0 : 1 << best;
}

/** Greedy span for hosts with many nodes: the k freest nodes, k growing until the split fits. */
function greedySpan(host: HostInfo, cpus: number, memoryMiB: number, physicalOnly: boolean): number {
  const order = Array.from({ length: host.numaCount }, (_, i) => i);
  const numa = host.numa;
  const free = (i: number): number =>
    physicalOnly
      ? (numa[i * NUMA_STRIDE + NUMA_CORES] ?? 0)
      : (numa[i * NUMA_STRIDE + NUMA_CPU_CAPACITY] ?? 0) - (numa[i * NUMA_STRIDE + NUMA_CPU_USED] ?? 0);
  order.sort((a, b) => free(b) - free(a) || a - b);
  let mask = 0;
  for (let k = 1; k <= order.length; k++) {
    mask |= 1 << (order[k - 1] ?? 0);
    if (k >= 2 && evaluate(host, mask, k, cpus, memoryMiB, physicalOnly) >= 0) return mask;
  }
  return 0;
}

/**
 * The NUMA nodes (bitmask of indices) the VM would take on this host, or 0 if it cannot be
 * placed: a single node for a VM that fits one physically, else the fewest nodes that fit.
 */
export function fitNuma(host: HostInfo, cpus: number, memoryMiB: number, policy: NumaPolicy): number {
  const n = host.numaCount;
  if (n === 0 || n > MAX_NUMA_NODES) return 0;
  if (fitsOneNode(host, cpus, memoryMiB)) return bestSingle(host, cpus, memoryMiB, policy);
  if (n > EXHAUSTIVE_LIMIT) return greedySpan(host, cpus, memoryMiB, false);
  for (let k = 2; k <= n; k++) {
    const mask = bestOfSize(host, k, cpus, memoryMiB, policy, false);
    if (mask !== 0) return mask;
  }
  return 0;
}

/** Fewest nodes the VM needs on this host when it is empty (its physical span), or 0 if none. */
export function minimumSpan(host: HostInfo, cpus: number, memoryMiB: number): number {
  const n = host.numaCount;
  if (n === 0 || n > MAX_NUMA_NODES) return 0;
  if (fitsOneNode(host, cpus, memoryMiB)) return 1;
  if (n > EXHAUSTIVE_LIMIT) return popcount(greedySpan(host, cpus, memoryMiB, true));
  for (let k = 2; k <= n; k++) if (bestOfSize(host, k, cpus, memoryMiB, 'pack', true) !== 0) return k;
  return 0;
}

/** Mean free fraction (CPU and memory) left in the mask's nodes after placing the VM, in [0, 1]. */
export function numaLeftover(host: HostInfo, mask: number, cpus: number, memoryMiB: number): number {
  const k = popcount(mask);
  const left = evaluate(host, mask, k, cpus, memoryMiB, false);
  return left < 0 ? 0 : left / (2 * k);
}

/** One node's share of a VM. */
export interface NumaShare {
  readonly index: number;
  readonly id: number;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/** The even split of a VM over the nodes of `mask`, in index order. */
export function numaShares(host: HostInfo, mask: number, cpus: number, memoryMiB: number): NumaShare[] {
  const k = popcount(mask);
  const out: NumaShare[] = [];
  for (let i = 0, j = 0; i < host.numaCount; i++) {
    if ((mask & (1 << i)) === 0) continue;
    out.push({ index: i, id: host.numaIds[i] ?? i, vcpus: evenShare(cpus, k, j), memoryMiB: evenShare(memoryMiB, k, j) });
    j++;
  }
  return out;
}

/** Mask of the host's node indices for a list of node ids (unknown ids ignored). */
export function maskOfIds(host: HostInfo, ids: readonly number[]): number {
  let mask = 0;
  for (const id of ids) {
    for (let i = 0; i < host.numaCount; i++) if (host.numaIds[i] === id) mask |= 1 << i;
  }
  return mask;
}
