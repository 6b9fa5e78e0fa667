/**
 * Policies compiled for evaluation. Compiling is split in two so updates can be atomic: `plan*`
 * turns a validated policy into predicates (pure, may run before any state changes) and `bind`
 * swaps each predicate for its interned, pod-filled set (runs while applying, cannot fail).
 */
import type { Tier } from '../types.js';
import type { AdminAction, AdminPolicy, AdminTier, Direction, GroupSelector, GroupSpec } from './admin-policy-schema.js';
import { compileSelector } from './label-selector.js';
import { effectivePolicyTypes, type NetworkPolicy, type NetworkPolicyPeer } from './network-policy-schema.js';
import { namespaceKey } from './pod-record.js';
import { groupSet, ipBlockSet, podsBySelectors, podsInNamespace, type PodSet, type SetDef } from './pod-sets.js';
import { compilePorts, type CompiledPorts } from './ports.js';

/** One rule: peers ORed (undefined = any endpoint), then ports. `S` is a predicate before binding, a set after. */
export interface Rule<S> {
  /** `ingress[0]`, `egress[1]` for NetworkPolicies; the rule name or `rules[i]` for admin policies. */
  readonly label: string;
  readonly peers: readonly S[] | undefined;
  readonly ports: CompiledPorts;
}

export interface AdminRuleOf<S> extends Rule<S> {
  readonly action: AdminAction;
}

export type ByDirection<T> = Readonly<Record<Direction, readonly T[]>>;

export interface NetworkPolicyOf<S> {
  /** Unique per compiled version; part of the matrix cache signatures. */
  readonly id: number;
  /** `cluster/ns/name`. */
  readonly key: string;
  /** `ns/name`, as verdicts name it. */
  readonly ref: string;
  readonly nsKey: string;
  readonly selected: S;
  readonly isolates: Readonly<Record<Direction, boolean>>;
  readonly rules: ByDirection<Rule<S>>;
  readonly source: NetworkPolicy;
}

export interface AdminPolicyOf<S> {
  readonly id: number;
  readonly name: string;
  readonly tier: AdminTier & Tier;
  readonly priority: number;
  readonly appliedTo: S;
  readonly rules: ByDirection<AdminRuleOf<S>>;
  /** Named groups the policy references (so a group change recompiles it). */
  readonly groupRefs: readonly string[];
  readonly source: AdminPolicy;
}

export type CompiledNetworkPolicy = NetworkPolicyOf<PodSet>;
export type CompiledAdminPolicy = AdminPolicyOf<PodSet>;
export type CompiledRule = Rule<PodSet>;
export type CompiledAdminRule = AdminRuleOf<PodSet>;

let nextId = 1;

function peerDef(np: NetworkPolicy, peer: NetworkPolicyPeer): SetDef {
  if (peer.ipBlock) return ipBlockSet(peer.ipBlock.cidr, peer.ipBlock.except ?? []);
  const podSel = compileSelector(peer.podSelector);
  // namespaceSelector present: pods of matching namespaces (AND podSelector); absent: the policy's namespace only
  if (peer.namespaceSelector) return podsBySelectors(np.cluster, compileSelector(peer.namespaceSelector), podSel);
  return podsInNamespace(np.cluster, np.namespace, podSel);
}

/** Predicates of a validated NetworkPolicy. */
export function planNetworkPolicy(np: NetworkPolicy): NetworkPolicyOf<SetDef> {
  const types = effectivePolicyTypes(np.spec);
  const rule = (label: string, peers: readonly NetworkPolicyPeer[] | undefined, ports: Parameters<typeof compilePorts>[0]): Rule<SetDef> => ({
    label,
    // absent or empty peer list: every source/destination, pods and external addresses alike
    peers: peers === undefined || peers.length === 0 ? undefined : peers.map((p) => peerDef(np, p)),
    ports: compilePorts(ports),
  });
  return {
    id: nextId++,
    key: `${np.cluster}/${np.namespace}/${np.name}`,
    ref: `${np.namespace}/${np.name}`,
    nsKey: namespaceKey(np.cluster, np.namespace),
    selected: podsInNamespace(np.cluster, np.namespace, compileSelector(np.spec.podSelector)),
    isolates: { Ingress: types.includes('Ingress'), Egress: types.includes('Egress') },
    rules: {
      Ingress: (np.spec.ingress ?? []).map((r, i) => rule(`ingress[${i}]`, r.from, r.ports)),
      Egress: (np.spec.egress ?? []).map((r, i) => rule(`egress[${i}]`, r.to, r.ports)),
    },
    source: np,
  };
}

function groupDef(sel: GroupSelector, groups: ReadonlyMap<string, GroupSpec>, refs: Set<string>): SetDef {
  if (sel.group === undefined) return groupSet(sel);
  refs.add(sel.group);
  return groupSet(groups.get(sel.group) as GroupSpec);
}

/** Predicates of a validated admin policy; named groups resolved through `groups`. */
export function planAdminPolicy(p: AdminPolicy, groups: ReadonlyMap<string, GroupSpec>): AdminPolicyOf<SetDef> {
  const refs = new Set<string>();
  const byDir: Record<Direction, AdminRuleOf<SetDef>[]> = { Ingress: [], Egress: [] };
  p.spec.rules.forEach((r, i) => {
    byDir[r.direction].push({
      label: r.name ?? `rules[${i}]`,
      action: r.action,
      peers: r.peers === undefined || r.peers.length === 0 ? undefined : r.peers.map((g) => groupDef(g, groups, refs)),
      ports: compilePorts(r.ports),
    });
  });
  const appliedTo = groupDef(p.spec.appliedTo, groups, refs);
  return { id: nextId++, name: p.name, tier: p.spec.tier, priority: p.spec.priority, appliedTo, rules: byDir, groupRefs: [...refs], source: p };
}

type Acquire = (def: SetDef) => PodSet;

function bindRule<R extends Rule<SetDef>>(r: R, acquire: Acquire): Omit<R, 'peers'> & { peers: readonly PodSet[] | undefined } {
  return { ...r, peers: r.peers?.map(acquire) };
}

/** Interns a NetworkPolicy's predicates. */
export function bindNetworkPolicy(plan: NetworkPolicyOf<SetDef>, acquire: Acquire): CompiledNetworkPolicy {
  return {
    ...plan,
    selected: acquire(plan.selected),
    rules: { Ingress: plan.rules.Ingress.map((r) => bindRule(r, acquire)), Egress: plan.rules.Egress.map((r) => bindRule(r, acquire)) },
  };
}

/** Interns an admin policy's predicates. */
export function bindAdminPolicy(plan: AdminPolicyOf<SetDef>, acquire: Acquire): CompiledAdminPolicy {
  return {
    ...plan,
    appliedTo: acquire(plan.appliedTo),
    rules: { Ingress: plan.rules.Ingress.map((r) => bindRule(r, acquire)), Egress: plan.rules.Egress.map((r) => bindRule(r, acquire)) },
  };
}

/** Every set a compiled policy holds, for releasing it. */
export function setsOf(p: CompiledNetworkPolicy | CompiledAdminPolicy): PodSet[] {
  const head = 'selected' in p ? p.selected : p.appliedTo;
  const rules: readonly CompiledRule[] = [...p.rules.Ingress, ...p.rules.Egress];
  return [head, ...rules.flatMap((r) => r.peers ?? [])];
}
