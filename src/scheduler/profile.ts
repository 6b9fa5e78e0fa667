/**
 * The default scheduling profile: the whole PreFilter / Filter / Score chain wired in one place
 * (as Nomad's NewGenericStack), each link commented with why it sits where it does.
 */
import type { NumaPolicy } from './numa.js';
import type { Profile } from './plugin.js';
import { BalancedAllocation } from './plugins/balanced-allocation.js';
import { CapacityFilter } from './plugins/capacity.js';
import { FeaturesFilter } from './plugins/features.js';
import { GroupSpread } from './plugins/group-spread.js';
import { HostStateFilter } from './plugins/host-state.js';
import { IsolationFilter } from './plugins/isolation.js';
import { LeastAllocated } from './plugins/least-allocated.js';
import { NumaFit } from './plugins/numa-fit.js';
import { ZoneAllowed } from './plugins/zone-allowed.js';

export interface ProfileOptions {
  /** Node choice inside a host and the NUMA score's preference; default `pack`. */
  readonly numaPolicy?: NumaPolicy;
}

/** Builds the default profile; plugins are stateless apart from their options, so profiles are cheap. */
export function defaultProfile(options: ProfileOptions = {}): Profile {
  const zone = new ZoneAllowed();
  const numa = new NumaFit(options.numaPolicy ?? 'pack');
  return {
    name: 'default',
    preFilters: [
      zone, // resolves pin/tenant zones once; a pin outside the tenant's zones fails before any host is read
    ],
    filters: [
      new HostStateFilter(), // cheapest and unresolvable: down or cordoned hosts drop out first
      zone, // one set lookup, unresolvable: hosts of other zones never reach the counters
      new FeaturesFilter(), // unresolvable hardware mismatch (sev-es); the list is usually empty
      new IsolationFilter(), // O(1) counters; before capacity so another tenant's host reports TenantIsolation, not "full"
      new CapacityFilter(), // host totals under overcommit: a cheap necessary condition for the NUMA search
      numa, // the only search; last so it runs on few hosts, and it records the chosen nodes for Score
    ],
    scores: [
      { plugin: new LeastAllocated(), weight: 1 }, // spread load so one host's failure costs little
      { plugin: new BalancedAllocation(), weight: 1 }, // keep CPU and memory even so neither is stranded
      { plugin: numa, weight: 2 }, // NUMA locality is what a VM feels most; tight fits limit fragmentation
      { plugin: new GroupSpread(), weight: 4 }, // a cluster's nodes on different hosts outweighs packing: one host failure costs one node
    ],
  };
}
