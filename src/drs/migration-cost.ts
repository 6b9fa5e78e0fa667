/**
 * What a move costs, predicted with the simulator's own pre-copy model (`planPrecopy`) and
 * vSphere's concurrent-migration limits (`migrationSlots`: 8 per host from 10 GbE, 4 below), and
 * the cost-benefit test a balancing move must pass.
 *
 *   link     = min(NIC_src, NIC_dst) / share   (share: migrations on the busier end, ≤ its slots)
 *   slowdown = 1 − D_eff / D when SDPS throttles the guest (D_eff = λ·R), else 0
 *   cost     = l_vm × T_mig × (1 + slowdown)          [host-load · s]
 *   benefit  = relief × stability × stable horizon     [host-load · s]
 *   relief   = max(L_src, L_dst) − max(L_src', L_dst') (how much the hotter end cools)
 *
 * l_vm is the VM's combined load on the source (its share of that host). While a VM migrates its
 * memory is held on both ends and SDPS slows it, so the move costs about its load for the migration
 * time; the gain lasts as long as demand stays as it is. A move is kept only if benefit > cost.
 * Selection uses the conservative share (every slot busy); reported costs use the pass's actual
 * share, which is never larger, so a reported cost never exceeds the benefit it was chosen for.
 */
import { migrationSlots, planPrecopy, type MigrationTimings, type PrecopyPlan } from '../infra/index.js';
import type { MigrationCost } from './types.js';

export class MigrationCosts {
  private readonly cache: (Map<number, PrecopyPlan> | undefined)[];
  readonly slots: Int32Array;
  /** Per VM, the last link asked for and its figures: one typed-array read on the hot path. */
  private readonly lastLink: Float64Array;
  private readonly lastSecondsWeighted: Float64Array;
  private readonly lastMs: Float64Array;
  private readonly lastStun: Float64Array;

  constructor(
    readonly timings: MigrationTimings,
    private readonly nicMbps: Float64Array,
    private readonly sizeMiB: Float64Array,
    private readonly dirtyMBps: Float64Array,
  ) {
    this.cache = new Array<Map<number, PrecopyPlan> | undefined>(sizeMiB.length);
    this.slots = Int32Array.from(nicMbps, (n) => migrationSlots(n, timings));
    const n = sizeMiB.length;
    this.lastLink = new Float64Array(n).fill(-1);
    this.lastSecondsWeighted = new Float64Array(n);
    this.lastMs = new Float64Array(n);
    this.lastStun = new Float64Array(n);
  }

  /** Makes the per-VM fast figures current for `linkMbps`. */
  private prime(vm: number, linkMbps: number): void {
    if (this.lastLink[vm] === linkMbps) return;
    const p = this.plan(vm, linkMbps);
    this.lastLink[vm] = linkMbps;
    this.lastSecondsWeighted[vm] = (p.totalMs / 1000) * (1 + slowdown(p, linkMbps, this.dirtyMBps[vm] as number, this.timings));
    this.lastMs[vm] = p.totalMs;
    this.lastStun[vm] = p.stunMs;
  }

  /** Migration time, ms, over `linkMbps`. */
  totalMs(vm: number, linkMbps: number): number {
    this.prime(vm, linkMbps);
    return this.lastMs[vm] as number;
  }

  /** Stun, ms, over `linkMbps`. */
  stunMs(vm: number, linkMbps: number): number {
    this.prime(vm, linkMbps);
    return this.lastStun[vm] as number;
  }

  /** Link share of a migration between hosts a and b when `share` migrations run on the busier end. */
  link(a: number, b: number, share: number): number {
    return Math.min(this.nicMbps[a] as number, this.nicMbps[b] as number) / Math.max(1, share);
  }

  /** Link share with every slot of the busier end in use: what a pass plans with. */
  conservativeLink(a: number, b: number): number {
    return this.link(a, b, Math.max(this.slots[a] as number, this.slots[b] as number));
  }

  /** The pre-copy plan of VM `vm` over `linkMbps` (cached per VM and link). */
  plan(vm: number, linkMbps: number): PrecopyPlan {
    let m = this.cache[vm];
    if (m === undefined) this.cache[vm] = m = new Map();
    let p = m.get(linkMbps);
    if (p === undefined) {
      p = planPrecopy({ memoryMiB: this.sizeMiB[vm] as number, dirtyRateMBps: this.dirtyMBps[vm] as number, linkMbps }, this.timings);
      m.set(linkMbps, p);
    }
    return p;
  }

  /** Cost score of moving a VM whose combined load on the source is `load`, over `linkMbps`. */
  costScore(vm: number, load: number, linkMbps: number): number {
    this.prime(vm, linkMbps);
    return load * (this.lastSecondsWeighted[vm] as number);
  }

  /** The reported cost of a migration over `linkMbps`. */
  cost(vm: number, linkMbps: number): MigrationCost {
    const p = this.plan(vm, linkMbps);
    return {
      seconds: round(p.totalMs / 1000, 3),
      transferredMiB: p.transferredMiB,
      stunMs: p.stunMs,
      rounds: p.rounds,
      throttled: p.throttled,
      linkMbps: round(linkMbps, 1),
    };
  }
}

/** Fraction of its speed a guest loses while SDPS throttles it so that pre-copy converges. */
export function slowdown(plan: PrecopyPlan, linkMbps: number, dirtyRateMBps: number, t: MigrationTimings): number {
  if (!plan.throttled || dirtyRateMBps <= 0) return 0;
  const rateMBps = (linkMbps * t.nicEfficiency) / 8;
  return Math.max(0, 1 - (plan.lambda * rateMBps) / dirtyRateMBps);
}

/** How much a move cools the hotter of its two hosts (negative when it overshoots). */
export function relief(srcBefore: number, dstBefore: number, srcAfter: number, dstAfter: number): number {
  return Math.max(srcBefore, dstBefore) - Math.max(srcAfter, dstAfter);
}

export function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
