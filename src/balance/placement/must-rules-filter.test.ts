import { describe, expect, it } from 'vitest';
import { API_VERSION } from '../../api/index.js';
import type { DrsRuleObject, DrsRuleSpec } from '../../api/kinds/balance-kinds.js';
import { CycleState, type HostInfo, type PlacementRequest } from '../../scheduler/index.js';
import { ANTI_AFFINITY, MustRulesFilter, VM_HOST_RULE } from './must-rules-filter.js';

const rule = (name: string, spec: DrsRuleSpec): DrsRuleObject => ({ apiVersion: API_VERSION, kind: 'DrsRule', metadata: { name }, spec });
const host = (name: string, vms: string[], zone = 'zone-a') => ({ name, zone: { name: zone }, vms: new Set(vms) }) as unknown as HostInfo;
const req = (key: string) => ({ key }) as unknown as PlacementRequest;

describe('MustRulesFilter', () => {
  const state = new CycleState();

  it('keeps must anti-affinity partners apart, in the rule’s zone only; should rules never filter', () => {
    let rules = [rule('apart', { zone: 'zone-a', type: 'vmAntiAffinity', vms: ['a', 'b', 'c'] }), rule('soft', { zone: 'zone-a', type: 'vmAntiAffinity', enforcement: 'should', vms: ['a', 'd'] })];
    const f = new MustRulesFilter(() => rules);
    expect(f.filter(state, req('a'), host('h1', ['b']))).toBe(ANTI_AFFINITY);
    expect(f.filter(state, req('a'), host('h1', ['x', 'd']))).toMatchObject({ code: 'Success' });
    expect(f.filter(state, req('a'), host('h9', ['b'], 'zone-b'))).toMatchObject({ code: 'Success' });
    expect(f.filter(state, req('z'), host('h1', ['a', 'b']))).toMatchObject({ code: 'Success' });
    rules = [];
    expect(f.filter(state, req('a'), host('h1', ['b']))).toBe(ANTI_AFFINITY); // until told the rules changed
    f.invalidate();
    expect(f.filter(state, req('a'), host('h1', ['b']))).toMatchObject({ code: 'Success' });
  });

  it('pins VMs to must-run-on host groups and keeps them off must-not-run-on ones; should modes never filter', () => {
    const f = new MustRulesFilter(() => [
      rule('pin', { zone: 'zone-a', type: 'vmHost', vms: ['db'], hosts: ['h1', 'h2'], mode: 'mustRunOn' }),
      rule('off', { zone: 'zone-a', type: 'vmHost', vms: ['db', 'web'], hosts: ['h2'], mode: 'mustNotRunOn' }),
      rule('pref', { zone: 'zone-a', type: 'vmHost', vms: ['web'], hosts: ['h3'], mode: 'shouldRunOn' }),
    ]);
    expect(f.filter(state, req('db'), host('h1', []))).toMatchObject({ code: 'Success' });
    expect(f.filter(state, req('db'), host('h2', []))).toBe(VM_HOST_RULE);
    expect(f.filter(state, req('db'), host('h3', []))).toBe(VM_HOST_RULE);
    expect(f.filter(state, req('web'), host('h1', []))).toMatchObject({ code: 'Success' });
    expect(f.filter(state, req('web'), host('h2', []))).toBe(VM_HOST_RULE);
  });
});
