/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) as TypeBox schemas: the shape only. Semantic
 * checks (port ranges, CIDRs, selector syntax) live in validate-network-policy.ts.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LabelSelectorSchema } from './label-selector.js';
import type { DeepReadonly } from './readonly.js';

export const POLICY_TYPES = ['Ingress', 'Egress'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

const ProtocolSchema = Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')]);

export const IPBlockSchema = Type.Object(
  { cidr: Type.String(), except: Type.Optional(Type.Array(Type.String())) },
  { additionalProperties: false },
);

export const NetworkPolicyPeerSchema = Type.Object(
  {
    podSelector: Type.Optional(LabelSelectorSchema),
    namespaceSelector: Type.Optional(LabelSelectorSchema),
    ipBlock: Type.Optional(IPBlockSchema),
  },
  { additionalProperties: false },
);
export type NetworkPolicyPeer = DeepReadonly<Static<typeof NetworkPolicyPeerSchema>>;

export const NetworkPolicyPortSchema = Type.Object(
  {
    /** Defaults to TCP. */
    protocol: Type.Optional(ProtocolSchema),
    /** A number, or the name of a container port on the destination pod; absent = every port. */
    port: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    /** Inclusive end of a range starting at a numeric `port`. */
    endPort: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type NetworkPolicyPort = DeepReadonly<Static<typeof NetworkPolicyPortSchema>>;

export const NetworkPolicyIngressRuleSchema = Type.Object(
  { from: Type.Optional(Type.Array(NetworkPolicyPeerSchema)), ports: Type.Optional(Type.Array(NetworkPolicyPortSchema)) },
  { additionalProperties: false },
);
export type NetworkPolicyIngressRule = DeepReadonly<Static<typeof NetworkPolicyIngressRuleSchema>>;

export const NetworkPolicyEgressRuleSchema = Type.Object(
  { to: Type.Optional(Type.Array(NetworkPolicyPeerSchema)), ports: Type.Optional(Type.Array(NetworkPolicyPortSchema)) },
  { additionalProperties: false },
);
export type NetworkPolicyEgressRule = DeepReadonly<Static<typeof NetworkPolicyEgressRuleSchema>>;

export const NetworkPolicySpecSchema = Type.Object(
  {
    /** Required; `{}` selects every pod in the policy's namespace. */
    podSelector: LabelSelectorSchema,
    /** Defaults to Ingress, plus Egress when `egress` has rules. */
    policyTypes: Type.Optional(Type.Array(Type.Union(POLICY_TYPES.map((t) => Type.Literal(t))))),
    ingress: Type.Optional(Type.Array(NetworkPolicyIngressRuleSchema)),
    egress: Type.Optional(Type.Array(NetworkPolicyEgressRuleSchema)),
  },
  { additionalProperties: false },
);
export type NetworkPolicySpec = DeepReadonly<Static<typeof NetworkPolicySpecSchema>>;

/** A tenant NetworkPolicy as the engine takes it: where it lives and its spec. */
export interface NetworkPolicy {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly spec: NetworkPolicySpec;
}

/** Identifies a NetworkPolicy for removal. */
export type NetworkPolicyRef = Pick<NetworkPolicy, 'cluster' | 'namespace' | 'name'>;

/** Upstream defaulting when `policyTypes` is absent or empty: Ingress always, Egress iff the policy has egress rules. */
export function effectivePolicyTypes(spec: NetworkPolicySpec): readonly PolicyType[] {
  // the apiserver defaults an empty list too
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress !== undefined && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}
