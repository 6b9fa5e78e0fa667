/**
 * Restart retries. vSphere HA retries a failed restart up to `das.maxvmrestartcount` = 5 attempts
 * (scheduling-perf.md §4.3, verified), spaced about T0, +2 min, +6 min, +14 min, +30 min (same
 * section, marked unverified): gaps of 2, 4, 8, 16 minutes. We use exactly that: exponential from
 * 2 min, factor 2, 5 attempts including the first.
 */
import { ValidationError } from '../api/index.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Gap between the first and the second attempt. */
  readonly firstDelayMs: number;
  /** Each gap is this many times the previous one. */
  readonly factor: number;
}

export const VSPHERE_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 5, firstDelayMs: 120_000, factor: 2 });

/** Offsets of every attempt from the first: [0, 2, 6, 14, 30] minutes for `VSPHERE_RETRY`. */
export function retryOffsets(p: RetryPolicy = VSPHERE_RETRY): number[] {
  if (!(Number.isInteger(p.maxAttempts) && p.maxAttempts >= 1)) throw ValidationError.field('retry.maxAttempts', 'must be a positive integer');
  if (!(p.firstDelayMs >= 0 && p.factor >= 1)) throw ValidationError.field('retry', 'firstDelayMs must be ≥ 0 and factor ≥ 1');
  const out = [0];
  let gap = p.firstDelayMs;
  for (let k = 1; k < p.maxAttempts; k++) {
    out.push((out[k - 1] as number) + gap);
    gap *= p.factor;
  }
  return out;
}

/** When the next attempt is due after `attemptsMade` attempts, or undefined when none is left. */
export function nextAttemptAt(attemptsMade: number, firstAttemptAt: number, p: RetryPolicy = VSPHERE_RETRY): number | undefined {
  const offsets = retryOffsets(p);
  const next = offsets[attemptsMade];
  return next === undefined ? undefined : firstAttemptAt + next;
}
