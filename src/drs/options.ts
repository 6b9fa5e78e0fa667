/** DRS options with defaults applied and values checked once, at the edge of a pass. */
import { ValidationError } from '../api/index.js';
import { DEFAULT_SIM_TIMINGS, type MigrationTimings } from '../infra/index.js';
import { checkThreshold, DEFAULT_THRESHOLD } from './imbalance.js';
import { allowAll, type CanPlace } from './placement-check.js';
import type { DrsRule } from './rules.js';
import type { DrsHost, DrsOptions, DrsVm } from './types.js';

/** vSphere ≤ 6.7 runs DRS every 5 minutes (scheduling-perf.md §4.1). */
export const DEFAULT_PASS_INTERVAL_MS = 5 * 60_000;
/** Our assumption: a steady VM's gain is counted over one hour. */
export const DEFAULT_STABLE_HORIZON_MS = 60 * 60_000;
/** vMotion's switchover goal: under one second (§4.4). */
export const DEFAULT_MAX_STUN_MS = 1_000;

export interface ResolvedOptions {
  readonly threshold: number;
  readonly rules: readonly DrsRule[];
  readonly canPlace: CanPlace<DrsVm, DrsHost>;
  readonly weights: { readonly cpu: number; readonly memory: number } | undefined;
  readonly maxMovesPerPass: number;
  readonly passIntervalMs: number;
  readonly stableHorizonMs: number;
  readonly maxStunMs: number;
  readonly timings: MigrationTimings;
  readonly sourceWindow: number;
  readonly destinationWindow: number;
}

export function resolveOptions(o: DrsOptions = {}): ResolvedOptions {
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  checkThreshold(threshold);
  const positive = (field: string, v: number | undefined, fallback: number): number => {
    if (v === undefined) return fallback;
    if (!(v > 0)) throw ValidationError.field(field, `must be positive, got ${v}`);
    return v;
  };
  if (o.weights !== undefined && !(o.weights.cpu >= 0 && o.weights.memory >= 0 && o.weights.cpu + o.weights.memory > 0)) {
    throw ValidationError.field('weights', 'cpu and memory must be non-negative and not both 0');
  }
  const w = o.weights;
  return {
    threshold,
    rules: o.rules ?? [],
    canPlace: o.canPlace ?? allowAll,
    weights: w === undefined ? undefined : { cpu: w.cpu / (w.cpu + w.memory), memory: w.memory / (w.cpu + w.memory) },
    maxMovesPerPass: o.maxMovesPerPass === undefined ? Number.POSITIVE_INFINITY : Math.floor(positive('maxMovesPerPass', o.maxMovesPerPass, 1)),
    passIntervalMs: positive('passIntervalMs', o.passIntervalMs, DEFAULT_PASS_INTERVAL_MS),
    stableHorizonMs: positive('stableHorizonMs', o.stableHorizonMs, DEFAULT_STABLE_HORIZON_MS),
    maxStunMs: positive('maxStunMs', o.maxStunMs, DEFAULT_MAX_STUN_MS),
    timings: o.timings ?? DEFAULT_SIM_TIMINGS.migration,
    sourceWindow: Math.floor(positive('sourceWindow', o.sourceWindow, 4)),
    destinationWindow: Math.floor(positive('destinationWindow', o.destinationWindow, 8)),
  };
}
