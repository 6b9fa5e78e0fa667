/**
 * Per-host and per-zone state in the snapshot, laid out for the hot path: numbers in fields and
 * typed arrays (one slot per NUMA node), capacities under overcommit precomputed, isolation
 * counters kept incrementally. Plugins see the read-only `HostInfo`; only the snapshot mutates.
 */
import { SENSITIVITY_LEVELS, type HostSpec, type HostStatus, type HostState, type IsolationMode, type Zone } from '../api/index.js';
import { defaultZoneSpec } from '../api/index.js';

/** A zone's placement policy, resolved with defaults. */
export interface ZoneInfo {
  readonly name: string;
  readonly isolation: IsolationMode;
  readonly cpuOvercommitPercent: number;
  readonly memoryOvercommitPercent: number;
}

/** Resolves a zone's policy; hosts of unknown zones get the defaults under the zone's name. */
export function zoneInfo(name: string, zone?: Zone): ZoneInfo {
  const spec = defaultZoneSpec(zone?.spec ?? {});
  return {
    name,
    isolation: spec.isolation ?? 'per-sensitivity',
    cpuOvercommitPercent: spec.cpuOvercommitPercent ?? 400,
    memoryOvercommitPercent: spec.memoryOvercommitPercent ?? 100,
  };
}

/** Capacity under an overcommit percentage (400 % of 32 cores = 128 vCPUs). */
export function overcommitted(amount: number, percent: number): number {
  return Math.floor((amount * percent) / 100);
}

/**
 * Field offsets of one NUMA node in `HostInfo.numa`, which holds all of a host's nodes in one
 * strided array (node i at `i * NUMA_STRIDE`): one object to touch per host instead of six.
 */
export const NUMA_CORES = 0;
export const NUMA_MEMORY = 1;
/** vCPUs and MiB placeable on the node under the zone's overcommit. */
export const NUMA_CPU_CAPACITY = 2;
export const NUMA_MEMORY_CAPACITY = 3;
export const NUMA_CPU_USED = 4;
export const NUMA_MEMORY_USED = 5;
export const NUMA_STRIDE = 6;

/** What a plugin may read about a host. */
export interface HostInfo {
  readonly name: string;
  /** Index into the framework's per-decision scratch arrays. */
  readonly slot: number;
  readonly zone: ZoneInfo;
  readonly state: HostState | undefined;
  readonly unschedulable: boolean;
  readonly features: ReadonlySet<string>;
  readonly cores: number;
  readonly memoryMiB: number;
  /** vCPUs and MiB placeable under the zone's overcommit. */
  readonly cpuCapacity: number;
  readonly memoryCapacity: number;
  readonly allocatedVcpus: number;
  readonly allocatedMemoryMiB: number;
  readonly vmCount: number;
  readonly numaCount: number;
  /** NUMA node ids, by node index. */
  readonly numaIds: Int32Array;
  /** Per node, `NUMA_STRIDE` numbers at the `NUMA_*` offsets. */
  readonly numa: Float64Array;
  /** VMs on the host per sensitivity level, indexed like `SENSITIVITY_LEVELS`. */
  readonly sensitivityCounts: Int32Array;
  /** VMs on the host per tenant (only tenants with at least one VM). */
  readonly tenantCounts: ReadonlyMap<string, number>;
  /** VMs on the host per spread group (e.g. the nodes of one cluster). */
  readonly groupCounts: ReadonlyMap<string, number>;
  /** Keys (`vmKey`) of the VMs placed on the host. */
  readonly vms: ReadonlySet<string>;
}

/** The snapshot's mutable host record. */
export class HostRecord implements HostInfo {
  slot: number;
  zone: ZoneInfo;
  state: HostState | undefined;
  unschedulable = false;
  features: ReadonlySet<string> = new Set();
  cores = 0;
  memoryMiB = 0;
  cpuCapacity = 0;
  memoryCapacity = 0;
  allocatedVcpus = 0;
  allocatedMemoryMiB = 0;
  vmCount = 0;
  numaCount = 0;
  numaIds = new Int32Array(0);
  numa = new Float64Array(0);
  readonly sensitivityCounts = new Int32Array(SENSITIVITY_LEVELS.length);
  readonly tenantCounts = new Map<string, number>();
  readonly groupCounts = new Map<string, number>();
  /** Keys of the VMs placed here, so a host removal or reshape can find them. */
  readonly vms = new Set<string>();

  constructor(
    readonly name: string,
    slot: number,
    zone: ZoneInfo,
  ) {
    this.slot = slot;
    this.zone = zone;
  }

  /** Takes the spec and status fields of a Host; NUMA allocations are reset when the layout changes. */
  applyHost(spec: HostSpec, status: HostStatus | undefined, zone: ZoneInfo): boolean {
    this.zone = zone;
    this.state = status?.state;
    this.unschedulable = spec.unschedulable === true;
    this.features = new Set(spec.features ?? []);
    this.cores = spec.cores;
    this.memoryMiB = spec.memoryMiB;
    const nodes = spec.numaNodes;
    const same =
      nodes.length === this.numaCount &&
      nodes.every(
        (n, i) =>
          n.id === this.numaIds[i] &&
          n.cores === this.numa[i * NUMA_STRIDE + NUMA_CORES] &&
          n.memoryMiB === this.numa[i * NUMA_STRIDE + NUMA_MEMORY],
      );
    if (!same) {
      this.numaCount = nodes.length;
      this.numaIds = Int32Array.from(nodes, (n) => n.id);
      this.numa = new Float64Array(nodes.length * NUMA_STRIDE);
      nodes.forEach((n, i) => {
        this.numa[i * NUMA_STRIDE + NUMA_CORES] = n.cores;
        this.numa[i * NUMA_STRIDE + NUMA_MEMORY] = n.memoryMiB;
      });
    }
    this.applyZone(zone);
    return !same;
  }

  /** Recomputes capacities under the zone's overcommit percentages. */
  applyZone(zone: ZoneInfo): void {
    this.zone = zone;
    this.cpuCapacity = overcommitted(this.cores, zone.cpuOvercommitPercent);
    this.memoryCapacity = overcommitted(this.memoryMiB, zone.memoryOvercommitPercent);
    const numa = this.numa;
    for (let o = 0; o < numa.length; o += NUMA_STRIDE) {
      numa[o + NUMA_CPU_CAPACITY] = overcommitted(numa[o + NUMA_CORES] ?? 0, zone.cpuOvercommitPercent);
      numa[o + NUMA_MEMORY_CAPACITY] = overcommitted(numa[o + NUMA_MEMORY] ?? 0, zone.memoryOvercommitPercent);
    }
  }

  /** Index of the NUMA node with this id, or -1. */
  numaIndex(id: number): number {
    for (let i = 0; i < this.numaCount; i++) if (this.numaIds[i] === id) return i;
    return -1;
  }
}
