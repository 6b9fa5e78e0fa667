/**
 * Validation of admin policies and named groups, every problem named by its field path: unknown
 * tier or action (schema), priority outside 1-10000, Pass in the baseline tier (Antrea forbids it),
 * duplicate rule names, references to groups that do not exist, and contradictory group fields
 * (a group reference plus inline fields, ipBlocks mixed with pod fields, ipBlocks in appliedTo).
 */
import { DNS_LABEL, SENSITIVITY_LEVELS, ValidationError, nameCauses, schemaCauses, type FieldCause } from '../../api/index.js';
import {
  ADMIN_PRIORITY_MAX,
  ADMIN_PRIORITY_MIN,
  AdminPolicySpecSchema,
  GroupSpecSchema,
  type AdminGroup,
  type AdminPolicy,
  type AdminPolicySpec,
  type GroupSelector,
  type GroupSpec,
} from './admin-policy-schema.js';
import { parseCidr } from './cidr.js';
import { labelSelectorCauses } from './label-selector.js';
import { portCauses } from './validate-ports.js';

const POD_FIELDS = ['tenants', 'sensitivities', 'clusters', 'namespaces', 'namespaceSelector', 'podSelector'] as const;
const NAME_LISTS = ['tenants', 'clusters', 'namespaces'] as const;

/** Named groups known to the validator; absent = references are not checked. */
export type GroupsByName = ReadonlyMap<string, GroupSpec>;

function specCauses(g: GroupSpec, path: string, appliedTo: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  const podFields = POD_FIELDS.filter((f) => g[f] !== undefined);
  if (g.ipBlocks !== undefined) {
    if (appliedTo) causes.push({ field: `${path}.ipBlocks`, message: 'may not be used in appliedTo: a policy applies to pods, not addresses' });
    if (podFields.length > 0) causes.push({ field: path, message: `may not combine ipBlocks with pod fields (${podFields.join(', ')})` });
    if (g.ipBlocks.length === 0) causes.push({ field: `${path}.ipBlocks`, message: 'must not be empty (omit the field to match any pod)' });
    g.ipBlocks.forEach((b, i) => {
      if (!parseCidr(b.cidr)) causes.push({ field: `${path}.ipBlocks[${i}].cidr`, message: `${JSON.stringify(b.cidr)} is not a valid CIDR` });
    });
  }
  for (const f of NAME_LISTS) {
    const list = g[f];
    if (list === undefined) continue;
    if (list.length === 0) causes.push({ field: `${path}.${f}`, message: 'must not be empty (omit the field to match any)' });
    list.forEach((n, i) => {
      if (!DNS_LABEL.test(n)) causes.push({ field: `${path}.${f}[${i}]`, message: `${JSON.stringify(n)} is not a DNS label` });
    });
  }
  if (g.sensitivities !== undefined) {
    if (g.sensitivities.length === 0) causes.push({ field: `${path}.sensitivities`, message: 'must not be empty (omit the field to match any)' });
    g.sensitivities.forEach((s, i) => {
      if (!(SENSITIVITY_LEVELS as readonly string[]).includes(s))
        causes.push({ field: `${path}.sensitivities[${i}]`, message: `unsupported value ${JSON.stringify(s)}; must be one of ${SENSITIVITY_LEVELS.map((l) => JSON.stringify(l)).join(', ')}` });
    });
  }
  if (g.namespaceSelector) causes.push(...labelSelectorCauses(g.namespaceSelector, `${path}.namespaceSelector`));
  if (g.podSelector) causes.push(...labelSelectorCauses(g.podSelector, `${path}.podSelector`));
  return causes;
}

function selectorCauses(sel: GroupSelector, path: string, groups: GroupsByName | undefined, appliedTo: boolean): FieldCause[] {
  if (sel.group === undefined) return specCauses(sel, path, appliedTo);
  const inline = Object.keys(sel).filter((k) => k !== 'group');
  if (inline.length > 0) return [{ field: path, message: `may not combine group with inline fields (${inline.join(', ')})` }];
  if (!groups) return [];
  const target = groups.get(sel.group);
  if (!target) return [{ field: `${path}.group`, message: `group ${JSON.stringify(sel.group)} does not exist` }];
  if (appliedTo && target.ipBlocks !== undefined)
    return [{ field: `${path}.group`, message: `group ${JSON.stringify(sel.group)} selects ipBlocks, which may not be used in appliedTo` }];
  return [];
}

function semanticCauses(spec: AdminPolicySpec, groups: GroupsByName | undefined): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!Number.isFinite(spec.priority) || spec.priority < ADMIN_PRIORITY_MIN || spec.priority > ADMIN_PRIORITY_MAX)
    causes.push({ field: 'spec.priority', message: `must be between ${ADMIN_PRIORITY_MIN} and ${ADMIN_PRIORITY_MAX} (got ${spec.priority})` });
  causes.push(...selectorCauses(spec.appliedTo, 'spec.appliedTo', groups, true));
  const names = new Set<string>();
  spec.rules.forEach((r, i) => {
    const at = `spec.rules[${i}]`;
    if (r.action === 'Pass' && spec.tier === 'baseline')
      causes.push({ field: `${at}.action`, message: 'Pass is not allowed in the baseline tier (there is nothing below it to pass to)' });
    if (r.name !== undefined) {
      if (names.has(r.name)) causes.push({ field: `${at}.name`, message: `duplicate rule name ${JSON.stringify(r.name)}` });
      names.add(r.name);
    }
    (r.peers ?? []).forEach((p, j) => causes.push(...selectorCauses(p, `${at}.peers[${j}]`, groups, false)));
    (r.ports ?? []).forEach((p, j) => causes.push(...portCauses(p, `${at}.ports[${j}]`)));
  });
  return causes;
}

/** Every problem of an admin policy spec (empty when valid); group references are checked when `groups` is given. */
export function validateAdminPolicy(spec: unknown, groups?: GroupsByName): FieldCause[] {
  const shape = schemaCauses(AdminPolicySpecSchema, spec, 'spec');
  if (shape.length > 0) return shape;
  return semanticCauses(spec as AdminPolicySpec, groups);
}

/** Every problem of a named group's spec. */
export function validateAdminGroup(spec: unknown): FieldCause[] {
  const shape = schemaCauses(GroupSpecSchema, spec, 'spec');
  if (shape.length > 0) return shape;
  return specCauses(spec as GroupSpec, 'spec', false);
}

/** Throws a ValidationError naming every bad field of the policy. */
export function assertAdminPolicy(p: AdminPolicy, groups: GroupsByName): void {
  const causes = [...nameCauses(p.name), ...validateAdminPolicy(p.spec, groups)];
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'AdminNetworkPolicy', name: p.name });
}

/** Throws a ValidationError naming every bad field of the group. */
export function assertAdminGroup(g: AdminGroup): void {
  const causes = [...nameCauses(g.name), ...validateAdminGroup(g.spec)];
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'AdminGroup', name: g.name });
}

/**
 * Not errors but worth telling the author: policies sharing a priority in one tier (Antrea leaves
 * their order undefined; this engine orders them by name).
 */
export function adminPolicyWarnings(policies: readonly AdminPolicy[]): string[] {
  const byKey = new Map<string, string[]>();
  for (const p of policies) {
    const k = `${p.spec.tier}\u0000${p.spec.priority}`;
    byKey.set(k, [...(byKey.get(k) ?? []), p.name]);
  }
  const out: string[] = [];
  for (const [k, names] of byKey) {
    if (names.length < 2) continue;
    const [tier, priority] = k.split('\u0000');
    out.push(`tier ${tier}: policies ${names.sort().join(', ')} share priority ${priority}; they are evaluated in name order`);
  }
  return out;
}
