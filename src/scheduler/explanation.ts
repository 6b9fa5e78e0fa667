/**
 * Placement explanations (Nomad's AllocMetric, kube's FitError message): hosts evaluated and
 * feasible, filtered counts by named reason, the top scores with each plugin's part, the choice,
 * the time taken and the seed, plus a one-line human message.
 */
import type { PlacementExplanation } from '../api/index.js';

/** The explanation the scheduler emits; `startOffset` with `seed` replays the decision on the same snapshot. */
export interface SchedulerExplanation extends PlacementExplanation {
  readonly startOffset: number;
}

export interface ScoredHost {
  readonly host: string;
  readonly score: number;
  readonly scores: Readonly<Record<string, number>>;
}

/** `8 InsufficientMemory, 8 SensitivityIsolation`: reasons by count, then by name. */
export function reasonSummary(filtered: Readonly<Record<string, number>>): string {
  return Object.entries(filtered)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
}

/** kube-scheduler style: `0/16 hosts are available: 8 InsufficientMemory, 8 SensitivityIsolation.` */
export function failureMessage(total: number, filtered: Readonly<Record<string, number>>, error?: string): string {
  if (error !== undefined) return `scheduling error: ${error}`;
  const summary = reasonSummary(filtered);
  return `0/${total} hosts are available${summary === '' ? '' : `: ${summary}`}.`;
}

/** `placed on h-7 (NUMA 0): 420/1000 hosts evaluated, 400 feasible, score 231.4; filtered: 20 HostNotReady` */
export function successMessage(
  host: string,
  numaNodes: readonly number[],
  evaluated: number,
  total: number,
  feasible: number,
  score: number,
  filtered: Readonly<Record<string, number>>,
): string {
  const summary = reasonSummary(filtered);
  return (
    `placed on ${host} (NUMA ${numaNodes.join('+')}): ${evaluated}/${total} hosts evaluated, ` +
    `${feasible} feasible, score ${round(score)}${summary === '' ? '' : `; filtered: ${summary}`}`
  );
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
