/**
 * NumaFit, filter and score. Filter: the VM must fit one NUMA node if it is small enough to,
 * else the fewest nodes that hold it (rejects with `NumaNoFit`); it records the chosen nodes in
 * the cycle state. Score: a single-node (or minimum-span) fit scores 50..100 by how tight
 * (`pack`) or roomy (`spread`) the chosen nodes are left; wider-than-needed spans score less.
 */
import type { HostInfo } from '../host-info.js';
import { fitNuma, minimumSpan, numaLeftover, popcount, type NumaPolicy } from '../numa.js';
import type { CycleState, FilterPlugin, ScorePlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import { SUCCESS, unschedulable, type FilterStatus } from '../status.js';
import { normalizeToMax } from './normalize.js';

const NO_FIT = unschedulable('NumaNoFit');

export class NumaFit implements FilterPlugin, ScorePlugin {
  readonly name = 'NumaFit';

  constructor(readonly policy: NumaPolicy = 'pack') {}

  filter(state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    state.numaPolicy = this.policy;
    const mask = fitNuma(host, req.cpus, req.memoryMiB, this.policy);
    state.setNuma(host.slot, mask);
    return mask === 0 ? NO_FIT : SUCCESS;
  }

  score(state: CycleState, req: PlacementRequest, host: HostInfo): number {
    let mask = state.numaFor(host.slot);
    if (mask === 0) mask = fitNuma(host, req.cpus, req.memoryMiB, this.policy);
    if (mask === 0) return 0;
    const span = popcount(mask);
    const min = span === 1 ? 1 : minimumSpan(host, req.cpus, req.memoryMiB) || span;
    const left = numaLeftover(host, mask, req.cpus, req.memoryMiB);
    const fit = this.policy === 'pack' ? 1 - left : left;
    return 100 * (min / span) * (0.5 + 0.5 * fit);
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeToMax(scores, count);
  }
}
