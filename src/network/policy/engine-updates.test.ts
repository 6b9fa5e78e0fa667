/**
 * The engine as callers use it: explanations in verdicts, incremental updates (pods, labels,
 * namespaces, policies), slot reuse, interned sets released when policies go, atomic batches,
 * input checks, and the matrix over many pods.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import type { PodEndpoint } from '../types.js';
import { compile } from './engine.js';
import { CLUSTER, np, pod, upstreamNamespaces, upstreamPods } from './fixtures.test-util.js';
import { formatMatrix, matrix, matrixSummary } from './matrix.js';

const podA = { matchLabels: { pod: 'a' } };

describe('explanations', () => {
  it('names the NetworkPolicy and rule that allowed a flow, and both sides', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'allow-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'c' } } }] }, { from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })] });
    const d = e.decide(pod('x', 'b'), pod('x', 'a'), 80, 'TCP');
    expect(d).toEqual({
      allowed: true,
      action: 'Allow',
      decidedBy: { tier: 'application', policy: 'x/allow-b', rule: 'ingress[1]', action: 'Allow' },
      egress: { tier: 'default', action: 'DefaultAllow' },
      ingress: { tier: 'application', policy: 'x/allow-b', rule: 'ingress[1]', action: 'Allow' },
      reason: 'allowed: ingress to x/a allowed by NetworkPolicy x/allow-b rule ingress[1]; egress from x/b not isolated (default allow)',
    });
  });

  it('names the isolating policy when nothing allows', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }), np('x', 'also', { podSelector: podA, ingress: [{ ports: [{ port: 81 }] }] })] });
    const d = e.decide(pod('y', 'b'), pod('x', 'a'), 80, 'TCP');
    expect(d.decidedBy).toEqual({ tier: 'application', policy: 'x/also', rule: 'isolation', action: 'Isolate' });
    expect(d.reason).toBe('denied: ingress to x/a isolated by NetworkPolicy x/also and 1 more, and no rule allows y/b on TCP/80; egress from y/b not isolated (default allow)');
  });

  it('stops at the egress side when the source may not send', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'no-egress', { podSelector: podA, policyTypes: ['Egress'] })] });
    const d = e.decide(pod('x', 'a'), { kind: 'external', ip: '1.1.1.1' }, 443, 'TCP');
    expect(d).toMatchObject({ allowed: false, action: 'Drop', decidedBy: { policy: 'x/no-egress', rule: 'isolation' }, egress: { rule: 'isolation' } });
    expect(d.ingress).toBeUndefined();
    expect(d.reason).toBe('denied: egress from x/a isolated by NetworkPolicy x/no-egress, and no rule allows 1.1.1.1 on TCP/443');
  });

  it('external to external is not governed', () => {
    const d = compile({}).decide({ kind: 'external', ip: '1.1.1.1' }, { kind: 'external', ip: '2.2.2.2' }, 80, 'UDP');
    expect(d).toMatchObject({ allowed: true, decidedBy: { tier: 'default' } });
  });

  it('rejects a bad port or protocol with a ValidationError', () => {
    const e = compile({ pods: upstreamPods() });
    expect(() => e.decide(pod('x', 'a'), pod('x', 'b'), 0, 'TCP')).toThrow(ValidationError);
    expect(() => e.decide(pod('x', 'a'), pod('x', 'b'), 80, 'ICMP' as never)).toThrow('protocol: unsupported value "ICMP"');
    expect(() => e.decide(pod('x', 'a'), { kind: 'external', ip: '10.0.0.300' }, 80, 'TCP')).toThrow('to.ip: "10.0.0.300" is not an IPv4 or IPv6 address');
  });

  it('rejects a namespace with invalid labels', () => {
    expect(() => compile({ namespaces: [{ cluster: CLUSTER, name: 'x', labels: { 'bad key': 'v' } }] })).toThrow(/Namespace "x" is invalid: metadata.labels: invalid label key "bad key"/);
  });
});

describe('incremental updates', () => {
  it('decides for pods the engine does not hold from their own fields', () => {
    const e = compile({ networkPolicies: [np('x', 'from-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })] });
    expect(e.decide(pod('x', 'b'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    expect(e.decide(pod('x', 'c'), pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    expect(e.decide(pod('x', 'c'), pod('x', 'b'), 80, 'TCP').allowed).toBe(true);
  });

  it('uses the held pod over a stale copy passed in', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'from-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })] });
    const stale = pod('x', 'c', { labels: { pod: 'b' } });
    expect(e.decide(stale, pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
  });

  it('a reused slot carries nothing of the removed pod', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'from-x-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })] });
    expect(e.decide(pod('x', 'b'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    const slot = e.slotOf(pod('x', 'b'));
    e.removePod(pod('x', 'b'));
    const newcomer = pod('y', 'new', { labels: { pod: 'b' }, ip: '10.0.2.50' });
    e.upsertPod(newcomer);
    expect(e.slotOf(newcomer)).toBe(slot);
    expect(e.decide(newcomer, pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    expect(e.decide(pod('x', 'b'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true); // no longer held: judged by its own labels
  });

  it('a namespace declaration overrides the pods’ copies of its labels, and removing it restores them', () => {
    const e = compile({ pods: upstreamPods(), networkPolicies: [np('x', 'from-prod', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }] }] })] });
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    e.upsertNamespace({ cluster: CLUSTER, name: 'y', labels: { env: 'prod' } });
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    expect(e.pod(pod('y', 'a'))?.namespaceLabels).toEqual({ env: 'prod', 'kubernetes.io/metadata.name': 'y' });
    e.removeNamespace({ cluster: CLUSTER, name: 'y' });
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    expect(e.pod(pod('y', 'a'))?.namespaceLabels).toEqual({ ns: 'y', 'kubernetes.io/metadata.name': 'y' });
  });

  it('interns equal selectors and releases sets when policies are replaced or removed', () => {
    const e = compile({ pods: upstreamPods() });
    const empty = e.stats().sets;
    const spec = { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] };
    e.upsertNetworkPolicy(np('x', 'one', spec));
    const one = e.stats().sets;
    expect(one).toBe(empty + 2);
    e.upsertNetworkPolicy(np('x', 'two', spec));
    expect(e.stats().sets).toBe(one);
    e.upsertNetworkPolicy(np('x', 'two', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(e.stats().sets).toBe(one + 1);
    e.upsertNetworkPolicy(np('x', 'one', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(e.stats().sets).toBe(empty + 1);
    e.removeNetworkPolicy(np('x', 'one', spec));
    e.removeNetworkPolicy(np('x', 'two', spec));
    expect(e.stats()).toMatchObject({ sets: empty, networkPolicies: 0 });
  });

  it('grows past its initial capacity', () => {
    const pods: PodEndpoint[] = Array.from({ length: 2500 }, (_, i) => pod('x', `p${i}`, { ip: `10.1.${i >> 8}.${i & 255}`, labels: { pod: i % 2 ? 'odd' : 'even' } }));
    const e = compile({ pods: pods.slice(0, 10), networkPolicies: [np('x', 'even-only', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'even' } } }] }] })] });
    e.update(pods.slice(10).map((p) => ({ op: 'upsertPod', pod: p })));
    expect(e.stats().pods).toBe(2500);
    expect(e.decide(pods[2498]!, pods[5]!, 80, 'TCP').allowed).toBe(true);
    expect(e.decide(pods[2499]!, pods[5]!, 80, 'TCP').allowed).toBe(false);
    const r = e.reachability(80, 'TCP');
    const bit = (a: PodEndpoint, b: PodEndpoint): boolean => {
      const [s, t] = [e.slotOf(a), e.slotOf(b)];
      return ((r.rows[s * r.words + (t >>> 5)]! >>> (t & 31)) & 1) === 1;
    };
    expect([bit(pods[2498]!, pods[2497]!), bit(pods[2497]!, pods[2498]!)]).toEqual([true, false]);
  });

  it('a failing batch changes nothing, a valid one applies every change', () => {
    const e = compile({ pods: upstreamPods() });
    const deny = np('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(() => e.update([{ op: 'upsertNetworkPolicy', policy: deny }, { op: 'upsertPod', pod: pod('x', 'd', { ip: 'not-an-ip' }) }])).toThrow('Pod "x/d" is invalid: ip: "not-an-ip" is not an IPv4 or IPv6 address');
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    e.update([{ op: 'upsertNetworkPolicy', policy: deny }, { op: 'upsertPod', pod: pod('x', 'd') }]);
    expect(e.decide(pod('y', 'a'), pod('x', 'd'), 80, 'TCP').allowed).toBe(false);
  });

  it('a batch may declare a group and use it, checked in order', () => {
    const e = compile({ pods: upstreamPods() });
    const guard = { name: 'guard', spec: { tier: 'platform' as const, priority: 1, appliedTo: { group: 'xs' }, rules: [{ action: 'Drop' as const, direction: 'Ingress' as const }] } };
    expect(() => e.update([{ op: 'upsertAdminPolicy', policy: guard }, { op: 'upsertGroup', group: { name: 'xs', spec: { namespaces: ['x'] } } }])).toThrow('group "xs" does not exist');
    e.update([{ op: 'upsertGroup', group: { name: 'xs', spec: { namespaces: ['x'] } } }, { op: 'upsertAdminPolicy', policy: guard }]);
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
  });
});

describe('matrix', () => {
  it('bulk (many pods) and per-pair (few pods) give the same table', () => {
    const many = ['x', 'y', 'z'].flatMap((ns, n) => Array.from({ length: 30 }, (_, i) => pod(ns, `p${i}`, { ip: `10.0.${n + 1}.${i + 1}`, labels: { pod: ['a', 'b', 'c'][i % 3] as string } })));
    const e = compile({
      pods: many,
      namespaces: upstreamNamespaces(),
      networkPolicies: [
        np('x', 'from-y-b', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }] }] }),
        np('z', 'egress-81', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-81-tcp' }] }] }),
      ],
    });
    const bulk = matrix(e, many, 81, 'TCP');
    const subset = many.filter((_, i) => i % 10 === 0);
    const small = matrix(e, subset, 81, 'TCP');
    subset.forEach((from, i) =>
      subset.forEach((to, j) => {
        expect(small.allowed(i, j)).toBe(bulk.allowed(many.indexOf(from), many.indexOf(to)));
      }),
    );
    expect(matrixSummary(small).allowed + matrixSummary(small).denied).toBe(subset.length ** 2);
    expect(formatMatrix(small).split('\n')).toHaveLength(subset.length + 1);
  });

  it('bulk egress with a named port resolves it on each destination, within the rule peers', () => {
    const many = Array.from({ length: 70 }, (_, i) =>
      pod('x', `p${i}`, { ip: `10.0.1.${i + 1}`, labels: { pod: i % 2 ? 'b' : 'c' }, ports: i % 3 ? [{ name: 'web', port: 8080, protocol: 'TCP' }] : [] }),
    );
    const src = many[0]!;
    const e = compile({ pods: many, networkPolicies: [np('x', 'to-b-web', { podSelector: { matchLabels: { pod: 'c' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 'web' }] }] })] });
    const m = matrix(e, many, 8080, 'TCP');
    many.forEach((to, j) => {
      if (j === 0) return;
      expect(m.allowed(0, j), to.name).toBe(j % 2 === 1 && j % 3 !== 0);
      expect(m.allowed(0, j)).toBe(e.decide(src, to, 8080, 'TCP').allowed);
    });
  });

  it('qualifies names with the cluster when pods span clusters', () => {
    const m = matrix(compile({}), [pod('x', 'a'), pod('x', 'a', { cluster: 'c2' })], 80, 'TCP');
    expect(m.names).toEqual(['c1/x/a', 'c2/x/a']);
  });
});
