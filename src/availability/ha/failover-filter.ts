/**
 * Dedicated failover hosts take no VMs in normal operation (vSphere's failover-host admission
 * policy): no placement, migration or evacuation may target them; only HA restarts do.
 */
import type { Zone } from '../../api/index.js';
import { SUCCESS, unresolvable, type CycleState, type FilterPlugin, type FilterStatus, type HostInfo, type PlacementRequest } from '../../scheduler/index.js';
import { failoverHosts } from '../model/ha-config.js';

/** The filter's reason: a named, constant one so placement explanations count it. */
export const FAILOVER_HOST = unresolvable('HaFailoverHost');

export class FailoverHostFilter implements FilterPlugin {
  readonly name = 'HaFailoverHost';

  constructor(private readonly zone: (name: string) => Zone | undefined) {}

  filter(_state: CycleState, _req: PlacementRequest, host: HostInfo): FilterStatus {
    return this.isFailoverHost(host.zone.name, host.name) ? FAILOVER_HOST : SUCCESS;
  }

  isFailoverHost(zone: string, host: string): boolean {
    const z = this.zone(zone);
    if (z === undefined) return false;
    // Zone objects are immutable (replaced on change), so the set is computed once per version.
    let set = this.sets.get(z);
    if (set === undefined) this.sets.set(z, (set = failoverHosts(z)));
    return set.has(host);
  }

  private readonly sets = new WeakMap<Zone, ReadonlySet<string>>();
}

/** A FailoverHostFilter over a fixed list of zones. */
export function failoverFilterOf(zones: readonly Zone[]): FailoverHostFilter {
  const byName = new Map(zones.map((z) => [z.metadata.name, z]));
  return new FailoverHostFilter((n) => byName.get(n));
}
