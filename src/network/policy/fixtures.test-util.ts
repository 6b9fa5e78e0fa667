/**
 * Test fixtures: upstream's netpol topology (namespaces x, y, z; pods a, b, c labelled pod=<name>;
 * container ports serve-<port>-<proto> for 80/81 over TCP, UDP and SCTP) and an expectation table
 * built like upstream's Reachability (start all-true, then Expect*), printed with formatMatrix.
 */
import type { NamedPort, PodEndpoint, Protocol } from '../types.js';
import type { NamespaceInfo } from './changes.js';
import type { ConnectivityMatrix } from './matrix.js';
import { formatMatrix } from './matrix.js';
import type { NetworkPolicy, NetworkPolicySpec } from './network-policy-schema.js';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const POD_NAMES = ['a', 'b', 'c'] as const;
export const CLUSTER = 'c1';

export const SERVE_PORTS: readonly NamedPort[] = (['TCP', 'UDP', 'SCTP'] as const).flatMap((protocol) =>
  [80, 81].map((port) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, port, protocol })),
);

export function pod(ns: string, name: string, extra: Partial<PodEndpoint> = {}): PodEndpoint {
  const nsIndex = Math.max(0, NAMESPACES.indexOf(ns as (typeof NAMESPACES)[number]));
  const podIndex = Math.max(0, POD_NAMES.indexOf(name as (typeof POD_NAMES)[number]));
  return {
    kind: 'pod',
    cluster: CLUSTER,
    namespace: ns,
    name,
    labels: { pod: name },
    namespaceLabels: { ns },
    ip: `10.0.${nsIndex + 1}.${podIndex + 1}`,
    tenant: 'acme',
    sensitivity: 'moderate',
    ports: SERVE_PORTS,
    ...extra,
  };
}

/** The nine upstream pods x/a … z/c. */
export function upstreamPods(): PodEndpoint[] {
  return NAMESPACES.flatMap((ns) => POD_NAMES.map((n) => pod(ns, n)));
}

export function upstreamNamespaces(): NamespaceInfo[] {
  return NAMESPACES.map((name) => ({ cluster: CLUSTER, name, labels: { ns: name } }));
}

export function np(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { cluster: CLUSTER, namespace, name, spec };
}

/** An expected truth table over `pods`, all `initial`; loopback always allowed (upstream ignores it). */
export class Expected {
  private readonly names: string[];
  private readonly cells: boolean[][];

  constructor(
    pods: readonly PodEndpoint[],
    initial: boolean,
    readonly port = 80,
    readonly protocol: Protocol = 'TCP',
  ) {
    this.names = pods.map((p) => `${p.namespace}/${p.name}`);
    this.cells = this.names.map(() => this.names.map(() => initial));
  }

  private index(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`unknown pod ${name}`);
    return i;
  }

  expect(from: string, to: string, allowed: boolean): this {
    (this.cells[this.index(from)] as boolean[])[this.index(to)] = allowed;
    return this;
  }

  /** Every pod matching `from` to every pod matching `to` (names or predicates on `ns/pod`). */
  expectPeer(from: (name: string) => boolean, to: (name: string) => boolean, allowed: boolean): this {
    for (const f of this.names) for (const t of this.names) if (from(f) && to(t)) this.expect(f, t, allowed);
    return this;
  }

  expectAllIngress(to: string, allowed: boolean): this {
    return this.expectPeer(() => true, (t) => t === to, allowed);
  }

  expectAllEgress(from: string, allowed: boolean): this {
    return this.expectPeer((f) => f === from, () => true, allowed);
  }

  table(): string {
    const m: ConnectivityMatrix = {
      port: this.port,
      protocol: this.protocol,
      names: this.names,
      allowed: (i, j) => i === j || (this.cells[i]?.[j] ?? false),
    };
    return formatMatrix(m);
  }
}

export const inNs =
  (...namespaces: string[]) =>
  (name: string): boolean =>
    namespaces.includes(name.split('/')[0] as string);
