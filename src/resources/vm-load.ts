/**
 * What the entitlement computation needs to know about one powered-on VM, and its resolution into
 * the numbers the divvy works with: per resource a floor (reservation, up to what it can use), a
 * cap (demand, bounded by the limit and by what the VM can physically use: its vCPUs at the host's
 * core clock, its configured memory) and a weight (its shares).
 */
import { ValidationError } from '../api/index.js';
import type { HostCapacity } from './capacity.js';
import type { VmResourceAllocation } from './pool-schema.js';
import { parentNodeName, type PoolTree } from './pool-tree.js';
import { NORMAL_SHARES, cpuShares, memoryShares } from './shares.js';

/** One powered-on VM with its current demand and its resource settings. */
export interface VmLoad {
  readonly name: string;
  /** Host it runs on; its zone is the host's. */
  readonly host: string;
  readonly tenant?: string;
  /** Configured size. */
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** What the guest would use if nothing held it back (see `vmDemand` for VMs running pods). */
  readonly cpuDemandMHz: number;
  readonly memoryDemandMiB: number;
  /** Pool, shares, reservations and limits; absent: the zone root, normal shares, no reservation, unlimited. */
  readonly allocation?: VmResourceAllocation;
}

/** Per-VM numbers of one resource, index-aligned with the input VMs. */
export interface ResolvedResource {
  /** Demand bounded by what the VM can physically use (vCPUs x core MHz, configured memory). */
  readonly runnable: Float64Array;
  /** min(runnable, limit): the most the VM may be given. */
  readonly cap: Float64Array;
  /** min(reservation, cap): what it is guaranteed. */
  readonly floor: Float64Array;
  readonly weight: Float64Array;
}

/** The VMs resolved against hosts and the pool tree. */
export interface ResolvedVms {
  /** Host index (into the hosts array) per VM. */
  readonly hostIndex: Int32Array;
  /** Pool tree node per VM (a pool name or a zone root name). */
  readonly node: readonly string[];
  readonly cpu: ResolvedResource;
  readonly memory: ResolvedResource;
}

function resource(n: number): { runnable: Float64Array; cap: Float64Array; floor: Float64Array; weight: Float64Array } {
  return { runnable: new Float64Array(n), cap: new Float64Array(n), floor: new Float64Array(n), weight: new Float64Array(n) };
}

function nonNegative(v: number, index: number, field: string): number {
  if (!(Number.isFinite(v) && v >= 0)) throw ValidationError.field(`vms[${index}].${field}`, `must be a non-negative number, got ${v}`);
  return v;
}

/**
 * Resolves every VM; throws a ValidationError naming the VM's field when a VM refers to an unknown
 * host or to a pool that is not in its host's zone (an inconsistent input, a caller's bug).
 */
export function resolveVms(vms: readonly VmLoad[], hosts: readonly HostCapacity[], tree: PoolTree): ResolvedVms {
  const n = vms.length;
  const hostIdx = new Map<string, number>();
  hosts.forEach((h, i) => hostIdx.set(h.name, i));
  const hostIndex = new Int32Array(n);
  const node: string[] = new Array<string>(n);
  const cpu = resource(n);
  const memory = resource(n);
  for (let i = 0; i < n; i++) {
    const vm = vms[i] as VmLoad;
    const hi = hostIdx.get(vm.host);
    if (hi === undefined) throw ValidationError.field(`vms[${i}].host`, `VM "${vm.name}" is on unknown host "${vm.host}"`);
    const host = hosts[hi] as HostCapacity;
    const a = vm.allocation;
    const nodeName = parentNodeName(host.zone, a?.pool);
    const pool = tree.nodes.get(nodeName);
    if (pool === undefined || pool.zone !== host.zone)
      throw ValidationError.field(`vms[${i}].allocation.pool`, `VM "${vm.name}" names pool "${nodeName}", which is not in zone "${host.zone}"`);
    hostIndex[i] = hi;
    node[i] = nodeName;

    const cpuRunnable = Math.min(nonNegative(vm.cpuDemandMHz, i, 'cpuDemandMHz'), vm.vcpus * host.coreMHz);
    const cpuCap = Math.min(cpuRunnable, a?.cpu?.limitMHz ?? Number.POSITIVE_INFINITY);
    cpu.runnable[i] = cpuRunnable;
    cpu.cap[i] = cpuCap;
    cpu.floor[i] = Math.min(a?.cpu?.reservationMHz ?? 0, cpuCap);
    cpu.weight[i] = cpuShares(a?.cpu?.shares ?? NORMAL_SHARES, vm.vcpus);

    const memRunnable = Math.min(nonNegative(vm.memoryDemandMiB, i, 'memoryDemandMiB'), vm.memoryMiB);
    const memCap = Math.min(memRunnable, a?.memory?.limitMiB ?? Number.POSITIVE_INFINITY);
    memory.runnable[i] = memRunnable;
    memory.cap[i] = memCap;
    memory.floor[i] = Math.min(a?.memory?.reservationMiB ?? 0, memCap);
    memory.weight[i] = memoryShares(a?.memory?.shares ?? NORMAL_SHARES, vm.memoryMiB);
  }
  return { hostIndex, node, cpu, memory };
}
