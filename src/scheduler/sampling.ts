/**
 * How many feasible hosts to find before scoring (kube-scheduler's numFeasibleNodesToFind): small
 * clusters are searched in full; large ones stop filtering after a bounded sample, which keeps a
 * decision's cost flat as the cluster grows while the rotating start spreads load.
 */

export interface SamplingOptions {
  /** Percent of hosts to find feasible before scoring; 0 = adaptive (50 % down to 5 %), 100 = all. */
  readonly percentageOfHostsToScore?: number;
  /** Never stop before this many feasible hosts (kube: 100). */
  readonly minFeasibleHostsToFind?: number;
}

export const DEFAULT_MIN_FEASIBLE_HOSTS = 100;
const MIN_ADAPTIVE_PERCENT = 5;

/** Feasible hosts to find among `hosts` before filtering stops. */
export function feasibleHostsToFind(hosts: number, options: SamplingOptions = {}): number {
  const min = options.minFeasibleHostsToFind ?? DEFAULT_MIN_FEASIBLE_HOSTS;
  let pct = options.percentageOfHostsToScore ?? 0;
  if (hosts < min || pct >= 100) return hosts;
  if (pct <= 0) pct = Math.max(MIN_ADAPTIVE_PERCENT, 50 - Math.floor(hosts / 125));
  return Math.max(min, Math.floor((hosts * pct) / 100));
}
