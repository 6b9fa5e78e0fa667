/**
 * PassContext: the working state of one DRS pass — ledger, loads, rule counts, affinity units,
 * migration costs and budgets — and the one operation every phase uses, `moveUnit`, which checks
 * rules and the placement callback, commits, charges the migration budget and records the move.
 */
import { ValidationError } from '../api/index.js';
import { utilizationWeights, targetImbalance } from './imbalance.js';
import { PlacementLedger } from './ledger.js';
import { LoadModel } from './load-model.js';
import { MigrationCosts } from './migration-cost.js';
import type { ResolvedOptions } from './options.js';
import { RuleBook } from './rule-book.js';
import type { RuleCheck } from './rule-checks.js';
import { UnionFind } from './union-find.js';
import type { DrsHost, DrsState, DrsVm, RecommendationKind, UnresolvedViolation } from './types.js';

/** A committed move, before costs are finalized into a `Recommendation`. */
export interface DraftMove {
  readonly vm: number;
  readonly from: number;
  readonly to: number;
  readonly kind: RecommendationKind;
  readonly priority: number;
  readonly before: number;
  readonly after: number;
  readonly benefit: number;
  readonly together: readonly number[];
  readonly reason: string;
}

/** What to record with a unit's moves. `benefit` is the unit's, shared out by load. */
export interface MoveNote {
  readonly kind: RecommendationKind;
  readonly priority: number;
  readonly reason: string;
  readonly benefit: number;
}

export class PassContext {
  readonly ledger: PlacementLedger;
  readonly model: LoadModel;
  readonly rules: RuleBook;
  readonly costs: MigrationCosts;
  readonly weights: { readonly cpu: number; readonly memory: number };
  readonly target: number;
  readonly hosts: readonly DrsHost[];
  readonly vms: readonly DrsVm[];
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  readonly stability: Float64Array;
  readonly movable: Uint8Array;
  /** 1 for hosts that take VMs (mode `active`). */
  readonly accepts: Uint8Array;
  /** Remaining migration time per host this pass, slot-milliseconds. */
  readonly budget: Float64Array;
  /** Must-affinity unit per VM, and each unit's members (ascending VM index). */
  readonly unitOf: Int32Array;
  readonly units: readonly (readonly number[])[];
  readonly moves: DraftMove[] = [];
  readonly unresolved: UnresolvedViolation[] = [];
  evaluated = 0;

  constructor(
    state: DrsState,
    readonly opts: ResolvedOptions,
  ) {
    this.hosts = state.hosts;
    this.vms = state.vms;
    state.hosts.forEach((h, i) => {
      if (!(h.cpuMHz > 0 && h.memoryMiB > 0 && h.nicMbps > 0)) throw ValidationError.field(`hosts[${i}]`, `host "${h.name}" needs positive cpuMHz, memoryMiB and nicMbps`);
    });
    state.vms.forEach((v, i) => {
      if (!(v.cpuMHz >= 0 && v.memoryMiB >= 0)) throw ValidationError.field(`vms[${i}]`, `VM "${v.name}" needs non-negative cpuMHz and memoryMiB`);
      const s = v.demandStability;
      if (s !== undefined && !(s >= 0 && s <= 1)) throw ValidationError.field(`vms[${i}].demandStability`, 'must be within 0..1');
    });
    this.ledger = new PlacementLedger(
      state.vms.map((v) => v.name),
      state.hosts.map((h) => h.name),
      state.vms.map((v) => v.host),
    );
    this.weights = opts.weights ?? utilizationWeights(state);
    const counted = Uint8Array.from(state.hosts, (h) => (h.mode === 'maintenance' ? 0 : 1));
    this.accepts = Uint8Array.from(state.hosts, (h) => ((h.mode ?? 'active') === 'active' ? 1 : 0));
    this.model = new LoadModel(
      Float64Array.from(state.hosts, (h) => h.cpuMHz),
      Float64Array.from(state.hosts, (h) => h.memoryMiB),
      counted,
      this.weights.cpu,
      this.weights.memory,
    );
    this.cpu = Float64Array.from(state.vms, (v) => v.cpuMHz);
    this.mem = Float64Array.from(state.vms, (v) => v.memoryMiB);
    this.stability = Float64Array.from(state.vms, (v) => v.demandStability ?? 1);
    this.movable = Uint8Array.from(state.vms, (v) => (v.movable === false ? 0 : 1));
    state.vms.forEach((_, i) => this.model.add(this.ledger.hostIdx(i), this.cpu[i] as number, this.mem[i] as number));
    this.model.resum();
    this.target = targetImbalance(opts.threshold, this.model.hostCount);
    this.rules = new RuleBook(opts.rules, this.ledger);
    this.costs = new MigrationCosts(
      opts.timings,
      Float64Array.from(state.hosts, (h) => h.nicMbps),
      Float64Array.from(state.vms, (v) => v.sizeMiB ?? v.memoryMiB),
      Float64Array.from(state.vms, (v) => v.dirtyRateMBps ?? opts.timings.dirtyRateMBps),
    );
    this.budget = Float64Array.from(this.costs.slots, (s) => s * opts.passIntervalMs);
    const uf = new UnionFind(state.vms.length);
    for (const r of this.rules.rules) {
      if (r.rule.type !== 'vmAffinity' || !r.must) continue;
      for (const m of r.members.slice(1)) uf.union(r.members[0] as number, m);
    }
    const units: number[][] = [];
    const rootUnit = new Map<number, number>();
    this.unitOf = new Int32Array(state.vms.length);
    for (let v = 0; v < state.vms.length; v++) {
      const root = uf.find(v);
      let u = rootUnit.get(root);
      if (u === undefined) {
        u = units.length;
        rootUnit.set(root, u);
        units.push([]);
      }
      (units[u] as number[]).push(v);
      this.unitOf[v] = u;
    }
    this.units = units;
  }

  /** The unit's members, in ascending VM index. */
  unit(vm: number): readonly number[] {
    return this.units[this.unitOf[vm] as number] as readonly number[];
  }

  /** Combined load VM entitlement `cpuMHz`/`memMiB` puts on host h. */
  loadOn(cpuMHz: number, memMiB: number, h: number): number {
    return this.weights.cpu * (cpuMHz / (this.model.capCpu[h] as number)) + this.weights.memory * (memMiB / (this.model.capMem[h] as number));
  }

  /** Imbalance if the members moved to `to` (members may start on different hosts). */
  imbalanceIfMovedAll(members: readonly number[], to: number): number {
    const from = members.map((m) => this.ledger.hostIdx(m));
    members.forEach((m, i) => this.model.move(this.cpu[m] as number, this.mem[m] as number, from[i] as number, to));
    const after = this.model.imbalance();
    members.forEach((m, i) => this.model.move(this.cpu[m] as number, this.mem[m] as number, to, from[i] as number));
    return after;
  }

  /**
   * Moves the members not yet on `to` there, if `check` accepts the rule deltas and the placement
   * callback accepts each VM in turn (against the state with the previous ones moved); otherwise
   * changes nothing and returns the refusal reason.
   */
  moveUnit(members: readonly number[], to: number, check: RuleCheck, note: MoveNote): string | undefined {
    const moving = members.filter((m) => this.ledger.hostIdx(m) !== to);
    if (moving.length === 0) return 'already there';
    const refusal = check(this.rules.evaluate(moving, to), this.rules);
    if (refusal !== undefined) return refusal;
    const done: { vm: number; from: number }[] = [];
    const host = this.hosts[to] as DrsHost;
    for (const m of moving) {
      const verdict = this.opts.canPlace(this.vms[m] as DrsVm, host, this.ledger);
      if (!verdict.ok) {
        for (const d of done.reverse()) this.ledger.move(d.vm, d.from);
        return verdict.reason;
      }
      done.push({ vm: m, from: this.ledger.hostIdx(m) });
      this.ledger.move(m, to);
    }
    const unitLoad = done.reduce((a, d) => a + this.loadOn(this.cpu[d.vm] as number, this.mem[d.vm] as number, d.from), 0);
    // A unit moves all or nothing: each member reports the unit's before and after.
    const before = this.model.imbalance();
    for (const d of done) {
      this.model.move(this.cpu[d.vm] as number, this.mem[d.vm] as number, d.from, to);
      this.rules.moved(d.vm, d.from, to);
      const ms = this.costs.totalMs(d.vm, this.costs.conservativeLink(d.from, to));
      this.budget[d.from] = (this.budget[d.from] as number) - ms;
      this.budget[to] = (this.budget[to] as number) - ms;
    }
    const after = this.model.imbalance();
    for (const d of done) {
      const load = this.loadOn(this.cpu[d.vm] as number, this.mem[d.vm] as number, d.from);
      this.moves.push({
        vm: d.vm,
        from: d.from,
        to,
        kind: note.kind,
        priority: note.priority,
        before,
        after,
        benefit: unitLoad > 0 ? (note.benefit * load) / unitLoad : note.benefit / done.length,
        together: done.filter((o) => o.vm !== d.vm).map((o) => o.vm),
        reason: note.reason,
      });
    }
    return undefined;
  }

  /**
   * Tries destinations in order until one takes the unit; returns whether one did. Refusals are
   * tallied by reason into `refusals` for an explanation.
   */
  relocate(members: readonly number[], candidates: readonly number[], check: RuleCheck, note: MoveNote, refusals: Map<string, number>): boolean {
    for (const h of candidates) {
      const r = this.moveUnit(members, h, check, note);
      if (r === undefined) return true;
      refusals.set(r, (refusals.get(r) ?? 0) + 1);
    }
    return false;
  }

  /** Hosts that take VMs, ranked for a fix: fewest VMs to move, then lowest resulting imbalance, then index. */
  rankDestinations(members: readonly number[], exclude: ReadonlySet<number> = new Set()): number[] {
    const out: { h: number; moves: number; imb: number }[] = [];
    for (let h = 0; h < this.hosts.length; h++) {
      if (this.accepts[h] !== 1 || exclude.has(h)) continue;
      const moving = members.filter((m) => this.ledger.hostIdx(m) !== h);
      if (moving.length === 0) continue;
      out.push({ h, moves: moving.length, imb: this.imbalanceIfMovedAll(moving, h) });
    }
    out.sort((a, b) => a.moves - b.moves || a.imb - b.imb || a.h - b.h);
    return out.map((o) => o.h);
  }

  /** Whether another recommendation fits under `maxMovesPerPass`. */
  underMoveLimit(extra = 1): boolean {
    return this.moves.length + extra <= this.opts.maxMovesPerPass;
  }
}

/** "3 hosts: SensitivityIsolation; 1 host: would break …" */
export function summarizeRefusals(refusals: ReadonlyMap<string, number>): string {
  if (refusals.size === 0) return 'no host takes VMs';
  return [...refusals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([r, n]) => `${n} host${n === 1 ? '' : 's'}: ${r}`)
    .join('; ');
}
