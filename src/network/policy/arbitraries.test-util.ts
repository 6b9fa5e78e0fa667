/**
 * fast-check generators of small random worlds: pods in namespaces x/y/z with a few labels, ports,
 * tenants and sensitivities; declared or undeclared namespaces; NetworkPolicies exercising every
 * peer and port form; admin policies in every tier with inline and named groups; and the flows to
 * probe (every pod pair plus two external addresses, on 80/81 over TCP and UDP).
 */
import fc from 'fast-check';
import type { Endpoint, PodEndpoint, Protocol } from '../types.js';
import type { AdminPolicy, AdminRule, GroupSelector, GroupSpec } from './admin-policy-schema.js';
import type { NamespaceInfo } from './changes.js';
import type { PolicyInput } from './engine.js';
import { SERVE_PORTS } from './fixtures.test-util.js';
import type { LabelSelector } from './label-selector.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from './network-policy-schema.js';

export const NS = ['x', 'y', 'z'] as const;
const CLUSTERS = ['c1', 'c1', 'c1', 'c2'] as const;

const POD_SELECTORS: readonly LabelSelector[] = [
  {},
  { matchLabels: { pod: 'a' } },
  { matchLabels: { app: 'web' } },
  { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] },
  { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
  { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] },
  { matchLabels: { pod: 'b' }, matchExpressions: [{ key: 'app', operator: 'Exists' }] },
];
const NS_SELECTORS: readonly LabelSelector[] = [
  {},
  { matchLabels: { env: 'prod' } },
  { matchLabels: { 'kubernetes.io/metadata.name': 'y' } },
  { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
];
const IP_BLOCKS = [{ cidr: '10.0.1.0/24' }, { cidr: '10.0.0.0/16', except: ['10.0.2.0/24'] }, { cidr: '0.0.0.0/0' }, { cidr: '10.0.3.4/32' }] as const;

export const podSelector = fc.constantFrom(...POD_SELECTORS);
const nsSelector = fc.constantFrom(...NS_SELECTORS);

const labels = fc
  .record({ pod: fc.constantFrom('a', 'b', 'c'), app: fc.option(fc.constantFrom('web', 'db'), { nil: undefined }) })
  .map((l): Record<string, string> => (l.app === undefined ? { pod: l.pod } : { pod: l.pod, app: l.app }));

const env = fc.constantFrom('prod', 'dev');

/** A pod with a unique name `p<i>`. */
export function arbPod(i: number): fc.Arbitrary<PodEndpoint> {
  return fc
    .record({
      ns: fc.integer({ min: 0, max: 2 }),
      cluster: fc.constantFrom(...CLUSTERS),
      labels,
      env,
      tenant: fc.constantFrom('t1', 't2', 't3'),
      sensitivity: fc.constantFrom('low', 'moderate', 'high'),
      ports: fc.subarray([...SERVE_PORTS]),
    })
    .map((r) => ({
      kind: 'pod' as const,
      cluster: r.cluster,
      namespace: NS[r.ns] as string,
      name: `p${i}`,
      labels: r.labels,
      namespaceLabels: { env: r.env },
      ip: `10.0.${r.ns + 1}.${i + 1}`,
      tenant: r.tenant,
      sensitivity: r.sensitivity,
      ports: r.ports,
    }));
}

export function arbPods(min: number, max: number): fc.Arbitrary<PodEndpoint[]> {
  return fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbPod(i))));
}

const arbNamespaces: fc.Arbitrary<NamespaceInfo[]> = fc
  .tuple(...NS.map((name) => fc.option(env.map((e): NamespaceInfo => ({ cluster: 'c1', name, labels: { env: e } })), { nil: undefined })))
  .map((l) => l.filter((n): n is NamespaceInfo => n !== undefined));

const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  podSelector.map((s) => ({ podSelector: s })),
  nsSelector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(podSelector, nsSelector).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })),
  fc.constantFrom(...IP_BLOCKS).map((b) => ({ ipBlock: b })),
);

export const port: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', undefined) }, { requiredKeys: [] }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(80, 81) }, { requiredKeys: ['port'] }),
  // named ports: mostly with their own protocol, sometimes mismatched or unserved (which match nothing)
  fc.constantFrom<NetworkPolicyPort>(
    { port: 'serve-80-tcp' },
    { port: 'serve-81-tcp', protocol: 'TCP' },
    { port: 'serve-80-udp', protocol: 'UDP' },
    { port: 'serve-81-udp', protocol: 'UDP' },
    { port: 'serve-81-udp', protocol: 'TCP' },
    { port: 'serve-9-tcp' },
  ),
  fc.record({ port: fc.constantFrom(53, 80), endPort: fc.constantFrom(80, 81) }),
);

const list = <T>(item: fc.Arbitrary<T>): fc.Arbitrary<T[] | undefined> => fc.option(fc.array(item, { maxLength: 2 }), { nil: undefined });

const ingressRule = fc.record({ from: list(peer), ports: list(port) }, { requiredKeys: [] });
const egressRule = fc.record({ to: list(peer), ports: list(port) }, { requiredKeys: [] });

export const npSpec: fc.Arbitrary<NetworkPolicySpec> = fc.record(
  {
    podSelector,
    policyTypes: fc.constantFrom<NetworkPolicySpec['policyTypes']>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(ingressRule, { maxLength: 2 }),
    egress: fc.array(egressRule, { maxLength: 2 }),
  },
  { requiredKeys: ['podSelector'] },
);

export function arbNetworkPolicy(name: string): fc.Arbitrary<NetworkPolicy> {
  return fc.record({ cluster: fc.constantFrom('c1', 'c1', 'c2'), namespace: fc.constantFrom(...NS), name: fc.constant(name), spec: npSpec });
}

const groupSpec: fc.Arbitrary<GroupSpec> = fc.oneof(
  fc.constant({}),
  fc.constantFrom({ tenants: ['t1'] }, { tenants: ['t2', 't3'] }, { sensitivities: ['low'] }, { sensitivities: ['high'] }, { namespaces: ['x'] }, { clusters: ['c2'] }),
  nsSelector.map((s) => ({ namespaceSelector: s })),
  podSelector.map((s) => ({ podSelector: s, sensitivities: ['moderate', 'high'] })),
);
const peerGroup: fc.Arbitrary<GroupSelector> = fc.oneof(
  groupSpec,
  fc.constantFrom<GroupSelector>({ group: 'g1' }, { ipBlocks: [{ cidr: '10.0.2.0/24' }] }, { ipBlocks: [{ cidr: '8.0.0.0/8' }, { cidr: '10.0.1.0/25' }] }),
);

export function arbAdminPolicy(name: string, minPriority = 2): fc.Arbitrary<AdminPolicy> {
  return fc.constantFrom('emergency', 'platform', 'baseline').chain((tier) => {
    const rule: fc.Arbitrary<AdminRule> = fc.record(
      {
        action: tier === 'baseline' ? fc.constantFrom('Allow', 'Drop', 'Reject') : fc.constantFrom('Allow', 'Drop', 'Reject', 'Pass'),
        direction: fc.constantFrom('Ingress', 'Egress'),
        peers: list(peerGroup),
        ports: list(port),
      },
      { requiredKeys: ['action', 'direction'] },
    );
    return fc.record({
      name: fc.constant(name),
      spec: fc.record({
        tier: fc.constant(tier),
        priority: fc.integer({ min: minPriority, max: minPriority + 2 }),
        appliedTo: fc.oneof(groupSpec, fc.constant({ group: 'g1' })),
        rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
      }),
    });
  });
}

/** A random world: 3-12 pods, 0-4 NetworkPolicies, 0-3 admin policies, a named group g1. */
export function arbWorld(minPods = 3, maxPods = 12): fc.Arbitrary<Required<PolicyInput>> {
  return fc.record({
    pods: arbPods(minPods, maxPods),
    namespaces: arbNamespaces,
    networkPolicies: fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbNetworkPolicy(`np${i}`)))),
    adminPolicies: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbAdminPolicy(`adm${i}`)))),
    groups: groupSpec.map((spec) => [{ name: 'g1', spec }]),
  });
}

export interface Probe {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

const EXTERNALS: readonly Endpoint[] = [
  { kind: 'external', ip: '10.0.1.200' },
  { kind: 'external', ip: '8.8.8.8' },
];

/** Every ordered pair of the pods and two external addresses, on 80 and 81 over TCP and UDP. */
export function probes(pods: readonly PodEndpoint[]): Probe[] {
  const ends: Endpoint[] = [...pods, ...EXTERNALS];
  const out: Probe[] = [];
  for (const from of ends) for (const to of ends) for (const p of [80, 81]) for (const protocol of ['TCP', 'UDP'] as const) out.push({ from, to, port: p, protocol });
  return out;
}

export const RUNS = Number(process.env['BULKHEAD_PROPERTY_RUNS'] ?? 60);
