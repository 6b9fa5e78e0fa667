/**
 * The greedy balancing phase (Gulati et al. 2012, scheduling-perf.md §4.1): while the imbalance is
 * above target, look at single-unit moves from the hottest hosts to the coolest, keep those that
 * lower the imbalance and pass the cost-benefit test, the stun limit and both hosts' migration
 * budgets, and commit the one that lowers the imbalance most and that the rules and the placement
 * callback accept. A unit is a VM, or a group held together by must-affinity rules.
 *
 * Candidates per step: the `sourceWindow` hottest hosts not yet exhausted × the
 * `destinationWindow` coolest hosts that take VMs (all of them when every candidate in the narrow
 * window was refused by a rule or the callback). A window with no acceptable move is exhausted.
 */
import { balancePriority } from './imbalance.js';
import { relief } from './migration-cost.js';
import type { PassContext } from './pass-context.js';
import { noRuleWorse } from './rule-checks.js';
import { reposition } from './sorted.js';
import type { DrsStopReason } from './types.js';

/** Smallest imbalance reduction a balancing move must bring (below this it is rounding noise). */
const MIN_GAIN = 1e-9;

interface Candidates {
  unit: Int32Array;
  dest: Int32Array;
  imbalance: Float64Array;
  benefit: Float64Array;
  dead: Uint8Array;
  count: number;
}

export function balance(ctx: PassContext): DrsStopReason {
  if (ctx.opts.threshold === 1) return 'mandatoryOnly';
  const { model, opts } = ctx;
  const hostCount = ctx.hosts.length;
  const byHot = (a: number, b: number) => model.combined(b) - model.combined(a) || a - b;
  const byCold = (a: number, b: number) => model.combined(a) - model.combined(b) || a - b;
  const hot = ctx.hosts.map((_, h) => h).filter((h) => model.counted[h] === 1);
  const cold = ctx.hosts.map((_, h) => h).filter((h) => ctx.accepts[h] === 1);
  hot.sort(byHot);
  cold.sort(byCold);
  const exhausted = new Uint8Array(hostCount);
  const units = unitTotals(ctx);
  const cands = newCandidates(64);
  const horizonSec = opts.stableHorizonMs / 1000;

  for (;;) {
    const current = model.imbalance();
    if (current <= ctx.target) return 'balanced';
    if (!ctx.underMoveLimit()) return 'moveLimit';
    let moved: { from: number; to: number } | undefined;
    let pos = 0;
    while (moved === undefined) {
      const window: number[] = [];
      for (; pos < hot.length && window.length < opts.sourceWindow; pos++) {
        const h = hot[pos] as number;
        if (exhausted[h] === 0) window.push(h);
      }
      if (window.length === 0) return 'noBeneficialMove';
      for (const wide of [false, true]) {
        const dests = wide ? cold : cold.slice(0, opts.destinationWindow);
        collect(ctx, window, dests, current, units, horizonSec, cands);
        const r = tryBest(ctx, cands, current);
        if (r.moved !== undefined) {
          moved = r.moved;
          break;
        }
        if (!r.refusedByRule || cold.length <= opts.destinationWindow) break;
      }
      if (moved === undefined) for (const h of window) exhausted[h] = 1;
    }
    reposition(hot, moved.from, byHot);
    reposition(hot, moved.to, byHot);
    reposition(cold, moved.from, byCold);
    reposition(cold, moved.to, byCold);
  }
}

interface UnitTotals {
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  readonly stability: Float64Array;
  readonly movable: Uint8Array;
}

function unitTotals(ctx: PassContext): UnitTotals {
  const n = ctx.units.length;
  const t: UnitTotals = { cpu: new Float64Array(n), mem: new Float64Array(n), stability: new Float64Array(n).fill(1), movable: new Uint8Array(n).fill(1) };
  ctx.units.forEach((members, u) => {
    for (const v of members) {
      t.cpu[u] = (t.cpu[u] as number) + (ctx.cpu[v] as number);
      t.mem[u] = (t.mem[u] as number) + (ctx.mem[v] as number);
      t.stability[u] = Math.min(t.stability[u] as number, ctx.stability[v] as number);
      if (ctx.movable[v] === 0) t.movable[u] = 0;
    }
  });
  return t;
}

/** Fills `c` with every acceptable (unit, destination) pair from the window. */
function collect(ctx: PassContext, window: readonly number[], dests: readonly number[], current: number, u: UnitTotals, horizonSec: number, c: Candidates): void {
  const { model, ledger, costs, opts } = ctx;
  const wc = model.wCpu;
  const wm = model.wMem;
  c.count = 0;
  for (const s of window) {
    const sc = model.cpu[s] as number;
    const sm = model.mem[s] as number;
    const scap = model.capCpu[s] as number;
    const smem = model.capMem[s] as number;
    const sBudget = ctx.budget[s] as number;
    for (const vm of ledger.vmsAt(s)) {
      const unit = ctx.unitOf[vm] as number;
      const members = ctx.units[unit] as readonly number[];
      if (members[0] !== vm || u.movable[unit] === 0) continue;
      if (members.length > 1 && !members.every((m) => ledger.hostIdx(m) === s)) continue;
      const cpu = u.cpu[unit] as number;
      const mem = u.mem[unit] as number;
      const scAfter = sc - cpu / scap;
      const smAfter = sm - mem / smem;
      const stability = u.stability[unit] as number;
      model.prepareFrom(cpu, mem, s);
      for (const d of dests) {
        if (d === s) continue;
        ctx.evaluated++;
        const after = model.imbalanceTo(cpu, mem, d);
        if (!(after < current - MIN_GAIN)) continue;
        const tc = model.cpu[d] as number;
        const tm = model.mem[d] as number;
        const r = wc * relief(sc, tc, scAfter, tc + cpu / (model.capCpu[d] as number)) + wm * relief(sm, tm, smAfter, tm + mem / (model.capMem[d] as number));
        const benefit = r * stability * horizonSec;
        if (!(benefit > 0)) continue;
        const link = costs.conservativeLink(s, d);
        let cost = 0;
        let ms = 0;
        let stun = 0;
        for (const m of members) {
          cost += costs.costScore(m, wc * ((ctx.cpu[m] as number) / scap) + wm * ((ctx.mem[m] as number) / smem), link);
          ms += costs.totalMs(m, link);
          stun = Math.max(stun, costs.stunMs(m, link));
        }
        if (!(cost < benefit) || stun > opts.maxStunMs) continue;
        if (ms > sBudget || ms > (ctx.budget[d] as number)) continue;
        push(c, unit, d, after, benefit);
      }
    }
  }
}

/** Tries candidates best first until the rules and the callback accept one. */
function tryBest(ctx: PassContext, c: Candidates, current: number): { moved?: { from: number; to: number }; refusedByRule: boolean } {
  let refusedByRule = false;
  for (;;) {
    let best = -1;
    for (let i = 0; i < c.count; i++) {
      if (c.dead[i] === 1) continue;
      if (best < 0 || better(c, i, best, ctx)) best = i;
    }
    if (best < 0) return { refusedByRule };
    c.dead[best] = 1;
    const unit = c.unit[best] as number;
    const d = c.dest[best] as number;
    const members = ctx.units[unit] as readonly number[];
    const s = ctx.ledger.hostIdx(members[0] as number);
    const reason = describeMove(ctx, members, s, d, current, c.imbalance[best] as number);
    const note = { kind: 'balance' as const, priority: balancePriority(current, ctx.model.hostCount), reason, benefit: c.benefit[best] as number };
    if (!ctx.underMoveLimit(members.length)) continue;
    const refusal = ctx.moveUnit(members, d, noRuleWorse, note);
    if (refusal === undefined) return { moved: { from: s, to: d }, refusedByRule };
    refusedByRule = true;
  }
}

function better(c: Candidates, i: number, j: number, ctx: PassContext): boolean {
  const a = c.imbalance[i] as number;
  const b = c.imbalance[j] as number;
  if (a !== b) return a < b;
  const ua = ctx.units[c.unit[i] as number]?.[0] as number;
  const ub = ctx.units[c.unit[j] as number]?.[0] as number;
  return ua !== ub ? ua < ub : (c.dest[i] as number) < (c.dest[j] as number);
}

function describeMove(ctx: PassContext, members: readonly number[], s: number, d: number, before: number, after: number): string {
  const { model } = ctx;
  let cpu = 0;
  let mem = 0;
  for (const m of members) {
    cpu += ctx.cpu[m] as number;
    mem += ctx.mem[m] as number;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const srcAfter = model.combined(s) - ctx.loadOn(cpu, mem, s);
  const dstAfter = model.combined(d) + ctx.loadOn(cpu, mem, d);
  return (
    `${ctx.hosts[s]?.name} load ${pct(model.combined(s))} → ${pct(srcAfter)}, ${ctx.hosts[d]?.name} ${pct(model.combined(d))} → ${pct(dstAfter)}; ` +
    `imbalance ${before.toFixed(4)} → ${after.toFixed(4)} (target ${ctx.target.toFixed(4)})`
  );
}

function newCandidates(n: number): Candidates {
  return { unit: new Int32Array(n), dest: new Int32Array(n), imbalance: new Float64Array(n), benefit: new Float64Array(n), dead: new Uint8Array(n), count: 0 };
}

function push(c: Candidates, unit: number, dest: number, imbalance: number, benefit: number): void {
  if (c.count === c.unit.length) {
    const g = newCandidates(c.count * 2);
    g.unit.set(c.unit);
    g.dest.set(c.dest);
    g.imbalance.set(c.imbalance);
    g.benefit.set(c.benefit);
    Object.assign(c, { unit: g.unit, dest: g.dest, imbalance: g.imbalance, benefit: g.benefit, dead: g.dead });
  }
  const i = c.count++;
  c.unit[i] = unit;
  c.dest[i] = dest;
  c.imbalance[i] = imbalance;
  c.benefit[i] = benefit;
  c.dead[i] = 0;
}
