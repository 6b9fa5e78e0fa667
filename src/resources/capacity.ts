/**
 * What the hosts of a zone can give: CPU in MHz (cores x MHz per core) and memory in MiB. The Host
 * kind records cores but no clock speed, so a default per-core MHz is assumed unless the caller
 * knows better. Hypervisor overhead and HA failover capacity are not subtracted here; a caller
 * that wants them out passes smaller figures.
 */
import type { Host } from '../api/index.js';

/** MHz of one physical core when the inventory does not say (a round figure, not a measurement). */
export const DEFAULT_CORE_MHZ = 2000;

/** One host's capacity, as the entitlement computation reads it. */
export interface HostCapacity {
  readonly name: string;
  readonly zone: string;
  readonly cores: number;
  /** Clock of one core: also what one vCPU can use at most. */
  readonly coreMHz: number;
  readonly memoryMiB: number;
}

/** A CPU and memory amount: a capacity, a reservation, an entitlement. */
export interface Capacity {
  readonly cpuMHz: number;
  readonly memoryMiB: number;
}

/** CPU capacity of a host in MHz. */
export function hostCpuMHz(host: HostCapacity): number {
  return host.cores * host.coreMHz;
}

/** The capacity record of a Host object, or undefined when it has no spec. */
export function hostCapacityOf(host: Host, coreMHz = DEFAULT_CORE_MHZ): HostCapacity | undefined {
  const spec = host.spec;
  if (spec === undefined) return undefined;
  return { name: host.metadata.name, zone: spec.zone, cores: spec.cores, coreMHz, memoryMiB: spec.memoryMiB };
}

/** Total capacity per zone: the zone root's reservation in the pool tree. */
export function zoneCapacities(hosts: readonly HostCapacity[]): ReadonlyMap<string, Capacity> {
  const out = new Map<string, { cpuMHz: number; memoryMiB: number }>();
  for (const h of hosts) {
    const z = out.get(h.zone) ?? { cpuMHz: 0, memoryMiB: 0 };
    z.cpuMHz += hostCpuMHz(h);
    z.memoryMiB += h.memoryMiB;
    out.set(h.zone, z);
  }
  return out;
}
