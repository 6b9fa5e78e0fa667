/** Builders for the resource model's tests: pools, hosts, VMs and trees with short defaults. */
import type { Capacity, HostCapacity } from './capacity.js';
import type { ResourcePoolSpec, SharesSpec, VmResourceAllocation } from './pool-schema.js';
import type { PoolDef, PoolTree } from './pool-tree.js';
import { validatePoolTree } from './validate-pool-tree.js';
import type { VmLoad } from './vm-load.js';

export const ZONE = 'z1';

export interface PoolOpts {
  readonly zone?: string;
  readonly parent?: string;
  readonly cpuShares?: SharesSpec;
  readonly cpuRes?: number;
  readonly cpuLimit?: number;
  readonly cpuExpandable?: boolean;
  readonly memShares?: SharesSpec;
  readonly memRes?: number;
  readonly memLimit?: number;
  readonly memExpandable?: boolean;
}

/** A pool with only the settings given. */
export function pool(name: string, o: PoolOpts = {}): PoolDef {
  const spec: ResourcePoolSpec = {
    zone: o.zone ?? ZONE,
    ...(o.parent !== undefined ? { parent: o.parent } : {}),
    cpu: {
      ...(o.cpuShares ? { shares: o.cpuShares } : {}),
      ...(o.cpuRes !== undefined ? { reservationMHz: o.cpuRes } : {}),
      ...(o.cpuLimit !== undefined ? { limitMHz: o.cpuLimit } : {}),
      ...(o.cpuExpandable !== undefined ? { expandableReservation: o.cpuExpandable } : {}),
    },
    memory: {
      ...(o.memShares ? { shares: o.memShares } : {}),
      ...(o.memRes !== undefined ? { reservationMiB: o.memRes } : {}),
      ...(o.memLimit !== undefined ? { limitMiB: o.memLimit } : {}),
      ...(o.memExpandable !== undefined ? { expandableReservation: o.memExpandable } : {}),
    },
  };
  return { name, spec };
}

/** A host of `cores` x `coreMHz` and `memoryMiB`. */
export function host(name: string, cores: number, memoryMiB = 64 * 1024, o: { zone?: string; coreMHz?: number } = {}): HostCapacity {
  return { name, zone: o.zone ?? ZONE, cores, coreMHz: o.coreMHz ?? 1000, memoryMiB };
}

/** Capacity map of one zone. */
export function zones(...entries: [string, Capacity][]): ReadonlyMap<string, Capacity> {
  return new Map(entries);
}

/** A validated tree, failing the test with the causes when it is not valid. */
export function tree(pools: readonly PoolDef[], capacity: ReadonlyMap<string, Capacity>): PoolTree {
  const r = validatePoolTree(pools, capacity);
  if (!r.ok) throw new Error(`invalid test tree: ${r.causes.map((c) => `${c.pool} ${c.field}: ${c.message}`).join('; ')}`);
  return r.tree;
}

export interface VmOpts {
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  readonly cpu?: number;
  readonly mem?: number;
  readonly tenant?: string;
  readonly allocation?: VmResourceAllocation;
}

/** A VM on `hostName` with the demand given (CPU MHz, memory MiB). */
export function vm(name: string, hostName: string, o: VmOpts = {}): VmLoad {
  return {
    name,
    host: hostName,
    vcpus: o.vcpus ?? 8,
    memoryMiB: o.memoryMiB ?? 16 * 1024,
    cpuDemandMHz: o.cpu ?? 0,
    memoryDemandMiB: o.mem ?? 0,
    ...(o.tenant !== undefined ? { tenant: o.tenant } : {}),
    ...(o.allocation !== undefined ? { allocation: o.allocation } : {}),
  };
}
