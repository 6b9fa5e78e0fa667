/**
 * The pre-copy live-migration model (scheduling-perf.md §6, after Liu et al. HPDC 2011): round 0
 * sends all memory, each later round re-sends what the guest dirtied during the previous one, and
 * when the remainder can be sent within the downtime target the VM is stunned for a last
 * stop-and-copy. Pure arithmetic, so DRS can predict a move's cost with the same code the
 * simulated datacenter uses to time it.
 */
import type { MigrationTimings } from './timings.js';

export interface PrecopyInput {
  readonly memoryMiB: number;
  /** Guest dirty rate, MB/s (10^6 bytes). */
  readonly dirtyRateMBps: number;
  /** Transfer rate available to this migration, Mb/s (10^6 bits), before NIC efficiency. */
  readonly linkMbps: number;
}

/** Predicted course of one migration. */
export interface PrecopyPlan {
  /** Pre-copy rounds before the stop-and-copy (n in §6). */
  readonly rounds: number;
  /** From start to running on the destination, including the stun. */
  readonly totalMs: number;
  /** Stop-and-copy of the last dirty pages plus resume: the VM's downtime. */
  readonly stunMs: number;
  readonly transferredMiB: number;
  /** D / R after SDPS throttling; pre-copy converges only below 1. */
  readonly lambda: number;
  /** True when SDPS slowed the guest so that pre-copy could converge. */
  readonly throttled: boolean;
  /** True when a round or volume cap forced the stop-and-copy before the downtime target was met. */
  readonly capped: boolean;
}

const MIB = 1024 * 1024;

/**
 * Runs the round-by-round model. Closed form, for λ = D/R < 1 and no cap:
 * V_mig = V·(1−λ^{n+1})/(1−λ), T_mig = V/R·(1−λ^{n+1})/(1−λ), T_down = V/R·λ^n + T_resume,
 * n = ceil(log(V_thd/V)/log λ) with V_thd = R · downtime target.
 */
export function planPrecopy(input: PrecopyInput, t: MigrationTimings): PrecopyPlan {
  const rate = (input.linkMbps * 1e6 * t.nicEfficiency) / 8 / 1000; // bytes per ms
  const memory = input.memoryMiB * MIB;
  let dirty = (input.dirtyRateMBps * 1e6) / 1000; // bytes per ms
  let throttled = false;
  if (t.sdpsMaxLambda > 0 && dirty > rate * t.sdpsMaxLambda) {
    dirty = rate * t.sdpsMaxLambda;
    throttled = true;
  }
  const threshold = rate * t.downtimeTargetMs;
  let remaining = memory;
  let sent = 0;
  let elapsed = 0;
  let rounds = 0;
  let capped = false;
  while (remaining > threshold) {
    const ms = remaining / rate;
    // What the guest dirties while this round is on the wire; never more than all of its memory.
    const next = Math.min(memory, dirty * ms);
    // Xen's cap counts the stop-and-copy that must follow this round.
    if (rounds >= t.maxRounds || sent + remaining + next > t.maxFactor * memory) {
      capped = true;
      break;
    }
    sent += remaining;
    elapsed += ms;
    rounds++;
    remaining = next;
  }
  const stun = remaining / rate + t.resumeMs;
  sent += remaining;
  return {
    rounds,
    totalMs: Math.round(elapsed + stun),
    stunMs: Math.round(stun),
    transferredMiB: Math.round(sent / MIB),
    lambda: dirty / rate,
    throttled,
    capped,
  };
}

/** Concurrent migrations a host with this NIC may take part in (vSphere: 4 below 10 GbE, 8 from 10 GbE). */
export function migrationSlots(nicMbps: number, t: MigrationTimings): number {
  return nicMbps >= 10_000 ? t.maxConcurrentPerHost : t.maxConcurrentPerHostSlowNic;
}
