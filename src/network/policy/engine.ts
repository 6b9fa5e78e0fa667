/**
 * The policy engine: compiled state plus the operations callers use — `decide` for one flow with
 * its explanation, batched atomic updates (and one-change shorthands), and the bulk reachability
 * the connectivity matrix reads. `compile` builds an engine from a full snapshot of the inputs.
 */
import { ValidationError } from '../../api/index.js';
import type { Decision, Endpoint, PodEndpoint, Protocol } from '../types.js';
import type { AdminGroup, AdminPolicy } from './admin-policy-schema.js';
import { applyPrepared, prepareChanges, type NamespaceInfo, type NamespaceRef, type PodRef, type PolicyChange } from './changes.js';
import { assertPortProtocol, decideFlow } from './evaluate.js';
import type { NetworkPolicy, NetworkPolicyRef } from './network-policy-schema.js';
import { podKey } from './pod-record.js';
import { PolicyState } from './policy-state.js';
import { computeReachability, type Reachability } from './reachability.js';

/** Everything the engine decides over. */
export interface PolicyInput {
  readonly pods?: readonly PodEndpoint[];
  readonly namespaces?: readonly NamespaceInfo[];
  readonly networkPolicies?: readonly NetworkPolicy[];
  readonly adminPolicies?: readonly AdminPolicy[];
  readonly groups?: readonly AdminGroup[];
}

/** Sizes of the compiled state, for status pages and benchmarks. */
export interface EngineStats {
  readonly pods: number;
  readonly networkPolicies: number;
  readonly adminPolicies: number;
  /** Distinct membership sets after interning equal selectors. */
  readonly sets: number;
  readonly version: number;
}

export class PolicyEngine {
  private readonly state = new PolicyState();
  private lastReachability: Reachability | undefined;

  /** The verdict on a new connection from `from` to `to`, with the rule or isolation that decided it. */
  decide(from: Endpoint, to: Endpoint, port: number, protocol: Protocol): Decision {
    return decideFlow(this.state, from, to, port, protocol);
  }

  /**
   * Applies a batch atomically: every change is validated first (a ValidationError leaves the
   * engine untouched), then all are applied within this synchronous call.
   */
  update(changes: readonly PolicyChange[]): void {
    applyPrepared(this.state, prepareChanges(this.state, changes));
  }

  upsertPod(pod: PodEndpoint): void {
    this.update([{ op: 'upsertPod', pod }]);
  }

  removePod(pod: PodRef): void {
    this.update([{ op: 'removePod', pod }]);
  }

  upsertNamespace(namespace: NamespaceInfo): void {
    this.update([{ op: 'upsertNamespace', namespace }]);
  }

  removeNamespace(namespace: NamespaceRef): void {
    this.update([{ op: 'removeNamespace', namespace }]);
  }

  upsertNetworkPolicy(policy: NetworkPolicy): void {
    this.update([{ op: 'upsertNetworkPolicy', policy }]);
  }

  removeNetworkPolicy(policy: NetworkPolicyRef): void {
    this.update([{ op: 'removeNetworkPolicy', policy }]);
  }

  upsertAdminPolicy(policy: AdminPolicy): void {
    this.update([{ op: 'upsertAdminPolicy', policy }]);
  }

  removeAdminPolicy(name: string): void {
    this.update([{ op: 'removeAdminPolicy', name }]);
  }

  upsertGroup(group: AdminGroup): void {
    this.update([{ op: 'upsertGroup', group }]);
  }

  removeGroup(name: string): void {
    this.update([{ op: 'removeGroup', name }]);
  }

  /** The held pod (with its effective namespace labels), if any. */
  pod(ref: PodRef): PodEndpoint | undefined {
    return this.state.podByKey(podKey(ref))?.endpoint;
  }

  /** Every held pod, in slot order. */
  pods(): PodEndpoint[] {
    const out: PodEndpoint[] = [];
    this.state.forEachPod((p) => out.push(p.endpoint));
    return out;
  }

  /** The slot of a held pod in `reachability()` rows, or -1. */
  slotOf(ref: PodRef): number {
    return this.state.podByKey(podKey(ref))?.slot ?? -1;
  }

  /** Pod-to-pod reachability of every held pod on one port, computed in bulk (cached until the next change). */
  reachability(port: number, protocol: Protocol): Reachability {
    assertPortProtocol(port, protocol);
    const last = this.lastReachability;
    if (last && last.version === this.state.version && last.port === port && last.protocol === protocol) return last;
    this.lastReachability = computeReachability(this.state, port, protocol);
    return this.lastReachability;
  }

  stats(): EngineStats {
    return {
      pods: this.state.podCount,
      networkPolicies: this.state.networkPolicies.size,
      adminPolicies: this.state.adminPolicies.size,
      sets: this.state.sets.size,
      version: this.state.version,
    };
  }
}

function assertUnique<T>(items: readonly T[], field: string, kind: string, key: (t: T) => string): void {
  const seen = new Map<string, number>();
  items.forEach((t, i) => {
    const k = key(t);
    const first = seen.get(k);
    if (first !== undefined) throw ValidationError.field(`${field}[${i}]`, `duplicate ${kind} ${JSON.stringify(k)} (also ${field}[${first}])`);
    seen.set(k, i);
  });
}

/** Compiles a full snapshot into an engine; throws a ValidationError for the first invalid or duplicate object. */
export function compile(input: PolicyInput): PolicyEngine {
  const pods = input.pods ?? [];
  const nps = input.networkPolicies ?? [];
  const admin = input.adminPolicies ?? [];
  const groups = input.groups ?? [];
  const namespaces = input.namespaces ?? [];
  assertUnique(pods, 'pods', 'pod', podKey);
  assertUnique(namespaces, 'namespaces', 'namespace', (n) => `${n.cluster}/${n.name}`);
  assertUnique(nps, 'networkPolicies', 'NetworkPolicy', (p) => `${p.cluster}/${p.namespace}/${p.name}`);
  assertUnique(admin, 'adminPolicies', 'admin policy', (p) => p.name);
  assertUnique(groups, 'groups', 'group', (g) => g.name);
  const engine = new PolicyEngine();
  // namespaces and pods first, so each policy fills its sets in one scan instead of per pod
  engine.update([
    ...namespaces.map((namespace): PolicyChange => ({ op: 'upsertNamespace', namespace })),
    ...groups.map((group): PolicyChange => ({ op: 'upsertGroup', group })),
    ...pods.map((pod): PolicyChange => ({ op: 'upsertPod', pod })),
    ...nps.map((policy): PolicyChange => ({ op: 'upsertNetworkPolicy', policy })),
    ...admin.map((policy): PolicyChange => ({ op: 'upsertAdminPolicy', policy })),
  ]);
  return engine;
}
