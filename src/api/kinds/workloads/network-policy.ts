/**
 * NetworkPolicy (networking.k8s.io/v1) as a workload kind: the outline of its spec. The schema
 * here only fixes the top-level fields; the full validation (selectors, peers, ports, CIDRs, with
 * Kubernetes' messages) is the network policy engine's, applied by the workload routes, because
 * this vocabulary module imports nothing else of ours.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../../meta.js';

const Open = Type.Object({}, { additionalProperties: true });

export const NetworkPolicyOutlineSchema = Type.Object(
  {
    podSelector: Open,
    policyTypes: Type.Optional(Type.Array(Type.String())),
    ingress: Type.Optional(Type.Array(Open)),
    egress: Type.Optional(Type.Array(Open)),
  },
  { additionalProperties: false },
);
export type NetworkPolicyOutline = Static<typeof NetworkPolicyOutlineSchema>;
export type NetworkPolicyObject = Resource<NetworkPolicyOutline>;
