/**
 * AdminNetworkPolicy and NetworkGroup: the platform administrators' policies above every tenant
 * (Antrea ClusterNetworkPolicy tiers, NSX DFW categories) and the named groups they reference.
 * These schemas fix the outline; the network policy engine validates every field in depth at
 * admission (this vocabulary module imports nothing else of ours).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../../meta.js';

const Open = Type.Object({}, { additionalProperties: true });

export const AdminNetworkPolicyOutlineSchema = Type.Object(
  {
    /** emergency | platform | baseline. */
    tier: Type.String(),
    /** 1-10000, lower first within the tier. */
    priority: Type.Number(),
    appliedTo: Open,
    rules: Type.Array(Open),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type AdminNetworkPolicyOutline = Static<typeof AdminNetworkPolicyOutlineSchema>;

export interface AdminNetworkPolicyStatus {
  /** `Realized`: whether the data path enforces this generation, and why not. */
  readonly conditions?: readonly Condition[];
  readonly observedGeneration?: number;
}
export type AdminNetworkPolicyObject = Resource<AdminNetworkPolicyOutline, AdminNetworkPolicyStatus>;

export const NetworkGroupOutlineSchema = Type.Object(
  {
    tenants: Type.Optional(Type.Array(Type.String())),
    sensitivities: Type.Optional(Type.Array(Type.String())),
    clusters: Type.Optional(Type.Array(Type.String())),
    namespaces: Type.Optional(Type.Array(Type.String())),
    namespaceSelector: Type.Optional(Open),
    podSelector: Type.Optional(Open),
    ipBlocks: Type.Optional(Type.Array(Open)),
  },
  { additionalProperties: false },
);
export type NetworkGroupOutline = Static<typeof NetworkGroupOutlineSchema>;
export type NetworkGroupObject = Resource<NetworkGroupOutline>;
