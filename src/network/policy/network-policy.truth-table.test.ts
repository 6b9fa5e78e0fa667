/**
 * Truth tables from upstream's netpol e2e suite (kubernetes test/e2e/network/netpol, the cases
 * listed in network-security.md §1.4) plus the semantics of §1.2 they do not cover: the engine's
 * matrix over x/a … z/c must equal the expectation, printed the way upstream prints it.
 */
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../types.js';
import { compile, type PolicyEngine } from './engine.js';
import { Expected, inNs, np, pod, upstreamNamespaces, upstreamPods } from './fixtures.test-util.js';
import { formatMatrix, matrix } from './matrix.js';
import type { NetworkPolicy, NetworkPolicySpec } from './network-policy-schema.js';

const PODS = upstreamPods();

function engine(policies: readonly NetworkPolicy[]): PolicyEngine {
  return compile({ pods: PODS, namespaces: upstreamNamespaces(), networkPolicies: policies });
}

function table(e: PolicyEngine, port = 80, protocol: Protocol = 'TCP'): string {
  return formatMatrix(matrix(e, PODS, port, protocol));
}

const all = (initial: boolean, port = 80, protocol: Protocol = 'TCP'): Expected => new Expected(PODS, initial, port, protocol);
const isName = (n: string) => (name: string) => name === n;
const podA = { matchLabels: { pod: 'a' } };
const denyIngress: NetworkPolicySpec = { podSelector: {}, policyTypes: ['Ingress'] };

describe('NetworkPolicy truth tables (upstream e2e)', () => {
  it('prints the table the way upstream does', () => {
    const e = engine([np('x', 'deny', { podSelector: podA, policyTypes: ['Ingress'] })]);
    const lines = table(e).split('\n');
    expect(lines[0]).toBe('-\t\tx/a\tx/b\tx/c\ty/a\ty/b\ty/c\tz/a\tz/b\tz/c');
    expect(lines[2]).toBe('x/b\tX\t\t.\t\t.\t\t.\t\t.\t\t.\t\t.\t\t.\t\t.\t');
  });

  it('with no policies everything is allowed', () => {
    expect(table(engine([]))).toBe(all(true).table());
  });

  it('default-deny-ingress: nothing reaches x', () => {
    const e = engine([np('x', 'deny-ingress', denyIngress)]);
    expect(table(e)).toBe(all(true).expectPeer(() => true, inNs('x'), false).table());
  });

  it('default-deny-all: nothing in or out of x', () => {
    const e = engine([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(table(e)).toBe(all(true).expectPeer(() => true, inNs('x'), false).expectPeer(inNs('x'), () => true, false).table());
  });

  it('allows traffic from pods within the server namespace based on PodSelector', () => {
    const e = engine([np('x', 'allow-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table());
  });

  it('allows ingress traffic for a target over a namespace deny-all', () => {
    const e = engine([
      np('x', 'deny-all', denyIngress),
      np('x', 'allow-all-to-a', { podSelector: podA, ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }),
    ]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/b', false).expectAllIngress('x/c', false).table());
  });

  it('allows ingress from pods in all namespaces (namespaceSelector {})', () => {
    const e = engine([np('x', 'allow-all-ns', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(table(e)).toBe(all(true).table());
  });

  it('allows traffic only from a different namespace (NamespaceSelector)', () => {
    const e = engine([np('x', 'from-y', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table());
  });

  it('PodSelector with MatchExpressions', () => {
    const e = engine([np('x', 'in-b', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table());
  });

  it('NamespaceSelector with MatchExpressions', () => {
    const e = engine([np('x', 'in-y', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'In', values: ['y'] }] } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table());
  });

  it('PodSelector OR NamespaceSelector: two peers', () => {
    const e = engine([
      np('x', 'or', {
        podSelector: podA,
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] } }, { podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ]);
    expect(table(e)).toBe(all(true).expect('x/c', 'x/a', false).table());
  });

  it('PodSelector AND NamespaceSelector: one peer', () => {
    const e = engine([
      np('x', 'and', {
        podSelector: podA,
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] }, podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('y/b', 'x/a', true).expect('z/b', 'x/a', true).table());
  });

  it('multiple PodSelectors and NamespaceSelectors', () => {
    const e = engine([
      np('x', 'multi', {
        podSelector: podA,
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
                podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
              },
            ],
          },
        ],
      }),
    ]);
    const want = all(true).expectAllIngress('x/a', false);
    for (const f of ['y/b', 'y/c', 'z/b', 'z/c']) want.expect(f, 'x/a', true);
    expect(table(e)).toBe(want.table());
  });

  it('any PodSelectors: peers pod=b OR pod=c in the policy namespace', () => {
    const e = engine([np('x', 'b-or-c', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }, { podSelector: { matchLabels: { pod: 'c' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expect('x/c', 'x/a', true).table());
  });

  it('pod in a different namespace by PodSelector AND NamespaceSelector', () => {
    const e = engine([np('x', 'y-a', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: podA }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('y/a', 'x/a', true).table());
  });

  it('Ports: only 81 from namespace y', () => {
    const e = engine([np('x', 'y-81', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 81, protocol: 'TCP' }] }] })]);
    expect(table(e, 80)).toBe(all(true, 80).expectAllIngress('x/a', false).table());
    expect(table(e, 81)).toBe(all(true, 81).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table());
  });

  it('multiple, stacked policies with overlapping podSelectors (union)', () => {
    const e = engine([np('x', 'y-81', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 81 }] }] })]);
    expect(table(e, 80)).toBe(all(true).expectAllIngress('x/a', false).table());
    e.upsertNetworkPolicy(np('x', 'y-80', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 80 }] }] }));
    const want = all(true).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table();
    expect(table(e, 80)).toBe(want);
    expect(table(e, 81)).toBe(want);
  });

  it('allow-all policy (ingress: [{}])', () => {
    const e = engine([np('x', 'allow-all', { podSelector: {}, ingress: [{}] })]);
    expect(table(e, 80)).toBe(all(true).table());
    expect(table(e, 81)).toBe(all(true, 81).table());
  });

  it('ingress access on one named port', () => {
    const e = engine([np('x', 'named-81', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })]);
    expect(table(e, 81)).toBe(all(true, 81).table());
    expect(table(e, 80)).toBe(all(true).expectPeer(() => true, inNs('x'), false).table());
  });

  it('ingress from namespace on one named port', () => {
    const e = engine([np('x', 'y-named-80', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 'serve-80-tcp' }] }] })]);
    expect(table(e, 80)).toBe(all(true).expectPeer(() => true, inNs('x'), false).expectPeer(inNs('y'), inNs('x'), true).table());
    expect(table(e, 81)).toBe(all(true, 81).expectPeer(() => true, inNs('x'), false).table());
  });

  it('egress access on one named port (resolved on the destination)', () => {
    const e = engine([np('x', 'egress-named-80', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })]);
    expect(table(e, 80)).toBe(all(true).table());
    expect(table(e, 81)).toBe(all(true, 81).expectPeer(inNs('x'), () => true, false).table());
  });

  it('enforces an updated policy (allow-all updated to deny-all)', () => {
    const e = engine([np('x', 'p', { podSelector: {}, ingress: [{}] })]);
    expect(table(e)).toBe(all(true).table());
    e.upsertNetworkPolicy(np('x', 'p', denyIngress));
    expect(table(e)).toBe(all(true).expectPeer(() => true, inNs('x'), false).table());
  });

  it('ingress access from an updated namespace', () => {
    const e = engine([np('x', 'ns2', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
    e.upsertNamespace({ cluster: 'c1', name: 'y', labels: { ns: 'y', ns2: 'updated' } });
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table());
  });

  it('ingress access from an updated pod', () => {
    const e = engine([np('x', 'pod2', { podSelector: podA, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
    e.upsertPod(pod('x', 'b', { labels: { pod: 'b', pod2: 'updated' } }));
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table());
  });

  it('denies ingress from pods in other namespaces (from: [{podSelector: {}}])', () => {
    const e = engine([np('x', 'same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]);
    expect(table(e)).toBe(all(true).expectPeer(inNs('y', 'z'), inNs('x'), false).table());
  });

  it('denies ingress access to an updated pod', () => {
    const e = engine([np('x', 'isolate', { podSelector: { matchLabels: { target: 'isolated' } }, policyTypes: ['Ingress'] })]);
    expect(table(e)).toBe(all(true).table());
    e.upsertPod(pod('x', 'a', { labels: { pod: 'a', target: 'isolated' } }));
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
  });

  it('denies egress from pods based on PodSelector', () => {
    const e = engine([np('x', 'deny-egress-a', { podSelector: podA, policyTypes: ['Egress'] })]);
    expect(table(e)).toBe(all(true).expectAllEgress('x/a', false).table());
  });

  it('denies egress from all pods in a namespace', () => {
    const e = engine([np('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [] })]);
    expect(table(e)).toBe(all(true).expectPeer(inNs('x'), () => true, false).table());
  });

  it('Ingress and Egress specified together (replies are not checked)', () => {
    const e = engine([
      np('x', 'both', {
        podSelector: podA,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
        egress: [{ ports: [{ port: 80 }] }],
      }),
    ]);
    expect(table(e, 80)).toBe(all(true).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).table());
    expect(table(e, 81)).toBe(all(true, 81).expectAllIngress('x/a', false).expect('x/b', 'x/a', true).expectAllEgress('x/a', false).table());
  });

  it('denies egress on the client side even if the server allows', () => {
    const e = engine([
      np('x', 'egress-to-y-a', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: podA }] }] }),
      np('y', 'allow-from-x-a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'x' } }, podSelector: podA }] }] }),
    ]);
    // x/a may only reach y/a (egress), and y accepts only x/a (ingress): x/a → y/b is denied on x/a's side
    const want = all(true).expectAllEgress('x/a', false).expectPeer(() => true, inNs('y'), false).expect('x/a', 'y/a', true);
    expect(table(e)).toBe(want.table());
  });

  it('ingress allowing any port on a specific protocol', () => {
    const e = engine([np('x', 'tcp-only', { podSelector: podA, ingress: [{ ports: [{ protocol: 'TCP' }] }] })]);
    expect(table(e, 80)).toBe(all(true).table());
    expect(table(e, 81)).toBe(all(true, 81).table());
    expect(table(e, 80, 'UDP')).toBe(all(true, 80, 'UDP').expectAllIngress('x/a', false).table());
  });

  it('multiple ingress policies: allow-all takes precedence', () => {
    const e = engine([np('x', 'only-80', { podSelector: podA, ingress: [{ ports: [{ port: 80 }] }] })]);
    expect(table(e, 81)).toBe(all(true, 81).expectAllIngress('x/a', false).table());
    e.upsertNetworkPolicy(np('x', 'allow-all', { podSelector: podA, ingress: [{}] }));
    expect(table(e, 81)).toBe(all(true, 81).table());
  });

  it('multiple egress policies: allow-all takes precedence', () => {
    const e = engine([np('x', 'only-80', { podSelector: podA, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] })]);
    expect(table(e, 81)).toBe(all(true, 81).expectAllEgress('x/a', false).table());
    e.upsertNetworkPolicy(np('x', 'allow-all', { podSelector: podA, policyTypes: ['Egress'], egress: [{}] }));
    expect(table(e, 81)).toBe(all(true, 81).table());
  });

  it('stops enforcing policies after they are deleted', () => {
    const e = engine([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(table(e)).not.toBe(all(true).table());
    e.removeNetworkPolicy({ cluster: 'c1', namespace: 'x', name: 'deny-all' });
    expect(table(e)).toBe(all(true).table());
  });

  it('egress to a server in a CIDR block (/32 of a pod IP)', () => {
    const e = engine([np('x', 'to-y-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.2.2/32' } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllEgress('x/a', false).expect('x/a', 'y/b', true).table());
  });

  it('except clause in an egress CIDR block', () => {
    const e = engine([np('x', 'except-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.2/32'] } }] }] })]);
    expect(table(e)).toBe(all(true).expect('x/a', 'x/b', false).table());
  });

  it('an IP in both a CIDR and an except is allowed by another policy', () => {
    const e = engine([np('x', 'except-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.2/32'] } }] }] })]);
    e.upsertNetworkPolicy(np('x', 'to-x-b', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.1.2/32' } }] }] }));
    expect(table(e)).toBe(all(true).table());
  });

  it('ingress and egress are controlled independently', () => {
    const e = engine([np('x', 'allow-egress', { podSelector: podA, policyTypes: ['Egress'], egress: [{}] })]);
    expect(table(e)).toBe(all(true).table());
    e.upsertNetworkPolicy(np('x', 'deny-ingress', { podSelector: podA, policyTypes: ['Ingress'] }));
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
  });

  it('does not treat SCTP as TCP', () => {
    const e = engine([np('x', 'deny', denyIngress), np('x', 'sctp-81', { podSelector: podA, ingress: [{ ports: [{ protocol: 'SCTP', port: 81 }] }] })]);
    expect(table(e, 81, 'TCP')).toBe(all(true, 81).expectPeer(() => true, inNs('x'), false).table());
    expect(table(e, 81, 'SCTP')).toBe(all(true, 81, 'SCTP').expectPeer(() => true, inNs('x'), false).expectAllIngress('x/a', true).table());
  });

  it('isolates pods selected by an SCTP-allowing policy for TCP', () => {
    const e = engine([np('x', 'sctp-80', { podSelector: podA, ingress: [{ ports: [{ protocol: 'SCTP', port: 80 }] }] })]);
    expect(table(e, 81, 'TCP')).toBe(all(true, 81).expectAllIngress('x/a', false).table());
  });

  it('no TCP when the policy specifies only UDP', () => {
    const e = engine([np('x', 'udp-81', { podSelector: podA, ingress: [{ ports: [{ protocol: 'UDP', port: 81 }] }] })]);
    expect(table(e, 81, 'TCP')).toBe(all(true, 81).expectAllIngress('x/a', false).table());
    expect(table(e, 81, 'UDP')).toBe(all(true, 81, 'UDP').table());
  });

  it('NamespaceSelector MatchLabels using the default namespace label', () => {
    const e = engine([np('x', 'from-y', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expectPeer(inNs('y'), isName('x/a'), true).table());
  });

  it('NamespaceSelector MatchExpressions using the default namespace label (egress)', () => {
    const e = engine([
      np('x', 'not-y', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['y'] }] } }] }] }),
    ]);
    expect(table(e)).toBe(all(true).expectPeer(isName('x/a'), inNs('y'), false).table());
  });
});

describe('NetworkPolicy semantics beyond the upstream list', () => {
  it('policyTypes defaulting: egress rules without policyTypes also isolate ingress', () => {
    const e = engine([np('x', 'egress-only', { podSelector: podA, egress: [{ to: [{ podSelector: {} }] }] })]);
    // Ingress defaulted on: x/a receives nothing; Egress defaulted on: x/a reaches only namespace x
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).expectPeer(isName('x/a'), inNs('y', 'z'), false).table());
  });

  it('policyTypes defaulting: egress: [] without policyTypes isolates ingress only', () => {
    const e = engine([np('x', 'empty-egress', { podSelector: podA, egress: [] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
  });

  it('policyTypes [Egress] with ingress rules leaves ingress open', () => {
    const e = engine([np('x', 'egress-type', { podSelector: podA, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    expect(table(e)).toBe(all(true).expectAllEgress('x/a', false).table());
  });

  it('empty vs absent: from: [] matches every source, ports: [] every port', () => {
    const e = engine([np('x', 'empty-lists', { podSelector: podA, ingress: [{ from: [], ports: [] }] })]);
    expect(table(e, 80)).toBe(all(true).table());
    expect(table(e, 81, 'UDP')).toBe(all(true, 81, 'UDP').table());
    const ext = e.decide({ kind: 'external', ip: '203.0.113.9' }, pod('x', 'a'), 443, 'TCP');
    expect(ext.allowed).toBe(true);
  });

  it('endPort: inclusive range on a numeric port', () => {
    const e = engine([np('x', 'range', { podSelector: podA, ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })]);
    expect(table(e, 80)).toBe(all(true).table());
    expect(table(e, 81)).toBe(all(true, 81).table());
    expect(table(e, 82)).toBe(all(true, 82).expectAllIngress('x/a', false).table());
    expect(table(e, 79)).toBe(all(true, 79).expectAllIngress('x/a', false).table());
  });

  it('a named port no container exposes, or exposes under another protocol, matches nothing', () => {
    const unserved = engine([np('x', 'unserved', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-7981-udp' }] }] })]);
    expect(table(unserved, 80)).toBe(all(true).expectAllIngress('x/a', false).table());
    const mismatch = engine([np('x', 'mismatch', { podSelector: podA, ingress: [{ ports: [{ protocol: 'TCP', port: 'serve-81-udp' }] }] })]);
    expect(table(mismatch, 81, 'TCP')).toBe(all(true, 81).expectAllIngress('x/a', false).table());
    expect(table(mismatch, 81, 'UDP')).toBe(all(true, 81, 'UDP').expectAllIngress('x/a', false).table());
  });

  it('ipBlock ingress from off-cluster addresses, with except', () => {
    const e = engine([np('x', 'from-net', { podSelector: podA, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } }] }] })]);
    expect(e.decide({ kind: 'external', ip: '192.168.2.5' }, pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    expect(e.decide({ kind: 'external', ip: '192.168.1.5' }, pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    expect(e.decide({ kind: 'external', ip: '10.9.9.9' }, pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    // pods are outside the block, so they are denied too
    expect(table(e)).toBe(all(true).expectAllIngress('x/a', false).table());
  });

  it('ipBlock egress to an external address; selector peers never match external addresses', () => {
    const e = engine([np('x', 'egress', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { namespaceSelector: {} }] }] })]);
    expect(e.decide(pod('x', 'a'), { kind: 'external', ip: '8.8.8.8' }, 53, 'UDP').allowed).toBe(true);
    expect(e.decide(pod('x', 'a'), { kind: 'external', ip: '10.200.0.1' }, 53, 'UDP').allowed).toBe(false);
    expect(e.decide(pod('x', 'a'), pod('z', 'c'), 80, 'TCP').allowed).toBe(true);
  });

  it('IPv6 ipBlocks', () => {
    const v6 = (ns: string, n: string, ip: string) => pod(ns, n, { ip });
    const e = compile({
      pods: [v6('x', 'a', 'fd00::1'), v6('x', 'b', 'fd00::2'), v6('y', 'a', 'fd01::1')],
      networkPolicies: [np('x', 'v6', { podSelector: podA, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/64', except: ['fd00::2/128'] } }] }] })],
    });
    expect(e.decide(v6('y', 'a', 'fd01::1'), v6('x', 'a', 'fd00::1'), 80, 'TCP').allowed).toBe(false);
    expect(e.decide(v6('x', 'b', 'fd00::2'), v6('x', 'a', 'fd00::1'), 80, 'TCP').allowed).toBe(false);
    expect(e.decide({ kind: 'external', ip: 'fd00::99' }, v6('x', 'a', 'fd00::1'), 80, 'TCP').allowed).toBe(true);
  });

  it('selector peers only match pods of the policy cluster; other clusters are reached by IP', () => {
    const remote = pod('y', 'a', { cluster: 'c2', ip: '10.8.0.1' });
    const e = compile({
      pods: [...PODS, remote],
      networkPolicies: [np('x', 'from-y', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] })],
    });
    expect(e.decide(pod('y', 'a'), pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
    expect(e.decide(remote, pod('x', 'a'), 80, 'TCP').allowed).toBe(false);
    e.upsertNetworkPolicy(np('x', 'from-c2', { podSelector: podA, ingress: [{ from: [{ ipBlock: { cidr: '10.8.0.0/16' } }] }] }));
    expect(e.decide(remote, pod('x', 'a'), 80, 'TCP').allowed).toBe(true);
  });

  it('a policy in one namespace does not select pods of another', () => {
    const e = engine([np('y', 'deny', { podSelector: podA, policyTypes: ['Ingress'] })]);
    expect(table(e)).toBe(all(true).expectAllIngress('y/a', false).table());
  });

  it('loopback is always allowed, whatever isolates the pod', () => {
    const e = engine([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const d = e.decide(pod('x', 'a'), pod('x', 'a'), 80, 'TCP');
    expect(d).toMatchObject({ allowed: true, decidedBy: { rule: 'loopback' } });
  });
});
