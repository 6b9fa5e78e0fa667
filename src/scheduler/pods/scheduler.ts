/**
 * One pod scheduling decision over the snapshot, the VM scheduler's machinery one level down:
 * candidates are the pod's cluster's nodes in seeded order from a rotating start; Filter until
 * enough feasible nodes are found (kube's percentageOfNodesToScore), Score + normalize on that
 * sample, weights, best total wins (seeded tie-break); every rejection is counted by reason.
 * `place` also reserves the choice in the snapshot (assume).
 */
import { Random } from '../../clock/index.js';
import { reasonSummary, round, type SchedulerExplanation, type ScoredHost } from '../explanation.js';
import { feasibleHostsToFind, type SamplingOptions } from '../sampling.js';
import type { NodeInfo } from './node-info.js';
import { PodCycleState, type PodProfile } from './plugin.js';
import { defaultPodProfile } from './profile.js';
import { compilePodRequest, type PodRequest } from './request.js';
import type { PodSnapshot } from './snapshot.js';
import type { Pod } from '../../api/index.js';

export type PodPlacement =
  | { readonly ok: true; readonly node: NodeInfo; readonly explanation: SchedulerExplanation }
  | { readonly ok: false; readonly explanation: SchedulerExplanation };

export interface PodSchedulerOptions extends SamplingOptions {
  readonly seed: number;
  readonly profile?: PodProfile;
  /** Monotonic ms for decision timing; performance.now by default. */
  readonly now?: () => number;
}

/** `0/12 nodes are available: 8 Insufficient memory, 4 Too many pods.` */
export function podFailureMessage(total: number, filtered: Readonly<Record<string, number>>): string {
  const s = reasonSummary(filtered);
  return `0/${total} nodes are available${s === '' ? '' : `: ${s}`}.`;
}

export class PodScheduler {
  private readonly profile: PodProfile;
  private readonly state = new PodCycleState();
  private readonly now: () => number;
  private decisions = 0;
  /** Feasible nodes of the current decision, reused across decisions (no allocation per pod). */
  private candidates: NodeInfo[] = [];

  constructor(
    readonly snapshot: PodSnapshot,
    private readonly opts: PodSchedulerOptions,
  ) {
    this.profile = opts.profile ?? defaultPodProfile();
    this.now = opts.now ?? (() => performance.now());
  }

  /** Decides for `pod` and, on success, reserves the node in the snapshot. */
  place(pod: Pod): PodPlacement {
    const req = compilePodRequest(pod);
    const r = this.schedule(req);
    if (r.ok) this.snapshot.assume(req, r.node.name);
    return r;
  }

  schedule(req: PodRequest): PodPlacement {
    const t0 = this.now();
    const nodes = this.snapshot.clusterNodes(req.cluster);
    const n = nodes.length;
    const seed = (this.opts.seed + this.decisions++) >>> 0;
    const start = this.snapshot.peekStart(req.cluster);
    const want = Math.min(n, Math.max(1, feasibleHostsToFind(n, this.opts)));
    const { profile, state } = this;
    state.reset(n, profile.scores.length);
    const counts = this.snapshot.ownerCounts(req.owner);
    state.ownerPerHost = counts.perHost;
    state.ownerPerZone = counts.perZone;

    const filtered = new Map<string, number>();
    const feasible = state.feasible;
    const filters = profile.filters;
    let found = 0;
    let evaluated = 0;
    const candidates = this.candidates.length >= n ? this.candidates : (this.candidates = new Array<NodeInfo>(Math.max(n, 16)));
    const nf = filters.length;
    for (let i = 0, idx = start; i < n && found < want; i++, idx++) {
      if (idx >= n) idx -= n;
      const node = nodes[idx] as NodeInfo;
      evaluated++;
      let pass = true;
      for (let f = 0; f < nf; f++) {
        const st = (filters[f] as (typeof filters)[number]).filter(state, req, node);
        if (st.code === 'Success') continue;
        filtered.set(st.reason, (filtered.get(st.reason) ?? 0) + 1);
        pass = false;
        break;
      }
      if (pass) {
        feasible[found] = i;
        candidates[found++] = node;
      }
    }
    this.snapshot.takeStart(req.cluster, evaluated);
    const filteredRec = Object.fromEntries(filtered);
    const base = { evaluated, filtered: filteredRec, seed, startOffset: start };
    if (found === 0) {
      return { ok: false, explanation: { ...base, feasible: 0, topScores: [], durationMicros: Math.round((this.now() - t0) * 1000), message: podFailureMessage(n, filteredRec) } };
    }
    const at = (i: number) => candidates[i] as NodeInfo;
    const totals = state.totals;
    totals.fill(0, 0, found);
    for (let p = 0; p < profile.scores.length; p++) {
      const { plugin, weight } = profile.scores[p] as (typeof profile.scores)[number];
      const row = state.scores[p] as Float64Array;
      for (let i = 0; i < found; i++) row[i] = plugin.score(state, req, candidates[i] as NodeInfo);
      plugin.normalize?.(row, found);
      for (let i = 0; i < found; i++) totals[i] = (totals[i] as number) + weight * (row[i] as number);
    }
    // Best total wins; ties broken by a seeded reservoir draw. Keep the top three for the explanation.
    const rng = new Random(seed);
    let best = 0;
    let ties = 1;
    for (let i = 1; i < found; i++) {
      const s = totals[i] as number;
      const b = totals[best] as number;
      if (s > b) {
        best = i;
        ties = 1;
      } else if (s === b && rng.next() * ++ties < 1) best = i;
    }
    const order = [best];
    for (let k = 0; k < 2; k++) {
      let pick = -1;
      for (let i = 0; i < found; i++) if (!order.includes(i) && (pick < 0 || (totals[i] as number) > (totals[pick] as number))) pick = i;
      if (pick >= 0) order.push(pick);
    }
    const topScores: ScoredHost[] = order.map((i) => {
      const scores: Record<string, number> = {};
      profile.scores.forEach(({ plugin }, p) => (scores[plugin.name] = round((state.scores[p] as Float64Array)[i] ?? 0)));
      return { host: at(i).name, score: round(totals[i] as number), scores };
    });
    const chosen = at(best);
    const summary = reasonSummary(filteredRec);
    const message =
      `bound to ${chosen.name} (host ${chosen.host || '?'}): ${evaluated}/${n} nodes evaluated, ${found} feasible, ` +
      `score ${round(totals[best] as number)}${summary === '' ? '' : `; filtered: ${summary}`}`;
    return {
      ok: true,
      node: chosen,
      explanation: { ...base, feasible: found, topScores, chosen: chosen.name, durationMicros: Math.round((this.now() - t0) * 1000), message },
    };
  }
}
