/** Rule validation: shape problems and contradictions, each naming the rules involved. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { RuleConflictError } from './errors.js';
import { assertValidRules, validateRules } from './rule-validation.js';
import type { DrsRule } from './rules.js';

const HOSTS = ['h1', 'h2', 'h3', 'h4'];

describe('validateRules', () => {
  it.each<[string, DrsRule[], string[], 'error' | 'warning']>([
    [
      'affinity and anti-affinity on the same pair',
      [
        { name: 'together', type: 'vmAffinity', vms: ['a', 'b'] },
        { name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b', 'c'] },
      ],
      ['together', 'apart'],
      'error',
    ],
    [
      'anti-affinity across a chain of affinity rules',
      [
        { name: 'ab', type: 'vmAffinity', vms: ['a', 'b'] },
        { name: 'bc', type: 'vmAffinity', vms: ['b', 'c'] },
        { name: 'ac-apart', type: 'vmAntiAffinity', vms: ['a', 'c'] },
      ],
      ['ab', 'bc', 'ac-apart'],
      'error',
    ],
    [
      'affinity between VMs pinned to disjoint host groups',
      [
        { name: 'keep-db', type: 'vmAffinity', vms: ['db-1', 'db-2'] },
        { name: 'db-1-rack-a', type: 'vmHost', vms: ['db-1'], hosts: ['h1', 'h2'], mode: 'mustRunOn' },
        { name: 'db-2-rack-b', type: 'vmHost', vms: ['db-2'], hosts: ['h3', 'h4'], mode: 'mustRunOn' },
      ],
      ['keep-db', 'db-1-rack-a', 'db-2-rack-b'],
      'error',
    ],
    [
      'a VM pinned on and off the same hosts',
      [
        { name: 'on-h1', type: 'vmHost', vms: ['a'], hosts: ['h1'], mode: 'mustRunOn' },
        { name: 'not-h1', type: 'vmHost', vms: ['a'], hosts: ['h1'], mode: 'mustNotRunOn' },
      ],
      ['on-h1', 'not-h1'],
      'error',
    ],
    [
      'three VMs kept apart with two allowed hosts',
      [
        { name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b', 'c'] },
        { name: 'rack', type: 'vmHost', vms: ['a', 'b', 'c'], hosts: ['h1', 'h2'], mode: 'mustRunOn' },
      ],
      ['apart', 'rack'],
      'error',
    ],
    [
      'a should affinity a must anti-affinity overrides',
      [
        { name: 'prefer-together', type: 'vmAffinity', vms: ['a', 'b'], enforcement: 'should' },
        { name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b'] },
      ],
      ['prefer-together', 'apart'],
      'warning',
    ],
  ])('flags %s', (_, rules, names, severity) => {
    const { invalid, conflicts } = validateRules(rules, HOSTS);
    expect(invalid).toEqual([]);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.severity).toBe(severity);
    expect([...(conflicts[0]?.rules ?? [])].sort()).toEqual([...names].sort());
    for (const n of names) expect(conflicts[0]?.message).toContain(`"${n}"`);
  });

  it('accepts consistent rules', () => {
    const rules: DrsRule[] = [
      { name: 'keep-db', type: 'vmAffinity', vms: ['db-1', 'db-2'] },
      { name: 'db-rack', type: 'vmHost', vms: ['db-1'], hosts: ['h1', 'h2'], mode: 'mustRunOn' },
      { name: 'db-2-not-h1', type: 'vmHost', vms: ['db-2'], hosts: ['h1'], mode: 'mustNotRunOn' },
      { name: 'web-apart', type: 'vmAntiAffinity', vms: ['w1', 'w2', 'w3', 'w4'] },
    ];
    expect(validateRules(rules, HOSTS)).toEqual({ invalid: [], conflicts: [] });
    expect(() => assertValidRules(rules, HOSTS)).not.toThrow();
  });

  it('names malformed fields', () => {
    const rules = [
      { name: 'x', type: 'vmAffinity', vms: ['a'] },
      { name: 'x', type: 'vmHost', vms: ['a'], hosts: [], mode: 'mustRunOn' },
      { name: 'y', type: 'vmHost', vms: ['a', 'a'], hosts: ['h1'], mode: 'sometimes' },
    ] as unknown as DrsRule[];
    const fields = validateRules(rules, HOSTS).invalid.map((c) => c.field);
    expect(fields).toEqual(['rules[0].vms', 'rules[1].name', 'rules[1].hosts', 'rules[2].vms', 'rules[2].mode']);
    expect(() => assertValidRules(rules, HOSTS)).toThrow(ValidationError);
  });

  it('throws RuleConflictError carrying the conflicts for must contradictions only', () => {
    const rules: DrsRule[] = [
      { name: 'together', type: 'vmAffinity', vms: ['a', 'b'] },
      { name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b'] },
    ];
    try {
      assertValidRules(rules, HOSTS);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RuleConflictError);
      expect((e as RuleConflictError).conflicts[0]?.rules).toEqual(['together', 'apart']);
      expect((e as RuleConflictError).code).toBe(422);
    }
    const soft: DrsRule[] = [rules[0] as DrsRule, { name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b'], enforcement: 'should' }];
    expect(() => assertValidRules(soft, HOSTS)).not.toThrow();
  });
});
