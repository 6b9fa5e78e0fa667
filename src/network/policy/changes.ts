/**
 * Changes to the engine's inputs and their preparation. A batch is applied in two phases: first
 * every change is validated and planned against a shadow of the state (named groups and who
 * references them) — the only place errors come from — then the plans are applied by code that
 * cannot fail. So a caller sees either none of a batch or all of it, never a half-applied state.
 */
import { ValidationError, nameCauses, type FieldCause } from '../../api/index.js';
import type { PodEndpoint } from '../types.js';
import type { AdminGroup, AdminPolicy, GroupSpec } from './admin-policy-schema.js';
import { parseIp } from './cidr.js';
import { planAdminPolicy, planNetworkPolicy, type AdminPolicyOf, type NetworkPolicyOf } from './compiled-policy.js';
import { labelKeyProblem, labelValueProblem, type Labels } from './label-selector.js';
import type { NetworkPolicy, NetworkPolicyRef } from './network-policy-schema.js';
import { podKey } from './pod-record.js';
import type { SetDef } from './pod-sets.js';
import type { PolicyState } from './policy-state.js';
import { assertAdminGroup, assertAdminPolicy } from './validate-admin-policy.js';
import { assertNetworkPolicy } from './validate-network-policy.js';

/** A namespace's labels; `kubernetes.io/metadata.name` is added by the engine. */
export interface NamespaceInfo {
  readonly cluster: string;
  readonly name: string;
  readonly labels: Labels;
}

export type PodRef = Pick<PodEndpoint, 'cluster' | 'namespace' | 'name'>;
export type NamespaceRef = Pick<NamespaceInfo, 'cluster' | 'name'>;

/** One change to the engine's inputs; removals of unknown objects are no-ops. */
export type PolicyChange =
  | { readonly op: 'upsertPod'; readonly pod: PodEndpoint }
  | { readonly op: 'removePod'; readonly pod: PodRef }
  | { readonly op: 'upsertNamespace'; readonly namespace: NamespaceInfo }
  | { readonly op: 'removeNamespace'; readonly namespace: NamespaceRef }
  | { readonly op: 'upsertNetworkPolicy'; readonly policy: NetworkPolicy }
  | { readonly op: 'removeNetworkPolicy'; readonly policy: NetworkPolicyRef }
  | { readonly op: 'upsertAdminPolicy'; readonly policy: AdminPolicy }
  | { readonly op: 'removeAdminPolicy'; readonly name: string }
  | { readonly op: 'upsertGroup'; readonly group: AdminGroup }
  | { readonly op: 'removeGroup'; readonly name: string };

/** A change validated and planned, ready to apply. */
export type PreparedChange =
  | { readonly op: 'putPod'; readonly pod: PodEndpoint }
  | { readonly op: 'deletePod'; readonly key: string }
  | { readonly op: 'putNamespace'; readonly cluster: string; readonly name: string; readonly labels: Labels | undefined }
  | { readonly op: 'putNetworkPolicy'; readonly plan: NetworkPolicyOf<SetDef> }
  | { readonly op: 'deleteNetworkPolicy'; readonly key: string }
  | { readonly op: 'putAdminPolicy'; readonly plan: AdminPolicyOf<SetDef> }
  | { readonly op: 'deleteAdminPolicy'; readonly name: string }
  | { readonly op: 'putGroup'; readonly name: string; readonly spec: GroupSpec }
  | { readonly op: 'deleteGroup'; readonly name: string };

function assertPod(pod: PodEndpoint): void {
  const causes: FieldCause[] = [...nameCauses(pod.name), ...nameCauses(pod.namespace, 'metadata.namespace')];
  if (pod.cluster === '') causes.push({ field: 'cluster', message: 'required field is missing' });
  if (pod.ip !== '' && !parseIp(pod.ip)) causes.push({ field: 'ip', message: `${JSON.stringify(pod.ip)} is not an IPv4 or IPv6 address` });
  pod.ports.forEach((p, i) => {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) causes.push({ field: `ports[${i}].port`, message: `must be between 1 and 65535, inclusive (got ${p.port})` });
  });
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'Pod', name: `${pod.namespace}/${pod.name}` });
}

function assertNamespace(ns: NamespaceInfo): void {
  const causes: FieldCause[] = [...nameCauses(ns.name)];
  if (ns.cluster === '') causes.push({ field: 'cluster', message: 'required field is missing' });
  for (const [k, v] of Object.entries(ns.labels)) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) causes.push({ field: 'metadata.labels', message: problem });
  }
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'Namespace', name: ns.name });
}

/** Validates and plans a batch against `state` without touching it; throws the first ValidationError. */
export function prepareChanges(state: PolicyState, changes: readonly PolicyChange[]): PreparedChange[] {
  const groups = new Map(state.groups);
  const policies = new Map([...state.adminPolicies.values()].map((p) => [p.name, p.source]));
  const uses = (p: AdminPolicy, group: string): boolean =>
    p.spec.appliedTo.group === group || p.spec.rules.some((r) => (r.peers ?? []).some((g) => g.group === group));
  const referencing = (group: string): string[] => [...policies.values()].filter((p) => uses(p, group)).map((p) => p.name);
  return changes.map((c): PreparedChange => {
    switch (c.op) {
      case 'upsertPod':
        assertPod(c.pod);
        return { op: 'putPod', pod: c.pod };
      case 'removePod':
        return { op: 'deletePod', key: podKey(c.pod) };
      case 'upsertNamespace':
        assertNamespace(c.namespace);
        return { op: 'putNamespace', cluster: c.namespace.cluster, name: c.namespace.name, labels: c.namespace.labels };
      case 'removeNamespace':
        return { op: 'putNamespace', cluster: c.namespace.cluster, name: c.namespace.name, labels: undefined };
      case 'upsertNetworkPolicy':
        assertNetworkPolicy(c.policy);
        return { op: 'putNetworkPolicy', plan: planNetworkPolicy(c.policy) };
      case 'removeNetworkPolicy':
        return { op: 'deleteNetworkPolicy', key: `${c.policy.cluster}/${c.policy.namespace}/${c.policy.name}` };
      case 'upsertAdminPolicy':
        assertAdminPolicy(c.policy, groups);
        policies.set(c.policy.name, c.policy);
        return { op: 'putAdminPolicy', plan: planAdminPolicy(c.policy, groups) };
      case 'removeAdminPolicy':
        policies.delete(c.name);
        return { op: 'deleteAdminPolicy', name: c.name };
      case 'upsertGroup': {
        assertAdminGroup(c.group);
        const applied = [...policies.values()].filter((p) => p.spec.appliedTo.group === c.group.name).map((p) => p.name);
        if (c.group.spec.ipBlocks !== undefined && applied.length > 0)
          throw ValidationError.field('spec.ipBlocks', `may not be used by a group in the appliedTo of ${applied.join(', ')}`, { kind: 'AdminGroup', name: c.group.name });
        groups.set(c.group.name, c.group.spec);
        return { op: 'putGroup', name: c.group.name, spec: c.group.spec };
      }
      case 'removeGroup': {
        const users = referencing(c.name);
        if (users.length > 0) throw ValidationError.field('name', `group is referenced by admin policies ${users.join(', ')}`, { kind: 'AdminGroup', name: c.name });
        groups.delete(c.name);
        return { op: 'deleteGroup', name: c.name };
      }
    }
  });
}

/** Applies prepared changes in order; cannot fail. */
export function applyPrepared(state: PolicyState, prepared: readonly PreparedChange[]): void {
  for (const c of prepared) {
    switch (c.op) {
      case 'putPod':
        state.putPod(c.pod);
        break;
      case 'deletePod':
        state.deletePod(c.key);
        break;
      case 'putNamespace':
        state.putNamespace(c.cluster, c.name, c.labels);
        break;
      case 'putNetworkPolicy':
        state.putNetworkPolicy(c.plan);
        break;
      case 'deleteNetworkPolicy':
        state.deleteNetworkPolicy(c.key);
        break;
      case 'putAdminPolicy':
        state.putAdminPolicy(c.plan);
        break;
      case 'deleteAdminPolicy':
        state.deleteAdminPolicy(c.name);
        break;
      case 'putGroup':
        state.putGroup(c.name, c.spec);
        break;
      case 'deleteGroup':
        state.deleteGroup(c.name);
        break;
    }
  }
}

