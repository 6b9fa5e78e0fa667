/** Validation of admin policies and groups: field paths, tiers, Pass in baseline, group references, contradictions. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import type { AdminPolicy, GroupSpec } from './admin-policy-schema.js';
import { compile } from './engine.js';
import { adminPolicyWarnings, validateAdminGroup, validateAdminPolicy } from './validate-admin-policy.js';

const GROUPS = new Map<string, GroupSpec>([
  ['low', { sensitivities: ['low'] }],
  ['internet', { ipBlocks: [{ cidr: '0.0.0.0/0' }] }],
]);
const base = { tier: 'platform', priority: 10, appliedTo: {}, rules: [] as unknown[] };
const errors = (spec: unknown): string[] => validateAdminPolicy(spec, GROUPS).map((c) => `${c.field}: ${c.message}`);
const rule = (r: Record<string, unknown>): unknown => ({ ...base, rules: [{ action: 'Drop', direction: 'Ingress', ...r }] });

describe('validateAdminPolicy', () => {
  it('accepts a valid policy', () => {
    expect(
      errors({
        tier: 'emergency',
        priority: 1.5,
        appliedTo: { tenants: ['bank'], namespaceSelector: { matchLabels: { zone: 'pci' } } },
        rules: [
          { name: 'a', action: 'Drop', direction: 'Ingress', peers: [{ group: 'low' }, { sensitivities: ['moderate'] }], ports: [{ port: 22 }] },
          { name: 'b', action: 'Pass', direction: 'Egress', peers: [{ group: 'internet' }] },
        ],
      }),
    ).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['unknown tier', { ...base, tier: 'securityops' }, 'spec.tier: unsupported value "securityops"; must be one of "emergency", "platform", "baseline"'],
    ['application is for tenants', { ...base, tier: 'application' }, 'spec.tier: unsupported value "application"; must be one of "emergency", "platform", "baseline"'],
    ['unknown action', rule({ action: 'Deny' }), 'spec.rules[0].action: unsupported value "Deny"; must be one of "Allow", "Drop", "Reject", "Pass"'],
    ['unknown direction', rule({ direction: 'Both' }), 'spec.rules[0].direction: unsupported value "Both"; must be one of "Ingress", "Egress"'],
    ['priority too low', { ...base, priority: 0 }, 'spec.priority: must be between 1 and 10000 (got 0)'],
    ['priority too high', { ...base, priority: 10001 }, 'spec.priority: must be between 1 and 10000 (got 10001)'],
    ['Pass in baseline', { ...base, tier: 'baseline', rules: [{ action: 'Pass', direction: 'Ingress' }] }, 'spec.rules[0].action: Pass is not allowed in the baseline tier (there is nothing below it to pass to)'],
    ['duplicate rule names', { ...base, rules: [{ name: 'r', action: 'Drop', direction: 'Ingress' }, { name: 'r', action: 'Allow', direction: 'Egress' }] }, 'spec.rules[1].name: duplicate rule name "r"'],
    ['missing group', rule({ peers: [{ group: 'nope' }] }), 'spec.rules[0].peers[0].group: group "nope" does not exist'],
    ['missing appliedTo group', { ...base, appliedTo: { group: 'nope' } }, 'spec.appliedTo.group: group "nope" does not exist'],
    ['group plus inline fields', rule({ peers: [{ group: 'low', tenants: ['x'] }] }), 'spec.rules[0].peers[0]: may not combine group with inline fields (tenants)'],
    ['ipBlocks mixed with pod fields', rule({ peers: [{ ipBlocks: [{ cidr: '10.0.0.0/8' }], namespaces: ['x'] }] }), 'spec.rules[0].peers[0]: may not combine ipBlocks with pod fields (namespaces)'],
    ['ipBlocks in appliedTo', { ...base, appliedTo: { ipBlocks: [{ cidr: '10.0.0.0/8' }] } }, 'spec.appliedTo.ipBlocks: may not be used in appliedTo: a policy applies to pods, not addresses'],
    ['ipBlocks group in appliedTo', { ...base, appliedTo: { group: 'internet' } }, 'spec.appliedTo.group: group "internet" selects ipBlocks, which may not be used in appliedTo'],
    ['empty list matches nothing', rule({ peers: [{ tenants: [] }] }), 'spec.rules[0].peers[0].tenants: must not be empty (omit the field to match any)'],
    ['unknown sensitivity', rule({ peers: [{ sensitivities: ['secret'] }] }), 'spec.rules[0].peers[0].sensitivities[0]: unsupported value "secret"; must be one of "low", "moderate", "high"'],
    ['bad namespace name', { ...base, appliedTo: { namespaces: ['Bad_NS'] } }, 'spec.appliedTo.namespaces[0]: "Bad_NS" is not a DNS label'],
    ['bad CIDR', rule({ peers: [{ ipBlocks: [{ cidr: '300.0.0.0/8' }] }] }), 'spec.rules[0].peers[0].ipBlocks[0].cidr: "300.0.0.0/8" is not a valid CIDR'],
    ['bad selector', rule({ peers: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }] }), 'spec.rules[0].peers[0].podSelector.matchExpressions[0].values: must be specified when operator is In'],
    ['bad port', rule({ ports: [{ port: 80, endPort: 79 }] }), 'spec.rules[0].ports[0].endPort: must be >= port (80)'],
    ['missing appliedTo', { tier: 'platform', priority: 1, rules: [] }, 'spec.appliedTo: required field is missing'],
  ])('%s', (_name, spec, message) => {
    expect(errors(spec)).toContain(message);
  });

  it('does not check group references when no groups are given', () => {
    expect(validateAdminPolicy(rule({ peers: [{ group: 'anything' }] }))).toEqual([]);
  });

  it('validates named groups', () => {
    expect(validateAdminGroup({ ipBlocks: [{ cidr: '10.0.0.0/8' }], tenants: ['a'] }).map((c) => `${c.field}: ${c.message}`)).toEqual(['spec: may not combine ipBlocks with pod fields (tenants)']);
    expect(validateAdminGroup({ colour: 'red' }).map((c) => c.field)).toEqual(['spec.colour']);
  });

  it('warns (does not fail) on shared priorities, which Antrea leaves unordered', () => {
    const p = (name: string, priority: number, tier: 'platform' | 'emergency' = 'platform'): AdminPolicy => ({ name, spec: { tier, priority, appliedTo: {}, rules: [] } });
    expect(adminPolicyWarnings([p('b', 5), p('a', 5), p('c', 5, 'emergency'), p('d', 6)])).toEqual(['tier platform: policies a, b share priority 5; they are evaluated in name order']);
  });

  it('compile rejects a policy naming a missing group, and a group update that would put ipBlocks in appliedTo', () => {
    const guard: AdminPolicy = { name: 'guard', spec: { tier: 'platform', priority: 1, appliedTo: { group: 'bank' }, rules: [] } };
    expect(() => compile({ adminPolicies: [guard] })).toThrow('AdminNetworkPolicy "guard" is invalid: spec.appliedTo.group: group "bank" does not exist');
    const e = compile({ groups: [{ name: 'bank', spec: { tenants: ['bank'] } }], adminPolicies: [guard] });
    expect(() => e.upsertGroup({ name: 'bank', spec: { ipBlocks: [{ cidr: '10.0.0.0/8' }] } })).toThrow(ValidationError);
  });
});
