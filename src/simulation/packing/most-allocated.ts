/**
 * MostAllocated score (kube's NodeResourcesFit MostAllocated, the mirror of LeastAllocated): the
 * mean used fraction of CPU and memory capacity after placing the VM, x100. Bin-packs: what the
 * what-if uses to count the fewest hosts a set of VMs needs, and for a deliberately skewed start.
 */
import type { CycleState, HostInfo, PlacementRequest, Profile, ScorePlugin } from '../../scheduler/index.js';
import { defaultProfile } from '../../scheduler/index.js';

export class MostAllocated implements ScorePlugin {
  readonly name = 'MostAllocated';

  score(_state: CycleState, req: PlacementRequest, host: HostInfo): number {
    const cpu = host.cpuCapacity > 0 ? (host.allocatedVcpus + req.cpus) / host.cpuCapacity : 1;
    const mem = host.memoryCapacity > 0 ? (host.allocatedMemoryMiB + req.memoryMiB) / host.memoryCapacity : 1;
    return Math.min(100, 50 * (cpu + mem));
  }
}

/**
 * The default profile's PreFilter and Filter chain (every isolation, capacity and NUMA rule),
 * scored to pack: MostAllocated, then NUMA locality. No GroupSpread: spreading a cluster's nodes
 * would open empty hosts, which under per-sensitivity isolation strands them for other levels.
 */
export function packingProfile(): Profile {
  const base = defaultProfile();
  const numa = base.scores.find((s) => s.plugin.name === 'NumaFit');
  return {
    name: 'what-if-pack',
    preFilters: base.preFilters,
    filters: base.filters,
    scores: [{ plugin: new MostAllocated(), weight: 4 }, ...(numa ? [{ plugin: numa.plugin, weight: 1 }] : [])],
  };
}
