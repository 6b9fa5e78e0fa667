/**
 * Rule validation: shape (names, member lists) and contradictions a zone can never satisfy —
 * affinity and anti-affinity on one pair, VMs kept together whose must VM-host rules leave them
 * no common host, VMs kept apart with fewer allowed hosts than VMs. Each conflict names every
 * rule involved.
 */
import { ValidationError, type FieldCause } from '../api/index.js';
import { RuleConflictError } from './errors.js';
import { describeRule, enforcementOf, isRuleType, isRunOn, isVmHostMode, RULE_ENFORCEMENTS, type DrsRule, type VmHostRule } from './rules.js';
import { UnionFind } from './union-find.js';

/** Rules that cannot all hold; `error` when both are must, `warning` when a should rule can never hold. */
export interface RuleConflict {
  readonly severity: 'error' | 'warning';
  readonly rules: readonly string[];
  readonly vms: readonly string[];
  readonly message: string;
}

/** Shape problems (as field causes) and contradictions of a rule set over a zone's hosts. */
export interface RuleValidation {
  readonly invalid: readonly FieldCause[];
  readonly conflicts: readonly RuleConflict[];
}

/** Checks a rule set against the zone's host names; never throws. */
export function validateRules(rules: readonly DrsRule[], hostNames: readonly string[]): RuleValidation {
  const invalid = shapeProblems(rules);
  if (invalid.length > 0) return { invalid, conflicts: [] };
  return { invalid, conflicts: [...pairConflicts(rules), ...hostConflicts(rules, hostNames)] };
}

/** Throws `ValidationError` for a malformed rule, `RuleConflictError` for contradicting must rules. */
export function assertValidRules(rules: readonly DrsRule[], hostNames: readonly string[]): void {
  const v = validateRules(rules, hostNames);
  if (v.invalid.length > 0) throw new ValidationError(v.invalid, { kind: 'DrsRules' });
  const errors = v.conflicts.filter((c) => c.severity === 'error');
  if (errors.length > 0) throw new RuleConflictError(errors);
}

function shapeProblems(rules: readonly DrsRule[]): FieldCause[] {
  const out: FieldCause[] = [];
  const names = new Set<string>();
  rules.forEach((r, i) => {
    const at = `rules[${i}]`;
    if (typeof r.name !== 'string' || r.name === '') out.push({ field: `${at}.name`, message: 'required' });
    else if (names.has(r.name)) out.push({ field: `${at}.name`, message: `duplicate rule name "${r.name}"` });
    else names.add(r.name);
    if (!isRuleType(r.type)) {
      out.push({ field: `${at}.type`, message: 'must be vmAffinity, vmAntiAffinity or vmHost' });
      return;
    }
    const vms = Array.isArray(r.vms) ? r.vms : [];
    if (vms.length === 0 || !vms.every((v) => typeof v === 'string' && v !== '')) out.push({ field: `${at}.vms`, message: 'must list VM names' });
    else if (new Set(vms).size !== vms.length) out.push({ field: `${at}.vms`, message: 'lists a VM twice' });
    if (r.type === 'vmHost') {
      if (!isVmHostMode(r.mode)) out.push({ field: `${at}.mode`, message: 'must be mustRunOn, shouldRunOn, mustNotRunOn or shouldNotRunOn' });
      if (!Array.isArray(r.hosts) || r.hosts.length === 0) out.push({ field: `${at}.hosts`, message: 'must list at least one host' });
    } else {
      if (vms.length < 2) out.push({ field: `${at}.vms`, message: 'a VM-VM rule needs at least two VMs' });
      if (r.enforcement !== undefined && !(RULE_ENFORCEMENTS as readonly string[]).includes(r.enforcement)) {
        out.push({ field: `${at}.enforcement`, message: 'must be must or should' });
      }
    }
  });
  return out;
}

/** Affinity and anti-affinity over the same pair, directly or through a chain of must affinity rules. */
function pairConflicts(rules: readonly DrsRule[]): RuleConflict[] {
  const out: RuleConflict[] = [];
  const affinity = rules.filter((r) => r.type === 'vmAffinity');
  const anti = rules.filter((r) => r.type === 'vmAntiAffinity');
  const { find, rulesOf } = components(affinity.filter((r) => enforcementOf(r) === 'must'));
  for (const a of anti) {
    const reported = new Set<string>();
    for (let i = 0; i < a.vms.length; i++) {
      for (let j = i + 1; j < a.vms.length; j++) {
        const x = a.vms[i] as string;
        const y = a.vms[j] as string;
        const direct = affinity.filter((f) => f.vms.includes(x) && f.vms.includes(y));
        const chain = find(x) !== undefined && find(x) === find(y) ? rulesOf(x) : [];
        const involved = [...new Set([...direct, ...chain])];
        if (involved.length === 0) continue;
        const key = involved.map((r) => r.name).join('\0');
        if (reported.has(key)) continue;
        reported.add(key);
        const hard = enforcementOf(a) === 'must' && (chain.length > 0 || direct.some((f) => enforcementOf(f) === 'must'));
        out.push({
          severity: hard ? 'error' : 'warning',
          rules: [...involved.map((r) => r.name), a.name],
          vms: [x, y],
          message: `${involved.map(describeRule).join(' and ')} contradicts ${describeRule(a)}: ${x} and ${y} cannot be both on one host and on different hosts`,
        });
      }
    }
  }
  return out;
}

/** Must VM-host rules leaving a VM, a kept-together group or a kept-apart set without enough hosts. */
function hostConflicts(rules: readonly DrsRule[], hostNames: readonly string[]): RuleConflict[] {
  const out: RuleConflict[] = [];
  const hostRules = rules.filter((r): r is VmHostRule => r.type === 'vmHost' && enforcementOf(r) === 'must');
  const allowed = new Map<string, Set<string>>();
  const restricting = new Map<string, VmHostRule[]>();
  for (const r of hostRules) {
    const group = new Set(r.hosts);
    for (const vm of r.vms) {
      const cur = allowed.get(vm) ?? new Set(hostNames);
      for (const h of [...cur]) if (isRunOn(r.mode) !== group.has(h)) cur.delete(h);
      allowed.set(vm, cur);
      restricting.set(vm, [...(restricting.get(vm) ?? []), r]);
    }
  }
  const namesOf = (vms: readonly string[]) => [...new Set(vms.flatMap((v) => (restricting.get(v) ?? []).map((r) => r.name)))];
  const describeOf = (vms: readonly string[]) => [...new Set(vms.flatMap((v) => restricting.get(v) ?? []))].map(describeRule).join(' and ');

  for (const [vm, set] of allowed) {
    if (set.size > 0) continue;
    out.push({ severity: 'error', rules: namesOf([vm]), vms: [vm], message: `${describeOf([vm])} leave ${vm} no host in the zone` });
  }
  // Unrestricted VMs (no must VM-host rule) may use any host: only restricted ones narrow a group.
  const { groups, rulesOf } = components(rules.filter((r) => r.type === 'vmAffinity' && enforcementOf(r) === 'must'));
  for (const members of groups) {
    const sets = members.map((v) => allowed.get(v)).filter((s): s is Set<string> => s !== undefined);
    if (sets.length < 2 || sets.some((s) => s.size === 0)) continue;
    const [first, ...others] = sets.sort((a, b) => a.size - b.size) as [Set<string>, ...Set<string>[]];
    if ([...first].some((h) => others.every((s) => s.has(h)))) continue;
    const together = rulesOf(members[0] as string);
    out.push({
      severity: 'error',
      rules: [...together.map((r) => r.name), ...namesOf(members)],
      vms: members,
      message: `${together.map(describeRule).join(' and ')} contradicts ${describeOf(members)}: no host is allowed for all of ${members.join(', ')}`,
    });
  }
  for (const a of rules) {
    if (a.type !== 'vmAntiAffinity' || enforcementOf(a) !== 'must') continue;
    const sets = a.vms.map((v) => allowed.get(v));
    const union = sets.some((s) => s === undefined) ? hostNames.length : new Set(sets.flatMap((s) => [...(s ?? [])])).size;
    if (union >= a.vms.length) continue;
    const pinned = sets.some((s) => s !== undefined);
    out.push({
      severity: 'error',
      rules: [a.name, ...namesOf(a.vms)],
      vms: [...a.vms],
      message: `${describeRule(a)}${pinned ? ` contradicts ${describeOf(a.vms)}` : ''}: ${a.vms.length} VMs kept apart but only ${union} allowed host(s)`,
    });
  }
  return out;
}

/** Connected components of VMs over affinity rules, with the rules of each component. */
function components(affinity: readonly DrsRule[]): {
  find(vm: string): number | undefined;
  rulesOf(vm: string): DrsRule[];
  groups: string[][];
} {
  const index = new Map<string, number>();
  for (const r of affinity) for (const v of r.vms) if (!index.has(v)) index.set(v, index.size);
  const uf = new UnionFind(index.size);
  for (const r of affinity) for (const v of r.vms.slice(1)) uf.union(index.get(r.vms[0] as string) as number, index.get(v) as number);
  const find = (vm: string) => {
    const i = index.get(vm);
    return i === undefined ? undefined : uf.find(i);
  };
  const byRoot = new Map<number, string[]>();
  for (const [v, i] of index) byRoot.set(uf.find(i), [...(byRoot.get(uf.find(i)) ?? []), v]);
  return {
    find,
    rulesOf: (vm) => affinity.filter((r) => find(r.vms[0] as string) === find(vm)),
    groups: [...byRoot.values()].filter((g) => g.length > 1),
  };
}
