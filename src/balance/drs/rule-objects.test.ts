// DrsRule objects into pure rules per zone; contradicting rules are dropped with the reason; each
// rule's compliance with VMs where they run.
import { describe, expect, it } from 'vitest';
import { API_VERSION } from '../../api/index.js';
import type { DrsRuleObject, DrsRuleSpec } from '../../api/kinds/balance-kinds.js';
import { pureRule, ruleCompliance, zoneRules } from './rule-objects.js';

const rule = (name: string, spec: DrsRuleSpec): DrsRuleObject => ({ apiVersion: API_VERSION, kind: 'DrsRule', metadata: { name }, spec });

describe('zoneRules', () => {
  it('keeps the zone\'s rules and drops contradicting must rules, naming them', () => {
    const objs = [
      rule('together', { zone: 'a', type: 'vmAffinity', vms: ['x', 'y'] }),
      rule('apart', { zone: 'a', type: 'vmAntiAffinity', vms: ['x', 'y'] }),
      rule('pin', { zone: 'a', type: 'vmHost', vms: ['z'], hosts: ['h1'], mode: 'shouldRunOn' }),
      rule('elsewhere', { zone: 'b', type: 'vmAntiAffinity', vms: ['p', 'q'] }),
    ];
    const r = zoneRules(objs, 'a', ['h1', 'h2']);
    expect(r.rules.map((x) => x.name)).toEqual(['pin']);
    expect(r.dropped.get('together')).toMatch(/contradicts must rule "apart"/);
    expect(r.dropped.get('apart')).toBe(r.dropped.get('together'));
  });

  it('turns a vmHost object into a rule with its host group and mode', () => {
    expect(pureRule(rule('pin', { zone: 'a', type: 'vmHost', vms: ['z'], hosts: ['h1'], mode: 'mustNotRunOn' }))).toEqual({ name: 'pin', type: 'vmHost', vms: ['z'], hosts: ['h1'], mode: 'mustNotRunOn' });
  });
});

describe('ruleCompliance', () => {
  const where = new Map([
    ['x', 'h1'],
    ['y', 'h1'],
    ['z', 'h2'],
  ]);
  const hostOf = (v: string) => where.get(v);
  it.each([
    [{ name: 'r', type: 'vmAffinity', vms: ['x', 'y', 'stopped'] } as const, true],
    [{ name: 'r', type: 'vmAffinity', vms: ['x', 'z'] } as const, false],
    [{ name: 'r', type: 'vmAntiAffinity', vms: ['x', 'z'] } as const, true],
    [{ name: 'r', type: 'vmAntiAffinity', vms: ['x', 'y'] } as const, false],
    [{ name: 'r', type: 'vmHost', vms: ['x', 'y'], hosts: ['h1'], mode: 'mustRunOn' } as const, true],
    [{ name: 'r', type: 'vmHost', vms: ['x', 'z'], hosts: ['h1'], mode: 'shouldRunOn' } as const, false],
    [{ name: 'r', type: 'vmHost', vms: ['z'], hosts: ['h1'], mode: 'mustNotRunOn' } as const, true],
  ])('%j satisfied: %s', (r, want) => {
    expect(ruleCompliance(r, hostOf).satisfied).toBe(want);
  });
});
