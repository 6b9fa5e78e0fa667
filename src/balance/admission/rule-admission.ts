/**
 * Admission of DrsRules: the zone, hosts and VMs exist (hosts in the rule's zone, VMs not pinned
 * elsewhere), the fields fit the rule type, and the zone's rules together can hold: a must rule
 * contradicting another (affinity and anti-affinity on one pair, kept-together VMs with no common
 * allowed host, more kept-apart VMs than allowed hosts) is refused, naming both rules.
 */
import { ValidationError, type FieldCause, type Host, type VirtualMachine, type Zone } from '../../api/index.js';
import type { DrsRuleObject } from '../../api/kinds/balance-kinds.js';
import { validateRules } from '../../drs/index.js';
import type { Store } from '../../store/index.js';
import { pureRule } from '../drs/rule-objects.js';

const KIND = 'DrsRule';

function shapeCauses(rule: DrsRuleObject): FieldCause[] {
  const s = rule.spec;
  if (s === undefined) return [];
  const causes: FieldCause[] = [];
  if (s.type === 'vmHost') {
    if (s.hosts === undefined || s.hosts.length === 0) causes.push({ field: 'spec.hosts', message: 'a vmHost rule needs its host group' });
    if (s.mode === undefined) causes.push({ field: 'spec.mode', message: 'a vmHost rule needs a mode: mustRunOn, shouldRunOn, mustNotRunOn or shouldNotRunOn' });
    if (s.enforcement !== undefined) causes.push({ field: 'spec.enforcement', message: 'a vmHost rule takes its enforcement from spec.mode' });
  } else {
    if (s.hosts !== undefined) causes.push({ field: 'spec.hosts', message: `only vmHost rules have a host group (this is a ${s.type} rule)` });
    if (s.mode !== undefined) causes.push({ field: 'spec.mode', message: `only vmHost rules have a mode (this is a ${s.type} rule)` });
  }
  return causes;
}

/** Create/update rules of a DrsRule; returns it unchanged when admitted. */
export async function admitDrsRule(ctx: { readonly store: Store }, rule: DrsRuleObject, old: DrsRuleObject | undefined): Promise<DrsRuleObject> {
  const { store } = ctx;
  const name = rule.metadata.name;
  const spec = rule.spec;
  if (spec === undefined) return rule;
  const fail = (causes: FieldCause[]): never => {
    throw new ValidationError(causes, { kind: KIND, name });
  };
  if (old?.spec !== undefined && old.spec.zone !== spec.zone) fail([{ field: 'spec.zone', message: 'field is immutable' }]);
  const shape = shapeCauses(rule);
  if (shape.length > 0) fail(shape);
  if ((await store.tryGet<Zone>('Zone', '', spec.zone)) === undefined) fail([{ field: 'spec.zone', message: `zone "${spec.zone}" does not exist` }]);
  const [hosts, vms, rules] = await Promise.all([store.list<Host>('Host'), store.list<VirtualMachine>('VirtualMachine'), store.list<DrsRuleObject>(KIND)]);
  const hostZone = new Map(hosts.items.map((h) => [h.metadata.name, h.spec?.zone]));
  const vmByName = new Map(vms.items.map((v) => [v.metadata.name, v]));
  const causes: FieldCause[] = [];
  for (const [i, h] of (spec.hosts ?? []).entries()) {
    const z = hostZone.get(h);
    if (!hostZone.has(h)) causes.push({ field: `spec.hosts[${i}]`, message: `host "${h}" does not exist` });
    else if (z !== spec.zone) causes.push({ field: `spec.hosts[${i}]`, message: `host "${h}" is in zone "${z ?? ''}", not "${spec.zone}"` });
  }
  for (const [i, v] of spec.vms.entries()) {
    const vm = vmByName.get(v);
    const z = vm?.status?.zone ?? vm?.spec?.zone;
    if (vm === undefined) causes.push({ field: `spec.vms[${i}]`, message: `VM "${v}" does not exist` });
    else if (z !== undefined && z !== spec.zone) causes.push({ field: `spec.vms[${i}]`, message: `VM "${v}" is in zone "${z}", not "${spec.zone}"` });
  }
  if (causes.length > 0) fail(causes);
  const zoneRules = [...rules.items.filter((r) => r.spec?.zone === spec.zone && r.metadata.name !== name), rule].map(pureRule);
  const zoneHosts = hosts.items.filter((h) => h.spec?.zone === spec.zone).map((h) => h.metadata.name);
  const v = validateRules(zoneRules, zoneHosts);
  const mine = zoneRules.length - 1;
  const own = v.invalid.filter((c) => c.field.startsWith(`rules[${mine}]`)).map((c) => ({ field: c.field.replace(`rules[${mine}].`, 'spec.'), message: c.message }));
  if (own.length > 0) fail(own);
  const conflicts = v.conflicts.filter((c) => c.severity === 'error' && c.rules.includes(name));
  if (conflicts.length > 0) {
    fail(conflicts.map((c) => ({ field: c.rules.length > 1 ? `spec (conflicts with ${c.rules.filter((r) => r !== name).map((r) => `rule "${r}"`).join(', ')})` : 'spec', message: c.message })));
  }
  return rule;
}
