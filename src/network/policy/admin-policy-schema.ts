/**
 * Admin network policies that sit above tenants (the role of Antrea ClusterNetworkPolicy tiers and
 * NSX DFW categories): a tier, a priority, the group of pods it applies to, and ordered rules whose
 * first match wins. Groups select pods by tenant, sensitivity, cluster, namespace and labels, or
 * addresses by ipBlock; they are written inline or named once (`AdminGroup`) and referenced.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Tier } from '../types.js';
import { LabelSelectorSchema } from './label-selector.js';
import { NetworkPolicyPortSchema } from './network-policy-schema.js';
import type { DeepReadonly } from './readonly.js';

/** The tiers an admin policy may name; `application` is where tenant NetworkPolicies sit. */
export const ADMIN_TIERS = ['emergency', 'platform', 'baseline'] as const satisfies readonly Tier[];
export type AdminTier = (typeof ADMIN_TIERS)[number];

export const ADMIN_ACTIONS = ['Allow', 'Drop', 'Reject', 'Pass'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export const DIRECTIONS = ['Ingress', 'Egress'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Antrea's ClusterNetworkPolicy priority range (lower is evaluated first). */
export const ADMIN_PRIORITY_MIN = 1;
export const ADMIN_PRIORITY_MAX = 10_000;

const GROUP_SPEC_FIELDS = {
  /** Pods of these tenants. */
  tenants: Type.Optional(Type.Array(Type.String())),
  /** Pods whose tenant has one of these sensitivity levels. */
  sensitivities: Type.Optional(Type.Array(Type.String())),
  clusters: Type.Optional(Type.Array(Type.String())),
  /** Namespace names (in any selected cluster). */
  namespaces: Type.Optional(Type.Array(Type.String())),
  namespaceSelector: Type.Optional(LabelSelectorSchema),
  podSelector: Type.Optional(LabelSelectorSchema),
  /** Addresses (pods by IP, or anything off-cluster); may not be combined with the pod fields. */
  ipBlocks: Type.Optional(Type.Array(Type.Object({ cidr: Type.String() }, { additionalProperties: false }))),
};

/** What a group selects: every given field must match (AND); `{}` is every pod. */
export const GroupSpecSchema = Type.Object(GROUP_SPEC_FIELDS, { additionalProperties: false });
export type GroupSpec = DeepReadonly<Static<typeof GroupSpecSchema>>;

/** A group written inline, or `{ group: name }` naming an AdminGroup (not both). */
export const GroupSelectorSchema = Type.Object({ group: Type.Optional(Type.String()), ...GROUP_SPEC_FIELDS }, { additionalProperties: false });
export type GroupSelector = DeepReadonly<Static<typeof GroupSelectorSchema>>;

export const AdminRuleSchema = Type.Object(
  {
    /** Unique in the policy; shown in verdicts (`rules[i]` when absent). */
    name: Type.Optional(Type.String()),
    action: Type.Union(ADMIN_ACTIONS.map((a) => Type.Literal(a))),
    direction: Type.Union(DIRECTIONS.map((d) => Type.Literal(d))),
    /** Sources (Ingress) or destinations (Egress); absent or empty = any endpoint. */
    peers: Type.Optional(Type.Array(GroupSelectorSchema)),
    /** Absent or empty = every port and protocol. */
    ports: Type.Optional(Type.Array(NetworkPolicyPortSchema)),
  },
  { additionalProperties: false },
);
export type AdminRule = DeepReadonly<Static<typeof AdminRuleSchema>>;

export const AdminPolicySpecSchema = Type.Object(
  {
    tier: Type.Union(ADMIN_TIERS.map((t) => Type.Literal(t))),
    /** 1-10000, lower first; ties are broken by name (Antrea leaves them undefined). */
    priority: Type.Number(),
    /** The pods whose traffic the rules govern (Ingress rules: as destination; Egress: as source). */
    appliedTo: GroupSelectorSchema,
    rules: Type.Array(AdminRuleSchema),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type AdminPolicySpec = DeepReadonly<Static<typeof AdminPolicySpecSchema>>;

/** A cluster-spanning admin policy. */
export interface AdminPolicy {
  readonly name: string;
  readonly spec: AdminPolicySpec;
}

/** A named group admin policies reference with `{ group: name }` (Antrea ClusterGroup, NSX Group). */
export interface AdminGroup {
  readonly name: string;
  readonly spec: GroupSpec;
}
