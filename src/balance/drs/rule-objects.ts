/**
 * DrsRule objects into the pure layer's rules, per zone, and whether each rule holds now. Rules are
 * checked for contradictions at admission; a set that still does not validate at pass time (a
 * host left the zone) loses the offending rules for that pass, each with its reason.
 */
import type { DrsRuleObject } from '../../api/kinds/balance-kinds.js';
import { isRunOn, validateRules, type DrsRule } from '../../drs/index.js';

/** The pure rule of a DrsRule object (its name is the object's). */
export function pureRule(obj: DrsRuleObject): DrsRule {
  const s = obj.spec;
  const name = obj.metadata.name;
  if (s === undefined) return { name, type: 'vmAffinity', vms: [] };
  if (s.type === 'vmHost') return { name, type: 'vmHost', vms: s.vms, hosts: s.hosts ?? [], mode: s.mode ?? 'shouldRunOn' };
  return { name, type: s.type, vms: s.vms, ...(s.enforcement !== undefined ? { enforcement: s.enforcement } : {}) };
}

/** The zone's usable rules, and the ones left out with why. */
export interface ZoneRules {
  readonly rules: readonly DrsRule[];
  readonly dropped: ReadonlyMap<string, string>;
}

/** Rules of `zone` that validate against its hosts; malformed or contradicting ones are dropped. */
export function zoneRules(objs: readonly DrsRuleObject[], zone: string, hostNames: readonly string[]): ZoneRules {
  const all = objs.filter((o) => o.spec?.zone === zone).map(pureRule);
  const dropped = new Map<string, string>();
  const v = validateRules(all, hostNames);
  for (const c of v.invalid) {
    const m = /^rules\[(\d+)\]/.exec(c.field);
    const r = m ? all[Number(m[1])] : undefined;
    if (r !== undefined && !dropped.has(r.name)) dropped.set(r.name, `${c.field.replace(/^rules\[\d+\]\./, 'spec.')}: ${c.message}`);
  }
  for (const c of v.conflicts) if (c.severity === 'error') for (const n of c.rules) if (!dropped.has(n)) dropped.set(n, c.message);
  return { rules: all.filter((r) => !dropped.has(r.name)), dropped };
}

/** Whether a rule holds with VMs where `hostOf` says (VMs not running are ignored), and a line saying so. */
export function ruleCompliance(rule: DrsRule, hostOf: (vm: string) => string | undefined): { readonly satisfied: boolean; readonly message: string } {
  const placed = rule.vms.map((v) => [v, hostOf(v)] as const).filter((p): p is readonly [string, string] => p[1] !== undefined);
  if (rule.type === 'vmHost') {
    const group = new Set(rule.hosts);
    const bad = placed.filter(([, h]) => isRunOn(rule.mode) !== group.has(h)).map(([v, h]) => `${v} on ${h}`);
    return bad.length === 0 ? { satisfied: true, message: `${placed.length} running VM(s) comply` } : { satisfied: false, message: `violated: ${bad.join(', ')}` };
  }
  const hosts = new Set(placed.map(([, h]) => h));
  if (rule.type === 'vmAffinity') {
    return hosts.size <= 1
      ? { satisfied: true, message: `${placed.length} running VM(s) on one host` }
      : { satisfied: false, message: `spread over ${hosts.size} hosts: ${placed.map(([v, h]) => `${v} on ${h}`).join(', ')}` };
  }
  return hosts.size === placed.length
    ? { satisfied: true, message: `${placed.length} running VM(s) on distinct hosts` }
    : { satisfied: false, message: `sharing hosts: ${placed.map(([v, h]) => `${v} on ${h}`).join(', ')}` };
}
