/**
 * Admin tiers above tenants (§2.1, §2.7): emergency, then platform (first match by priority, then
 * rule order; Pass delegates to tenant NetworkPolicies), then tenant policies, then baseline (only
 * when no NetworkPolicy isolates the pod), then default allow — and every verdict says why.
 */
import { describe, expect, it } from 'vitest';
import type { PodEndpoint } from '../types.js';
import type { AdminPolicy, AdminPolicySpec } from './admin-policy-schema.js';
import { compile, type PolicyEngine } from './engine.js';
import { np, pod } from './fixtures.test-util.js';
import type { NetworkPolicy } from './network-policy-schema.js';

const low = pod('lo', 'a', { tenant: 'bank-dev', sensitivity: 'low', ip: '10.1.0.1' });
const moderate = pod('mod', 'a', { tenant: 'shop', sensitivity: 'moderate', ip: '10.2.0.1' });
const high = pod('hi', 'a', { tenant: 'bank', sensitivity: 'high', ip: '10.3.0.1' });
const high2 = pod('hi', 'b', { tenant: 'bank', sensitivity: 'high', ip: '10.3.0.2' });
const PODS = [low, moderate, high, high2];

const admin = (name: string, spec: AdminPolicySpec): AdminPolicy => ({ name, spec });
const allowAllIn = (ns: string): NetworkPolicy => np(ns, 'allow-all', { podSelector: {}, ingress: [{}] });

const noLowToHigh = admin('no-low-to-high', {
  tier: 'platform',
  priority: 10,
  appliedTo: { sensitivities: ['high'] },
  rules: [{ name: 'drop-low', action: 'Drop', direction: 'Ingress', peers: [{ sensitivities: ['low'] }] }],
});

function engine(adminPolicies: readonly AdminPolicy[], networkPolicies: readonly NetworkPolicy[] = [], pods: readonly PodEndpoint[] = PODS): PolicyEngine {
  return compile({ pods, adminPolicies, networkPolicies });
}

describe('admin tiers', () => {
  it('high-sensitivity tenants cannot receive from low-sensitivity tenants, whatever the tenant allows', () => {
    const e = engine([noLowToHigh], [allowAllIn('hi'), np('hi', 'from-lo', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'lo' } } }] }] })]);
    const d = e.decide(low, high, 443, 'TCP');
    expect(d).toMatchObject({
      allowed: false,
      action: 'Drop',
      decidedBy: { tier: 'platform', policy: 'no-low-to-high', rule: 'drop-low', action: 'Drop' },
    });
    expect(d.reason).toBe('denied: ingress to hi/a dropped by admin policy no-low-to-high (platform tier) rule drop-low; egress from lo/a not isolated (default allow)');
    expect(d.ingress?.tier).toBe('platform');
    expect(d.egress?.tier).toBe('default');
    expect(e.decide(moderate, high, 443, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'application', policy: 'hi/allow-all', rule: 'ingress[0]' } });
    expect(e.decide(high, low, 443, 'TCP').allowed).toBe(true); // high may still send to low
    expect(e.decide(high2, high, 443, 'TCP').allowed).toBe(true);
  });

  it('follows a tenant whose sensitivity changes', () => {
    const e = engine([noLowToHigh]);
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(true);
    e.upsertPod({ ...moderate, sensitivity: 'low' });
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(false);
  });

  it('a Drop in the emergency tier wins over a platform Allow', () => {
    const e = engine([
      admin('allow-all', { tier: 'platform', priority: 1, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Ingress' }] }),
      admin('quarantine', { tier: 'emergency', priority: 100, appliedTo: { namespaces: ['hi'] }, rules: [{ action: 'Drop', direction: 'Ingress' }] }),
    ]);
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'emergency', policy: 'quarantine', rule: 'rules[0]' } });
    expect(e.decide(high, moderate, 80, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'platform', policy: 'allow-all' } });
  });

  it('a platform Allow admits traffic a tenant NetworkPolicy would isolate', () => {
    const e = engine(
      [admin('monitoring', { tier: 'platform', priority: 5, appliedTo: {}, rules: [{ name: 'scrape', action: 'Allow', direction: 'Ingress', peers: [{ namespaces: ['mod'] }], ports: [{ port: 9100 }] }] })],
      [np('hi', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })],
    );
    expect(e.decide(moderate, high, 9100, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'platform', rule: 'scrape' } });
    expect(e.decide(moderate, high, 9101, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'application', policy: 'hi/deny', rule: 'isolation', action: 'Isolate' } });
  });

  it('Reject denies and says so', () => {
    const e = engine([admin('no-smtp', { tier: 'platform', priority: 1, appliedTo: {}, rules: [{ action: 'Reject', direction: 'Egress', ports: [{ port: 25 }] }] })]);
    const d = e.decide(moderate, { kind: 'external', ip: '198.51.100.7' }, 25, 'TCP');
    expect(d).toMatchObject({ allowed: false, action: 'Reject', decidedBy: { tier: 'platform', policy: 'no-smtp', action: 'Reject' } });
    expect(d.reason).toMatch(/^rejected: egress from mod\/a rejected by admin policy no-smtp/);
    expect(d.ingress).toBeUndefined();
    expect(e.decide(moderate, { kind: 'external', ip: '198.51.100.7' }, 587, 'TCP').allowed).toBe(true);
  });

  it('Pass skips the rest of the admin tiers and delegates to tenant NetworkPolicies', () => {
    const policies = [
      admin('delegate', { tier: 'emergency', priority: 1, appliedTo: { tenants: ['bank'] }, rules: [{ action: 'Pass', direction: 'Ingress', peers: [{ tenants: ['shop'] }] }] }),
      admin('drop-all', { tier: 'platform', priority: 1, appliedTo: {}, rules: [{ action: 'Drop', direction: 'Ingress' }] }),
    ];
    // no tenant policy: passed flows are allowed by default; other flows hit the platform Drop
    const e = engine(policies);
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'default' } });
    expect(e.decide(moderate, high, 80, 'TCP').reason).toContain('passed to tenant policies by admin policy delegate');
    expect(e.decide(low, high, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'platform', policy: 'drop-all' } });
    // a tenant NetworkPolicy isolating the pod now decides the passed flows
    e.upsertNetworkPolicy(np('hi', 'only-b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }));
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'application', policy: 'hi/only-b', rule: 'isolation' } });
  });

  it('Pass with no tenant NetworkPolicy falls through to the baseline tier', () => {
    const e = engine([
      admin('delegate', { tier: 'platform', priority: 1, appliedTo: {}, rules: [{ action: 'Pass', direction: 'Ingress' }] }),
      admin('baseline-deny', { tier: 'baseline', priority: 1, appliedTo: { tenants: ['bank'] }, rules: [{ action: 'Drop', direction: 'Ingress' }] }),
    ]);
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'baseline', policy: 'baseline-deny' } });
    expect(e.decide(high, moderate, 80, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'default' } });
  });

  it('baseline applies only when no NetworkPolicy isolates the pod', () => {
    const baselineDeny = admin('tenant-default-deny', { tier: 'baseline', priority: 1, appliedTo: {}, rules: [{ action: 'Drop', direction: 'Ingress' }] });
    const e = engine([baselineDeny], [np('hi', 'allow-mod', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'mod' } } }] }] })]);
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: true, decidedBy: { tier: 'application', policy: 'hi/allow-mod' } });
    // hi/b has no NetworkPolicy: the baseline decides
    expect(e.decide(moderate, high2, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'baseline', policy: 'tenant-default-deny' } });
  });

  it('a baseline Allow cannot undo NetworkPolicy isolation', () => {
    const e = engine(
      [admin('baseline-allow', { tier: 'baseline', priority: 1, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Ingress' }] })],
      [np('hi', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })],
    );
    expect(e.decide(moderate, high, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'application', rule: 'isolation' } });
  });

  it('within a tier, lower priority is evaluated first, then rule order; ties by name', () => {
    const drop = (name: string, priority: number): AdminPolicy => admin(name, { tier: 'platform', priority, appliedTo: {}, rules: [{ action: 'Drop', direction: 'Ingress' }] });
    const allow = (name: string, priority: number): AdminPolicy => admin(name, { tier: 'platform', priority, appliedTo: {}, rules: [{ action: 'Allow', direction: 'Ingress' }] });
    expect(engine([drop('d', 2), allow('a', 1.5)]).decide(moderate, high, 80, 'TCP').decidedBy.policy).toBe('a');
    expect(engine([drop('d', 1), allow('a', 1.5)]).decide(moderate, high, 80, 'TCP').decidedBy.policy).toBe('d');
    expect(engine([drop('b-drop', 1), allow('a-allow', 1)]).decide(moderate, high, 80, 'TCP').decidedBy.policy).toBe('a-allow');
    const ordered = engine([
      admin('two-rules', {
        tier: 'platform',
        priority: 1,
        appliedTo: {},
        rules: [
          { name: 'allow-80', action: 'Allow', direction: 'Ingress', ports: [{ port: 80 }] },
          { name: 'drop-rest', action: 'Drop', direction: 'Ingress' },
        ],
      }),
    ]);
    expect(ordered.decide(moderate, high, 80, 'TCP').decidedBy.rule).toBe('allow-80');
    expect(ordered.decide(moderate, high, 81, 'TCP').decidedBy.rule).toBe('drop-rest');
  });

  it('egress rules apply at the source, ingress rules at the destination', () => {
    const e = engine([admin('hi-no-egress', { tier: 'platform', priority: 1, appliedTo: { tenants: ['bank'] }, rules: [{ action: 'Drop', direction: 'Egress' }] })]);
    expect(e.decide(high, moderate, 80, 'TCP')).toMatchObject({ allowed: false, decidedBy: { tier: 'platform' } });
    expect(e.decide(high, moderate, 80, 'TCP').egress?.policy).toBe('hi-no-egress');
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(true);
  });

  it('ipBlock groups match external addresses and pods by IP', () => {
    const e = engine([
      admin('no-metadata', { tier: 'emergency', priority: 1, appliedTo: {}, rules: [{ action: 'Drop', direction: 'Egress', peers: [{ ipBlocks: [{ cidr: '169.254.169.254/32' }, { cidr: '10.3.0.0/16' }] }] }] }),
    ]);
    expect(e.decide(moderate, { kind: 'external', ip: '169.254.169.254' }, 80, 'TCP').allowed).toBe(false);
    expect(e.decide(moderate, { kind: 'external', ip: '169.254.169.253' }, 80, 'TCP').allowed).toBe(true);
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(false);
    expect(e.decide(moderate, low, 80, 'TCP').allowed).toBe(true);
  });

  it('groups select by cluster, namespace labels and pod labels', () => {
    const other = pod('mod', 'a', { cluster: 'c2', tenant: 'shop', ip: '10.9.0.1', labels: { pod: 'a', role: 'db' } });
    const e = compile({
      pods: [...PODS, other],
      namespaces: [{ cluster: 'c1', name: 'hi', labels: { zone: 'pci' } }],
      adminPolicies: [
        admin('pci', {
          tier: 'platform',
          priority: 1,
          appliedTo: { namespaceSelector: { matchLabels: { zone: 'pci' } } },
          rules: [{ action: 'Drop', direction: 'Ingress', peers: [{ clusters: ['c2'], podSelector: { matchLabels: { role: 'db' } } }] }],
        }),
      ],
    });
    expect(e.decide(other, high, 80, 'TCP').allowed).toBe(false);
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(true);
    e.upsertNamespace({ cluster: 'c1', name: 'hi', labels: { zone: 'general' } });
    expect(e.decide(other, high, 80, 'TCP').allowed).toBe(true);
  });

  it('named groups: referenced, updated in place, and protected from removal while used', () => {
    const e = compile({
      pods: PODS,
      groups: [{ name: 'untrusted', spec: { sensitivities: ['low'] } }],
      adminPolicies: [admin('guard', { tier: 'platform', priority: 1, appliedTo: { tenants: ['bank'] }, rules: [{ action: 'Drop', direction: 'Ingress', peers: [{ group: 'untrusted' }] }] })],
    });
    expect(e.decide(low, high, 80, 'TCP').allowed).toBe(false);
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(true);
    e.upsertGroup({ name: 'untrusted', spec: { sensitivities: ['low', 'moderate'] } });
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(false);
    expect(() => e.removeGroup('untrusted')).toThrow(/group is referenced by admin policies guard/);
    e.removeAdminPolicy('guard');
    e.removeGroup('untrusted');
    expect(e.decide(moderate, high, 80, 'TCP').allowed).toBe(true);
  });
});
