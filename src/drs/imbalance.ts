/**
 * The ≤ vSphere 6.7 cluster-imbalance model (scheduling-perf.md §4.1): a host's load is its
 * normalized entitlement N_h = Σ entitlement of its VMs / host capacity, per resource; the zone's
 * imbalance is the population standard deviation of N_h over hosts ("current host load standard
 * deviation"); the migration threshold sets the target ("target host load standard deviation").
 *
 * CPU and memory are combined as a weighted sum of the two standard deviations, weighted by each
 * resource's share of the zone's utilization (the reference does not give DRS's weights; this way
 * the contended resource dominates and a CPU-hot host can never be "balanced" by a memory-hot one).
 */
import { ValidationError } from '../api/index.js';
import type { DrsState, ImbalanceFigures } from './types.js';

/** Lowest and highest migration threshold (vSphere's 5-level slider). */
export const MIN_THRESHOLD = 1;
export const MAX_THRESHOLD = 5;
export const DEFAULT_THRESHOLD = 3;

/**
 * Target imbalance for a threshold, from KB 1007485's priority formula
 * `priority = 6 − ceil(imbalance / 0.1 × √N)`: threshold t applies priorities ≤ t, so balancing
 * continues while ceil(imbalance·√N/0.1) ≥ 6 − t, i.e. while imbalance > 0.1·(5 − t)/√N.
 * Threshold 1 applies only mandatory (priority 1) moves: the target is infinite.
 */
export function targetImbalance(threshold: number, hostCount: number): number {
  checkThreshold(threshold);
  if (threshold === MIN_THRESHOLD) return Number.POSITIVE_INFINITY;
  return (0.1 * (MAX_THRESHOLD - threshold)) / Math.sqrt(Math.max(1, hostCount));
}

/** Priority of a balancing move made at this imbalance (KB 1007485), clamped to 2..5 (1 is for mandatory moves). */
export function balancePriority(imbalance: number, hostCount: number): number {
  const p = 6 - Math.ceil((imbalance / 0.1) * Math.sqrt(Math.max(1, hostCount)) - 1e-12);
  return Math.min(5, Math.max(2, p));
}

export function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
    throw ValidationError.field('threshold', `must be an integer from ${MIN_THRESHOLD} to ${MAX_THRESHOLD}, got ${threshold}`);
  }
}

/** Resource weights: each resource's utilization over the sum of both (½ each on an idle zone). */
export function utilizationWeights(state: DrsState): { cpu: number; memory: number } {
  let capC = 0;
  let capM = 0;
  for (const h of state.hosts) {
    if (h.mode === 'maintenance') continue;
    capC += h.cpuMHz;
    capM += h.memoryMiB;
  }
  let useC = 0;
  let useM = 0;
  for (const v of state.vms) {
    useC += v.cpuMHz;
    useM += v.memoryMiB;
  }
  const uc = capC > 0 ? useC / capC : 0;
  const um = capM > 0 ? useM / capM : 0;
  return uc + um === 0 ? { cpu: 0.5, memory: 0.5 } : { cpu: uc / (uc + um), memory: um / (uc + um) };
}

/** One host's normalized entitlement. */
export interface HostLoad {
  readonly host: string;
  readonly cpu: number;
  readonly memory: number;
  /** `weights.cpu × cpu + weights.memory × memory`. */
  readonly combined: number;
}

/** Population standard deviation. */
export function stddev(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/**
 * Per-host loads and the zone's imbalance, computed directly from the state (no incremental
 * sums): what `bulkhead drs status` shows and what tests check a pass against. Hosts in
 * maintenance are left out.
 */
export function measureImbalance(state: DrsState, weights = utilizationWeights(state)): ImbalanceFigures & { readonly hosts: readonly HostLoad[] } {
  const sums = new Map<string, { c: number; m: number }>();
  for (const v of state.vms) {
    const s = sums.get(v.host) ?? { c: 0, m: 0 };
    s.c += v.cpuMHz;
    s.m += v.memoryMiB;
    sums.set(v.host, s);
  }
  const hosts: HostLoad[] = [];
  for (const h of state.hosts) {
    if (h.mode === 'maintenance') continue;
    const s = sums.get(h.name) ?? { c: 0, m: 0 };
    const cpu = s.c / h.cpuMHz;
    const memory = s.m / h.memoryMiB;
    hosts.push({ host: h.name, cpu, memory, combined: weights.cpu * cpu + weights.memory * memory });
  }
  const cpu = stddev(hosts.map((h) => h.cpu));
  const memory = stddev(hosts.map((h) => h.memory));
  return { imbalance: weights.cpu * cpu + weights.memory * memory, cpu, memory, hosts };
}
