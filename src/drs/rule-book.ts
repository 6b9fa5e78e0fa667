/**
 * RuleBook: a rule set compiled against a ledger, kept current as VMs move, answering "how far
 * is each rule from holding" (its degree of violation) and "what would moving these VMs to that
 * host do to every rule they are in" in time proportional to the rules touched.
 *
 * Degree: affinity = distinct hosts of its placed VMs − 1; anti-affinity = placed VMs − distinct
 * hosts; VM-host = placed VMs on a host outside what the rule allows. 0 means the rule holds.
 */
import { UNPLACED, type PlacementLedger } from './ledger.js';
import { enforcementOf, isRunOn, type DrsRule } from './rules.js';

/** A rule compiled to indices. */
export interface CompiledRule {
  readonly rule: DrsRule;
  readonly must: boolean;
  /** Member VM indices (VMs the ledger does not know are ignored). */
  readonly members: readonly number[];
  /** VM-host rules: 1 for each host index the VMs may run on. */
  readonly allowed: Uint8Array | undefined;
  /** VM-VM rules: placed members per host index. */
  readonly counts: Map<number, number>;
  placed: number;
}

/** How one rule's degree would change. */
export interface RuleDelta {
  readonly rule: number;
  readonly before: number;
  readonly after: number;
}

export class RuleBook {
  readonly rules: CompiledRule[];
  private readonly byVm: (number[] | undefined)[];

  constructor(
    rules: readonly DrsRule[],
    private readonly ledger: PlacementLedger,
  ) {
    this.byVm = new Array<number[] | undefined>(ledger.vmNames.length);
    this.rules = rules.map((rule, id) => {
      const members = rule.vms.map((v) => ledger.vmIndex.get(v)).filter((v): v is number => v !== undefined);
      for (const m of members) (this.byVm[m] ??= []).push(id);
      let allowed: Uint8Array | undefined;
      if (rule.type === 'vmHost') {
        const runOn = isRunOn(rule.mode);
        allowed = new Uint8Array(ledger.hostNames.length).fill(runOn ? 0 : 1);
        for (const h of rule.hosts) {
          const i = ledger.hostIndex.get(h);
          if (i !== undefined) allowed[i] = runOn ? 1 : 0;
        }
      }
      const compiled: CompiledRule = { rule, must: enforcementOf(rule) === 'must', members, allowed, counts: new Map(), placed: 0 };
      if (allowed === undefined) for (const m of members) this.count(compiled, ledger.hostIdx(m), 1);
      return compiled;
    });
  }

  /** Rule ids a VM is in. */
  rulesOf(vm: number): readonly number[] {
    return this.byVm[vm] ?? [];
  }

  degree(id: number): number {
    const r = this.rules[id] as CompiledRule;
    if (r.allowed !== undefined) {
      let bad = 0;
      for (const m of r.members) {
        const h = this.ledger.hostIdx(m);
        if (h !== UNPLACED && r.allowed[h] === 0) bad++;
      }
      return bad;
    }
    return vmVmDegree(r, r.counts.size, r.placed);
  }

  /** Whether a VM-host rule allows host `h` (true for VM-VM rules). */
  allows(id: number, h: number): boolean {
    const a = (this.rules[id] as CompiledRule).allowed;
    return a === undefined || a[h] === 1;
  }

  /** Rules not holding now, by id. */
  violated(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.rules.length; i++) if (this.degree(i) > 0) out.push(i);
    return out;
  }

  /** What moving `vms` to host `to` would do to every rule they are in (unchanged rules omitted). */
  evaluate(vms: readonly number[], to: number): RuleDelta[] {
    const out: RuleDelta[] = [];
    const seen: number[] = [];
    for (const v of vms) {
      for (const id of this.rulesOf(v)) {
        if (seen.includes(id)) continue;
        seen.push(id);
        const d = this.deltaOf(id, vms, to);
        if (d.after !== d.before) out.push(d);
      }
    }
    return out;
  }

  /** Keeps VM-VM counts current; call after the ledger moved `vm` from `from` to `to`. */
  moved(vm: number, from: number, to: number): void {
    for (const id of this.rulesOf(vm)) {
      const r = this.rules[id] as CompiledRule;
      if (r.allowed !== undefined) continue;
      this.count(r, from, -1);
      this.count(r, to, 1);
    }
  }

  private deltaOf(id: number, vms: readonly number[], to: number): RuleDelta {
    const r = this.rules[id] as CompiledRule;
    const before = this.degree(id);
    let after = before;
    if (r.allowed !== undefined) {
      for (const v of vms) {
        if (!this.rulesOf(v).includes(id)) continue;
        const from = this.ledger.hostIdx(v);
        if (from === to) continue;
        if (from !== UNPLACED && r.allowed[from] === 0) after--;
        if (to !== UNPLACED && r.allowed[to] === 0) after++;
      }
      return { rule: id, before, after };
    }
    const changed: number[] = [];
    for (const v of vms) {
      if (!this.rulesOf(v).includes(id)) continue;
      const from = this.ledger.hostIdx(v);
      if (from === to) continue;
      this.count(r, from, -1);
      this.count(r, to, 1);
      changed.push(from);
    }
    after = vmVmDegree(r, r.counts.size, r.placed);
    for (const from of changed) {
      this.count(r, to, -1);
      this.count(r, from, 1);
    }
    return { rule: id, before, after };
  }

  private count(r: CompiledRule, h: number, sign: 1 | -1): void {
    if (h === UNPLACED) return;
    const c = (r.counts.get(h) ?? 0) + sign;
    if (c > 0) r.counts.set(h, c);
    else r.counts.delete(h);
    r.placed += sign;
  }
}

function vmVmDegree(r: CompiledRule, distinct: number, placed: number): number {
  return r.rule.type === 'vmAffinity' ? Math.max(0, distinct - 1) : placed - distinct;
}
