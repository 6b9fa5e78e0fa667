/**
 * One scheduling decision over a snapshot: PreFilter, then Filter over hosts in candidate order
 * from a start offset until enough feasible hosts are found, then Score + NormalizeScore on that
 * sample, weights, max total wins (seeded reservoir tie-break). Pure computation: the caller
 * reserves the result in the snapshot (`assume`) and commits it through the store.
 */
import { Random } from '../clock/index.js';
import { failureMessage, round, successMessage, type ScoredHost, type SchedulerExplanation } from './explanation.js';
import type { HostInfo } from './host-info.js';
import { fitNuma } from './numa.js';
import type { CycleState, Profile } from './plugin.js';
import type { PlacementRequest } from './request.js';
import type { ClusterSnapshot } from './snapshot.js';

/** A placement or a refusal, each with its explanation. */
export type PlacementResult =
  | { readonly ok: true; readonly host: string; readonly numaNodes: readonly number[]; readonly explanation: SchedulerExplanation }
  | { readonly ok: false; readonly explanation: SchedulerExplanation };

export interface DecideOptions {
  /** Seed of the tie-break among equal best scores; recorded in the explanation. */
  readonly seed: number;
  /** Candidate-order position to start filtering at (wraps). */
  readonly startOffset: number;
  /** Stop filtering once this many feasible hosts are found. */
  readonly feasibleToFind: number;
  /** Monotonic milliseconds, for `durationMicros`. */
  readonly now: () => number;
}

/** A decision and where the next one should start (kube's nextStartNodeIndex). */
export interface Decision {
  readonly result: PlacementResult;
  readonly nextStartOffset: number;
}

const TOP = 3;

export function decide(
  snapshot: ClusterSnapshot,
  profile: Profile,
  state: CycleState,
  req: PlacementRequest,
  opts: DecideOptions,
): Decision {
  const t0 = opts.now();
  const hosts = snapshot.hosts();
  const n = hosts.length;
  const start = n === 0 ? 0 : ((opts.startOffset % n) + n) % n;
  const filtered = new Map<string, number>();
  const base = { seed: opts.seed, startOffset: start };
  const fail = (evaluated: number, error?: string): Decision => ({
    result: {
      ok: false,
      explanation: {
        evaluated,
        feasible: 0,
        filtered: Object.fromEntries(filtered),
        topScores: [],
        durationMicros: Math.round((opts.now() - t0) * 1000),
        message: failureMessage(n, Object.fromEntries(filtered), error),
        ...base,
      },
    },
    nextStartOffset: n === 0 ? 0 : (start + evaluated) % n,
  });

  state.reset(n, profile.scores.length);
  for (const pf of profile.preFilters) {
    const st = pf.preFilter(state, req, snapshot);
    if (st.code === 'Error') return fail(0, `${pf.name}: ${st.reason}`);
    if (st.code !== 'Success') {
      filtered.set(st.reason, n);
      return fail(0);
    }
  }

  // Filter, in candidate order from the start offset, until the sample is full.
  const filters = profile.filters;
  const nf = filters.length;
  const feasible = state.feasible;
  const want = Math.min(n, Math.max(1, opts.feasibleToFind));
  let found = 0;
  let evaluated = 0;
  for (let i = 0; i < n && found < want; i++) {
    const host = hosts[(start + i) % n] as HostInfo;
    evaluated++;
    let pass = true;
    for (let f = 0; f < nf; f++) {
      const st = (filters[f] as (typeof filters)[number]).filter(state, req, host);
      if (st.code === 'Success') continue;
      if (st.code === 'Error') return fail(evaluated, `${(filters[f] as (typeof filters)[number]).name}: ${st.reason}`);
      filtered.set(st.reason, (filtered.get(st.reason) ?? 0) + 1);
      pass = false;
      break;
    }
    if (pass) feasible[found++] = host.slot;
  }
  if (found === 0) return fail(evaluated);

  // Score, normalise, weigh; keep the best (seeded reservoir on ties) and the top three.
  const totals = state.totals;
  totals.fill(0, 0, found);
  for (let p = 0; p < profile.scores.length; p++) {
    const { plugin, weight } = profile.scores[p] as (typeof profile.scores)[number];
    const row = state.scores[p] as Float64Array;
    for (let i = 0; i < found; i++) row[i] = plugin.score(state, req, hosts[feasible[i] as number] as HostInfo);
    plugin.normalize?.(row, found);
    for (let i = 0; i < found; i++) totals[i] = (totals[i] as number) + weight * (row[i] as number);
  }
  const rng = new Random(opts.seed);
  const top = [-1, -1, -1];
  let ties = 0;
  for (let i = 0; i < found; i++) {
    const s = totals[i] as number;
    const best = top[0] as number;
    if (best >= 0 && s === totals[best]) {
      ties++;
      if (rng.next() * ties < 1) insertTop(top, i, totals, true);
      else insertTop(top, i, totals, false);
    } else {
      if (best < 0 || s > (totals[best] as number)) ties = 1;
      insertTop(top, i, totals, false);
    }
  }

  const winner = top[0] as number;
  const chosen = hosts[feasible[winner] as number] as HostInfo;
  let mask = state.numaFor(chosen.slot);
  if (mask === 0) mask = fitNuma(chosen, req.cpus, req.memoryMiB, state.numaPolicy);
  const numaNodes: number[] = [];
  for (let i = 0; i < chosen.numaCount; i++) if ((mask & (1 << i)) !== 0) numaNodes.push(chosen.numaIds[i] ?? i);

  const topScores: ScoredHost[] = [];
  for (const idx of top) {
    if (idx < 0) continue;
    const scores: Record<string, number> = {};
    profile.scores.forEach(({ plugin }, p) => (scores[plugin.name] = round((state.scores[p] as Float64Array)[idx] ?? 0)));
    topScores.push({ host: (hosts[feasible[idx] as number] as HostInfo).name, score: round(totals[idx] as number), scores });
  }
  const filteredRecord = Object.fromEntries(filtered);
  return {
    result: {
      ok: true,
      host: chosen.name,
      numaNodes,
      explanation: {
        evaluated,
        feasible: found,
        filtered: filteredRecord,
        topScores,
        chosen: chosen.name,
        durationMicros: Math.round((opts.now() - t0) * 1000),
        message: successMessage(chosen.name, numaNodes, evaluated, n, found, totals[winner] as number, filteredRecord),
        ...base,
      },
    },
    nextStartOffset: (start + evaluated) % n,
  };
}

/**
 * Inserts sample index `i` into the top-three list (indices, best first). `winsTie` puts it ahead
 * of equal scores (the reservoir draw chose it), otherwise it goes after them.
 */
function insertTop(top: number[], i: number, totals: Float64Array, winsTie: boolean): void {
  const s = totals[i] as number;
  for (let k = 0; k < TOP; k++) {
    const cur = top[k] as number;
    const ct = cur < 0 ? -Infinity : (totals[cur] as number);
    if (cur < 0 || s > ct || (winsTie && s === ct)) {
      for (let m = TOP - 1; m > k; m--) top[m] = top[m - 1] as number;
      top[k] = i;
      return;
    }
  }
}
