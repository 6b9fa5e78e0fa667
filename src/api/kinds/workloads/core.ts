/**
 * Namespace, Service and Endpoints (core/v1 subsets). A Service selects pods by labels; the
 * endpoints controller keeps an Endpoints object of the same name listing the ready ones.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../../meta.js';

export const NamespaceSpecSchema = Type.Object({ finalizers: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false });
export type NamespaceSpec = Static<typeof NamespaceSpecSchema>;
export type Namespace = Resource<NamespaceSpec, { readonly phase?: 'Active' | 'Terminating' }>;

export const ServicePortSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    targetPort: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 65535 }), Type.String({ minLength: 1 })])),
    protocol: Type.Optional(Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')])),
    nodePort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const ServiceSpecSchema = Type.Object(
  {
    selector: Type.Optional(Type.Record(Type.String(), Type.String())),
    ports: Type.Array(ServicePortSchema, { minItems: 1 }),
    type: Type.Optional(Type.Union([Type.Literal('ClusterIP'), Type.Literal('NodePort'), Type.Literal('LoadBalancer')])),
    clusterIP: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
export type Service = Resource<ServiceSpec, { readonly readyEndpoints?: number }>;

export interface EndpointAddress {
  readonly ip: string;
  readonly nodeName: string;
  readonly targetRef: { readonly kind: 'Pod'; readonly name: string; readonly namespace: string };
}
export interface EndpointSubset {
  readonly addresses: readonly EndpointAddress[];
  readonly notReadyAddresses: readonly EndpointAddress[];
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: string }[];
}
/** Kubernetes keeps Endpoints' data at the top level; Bulkhead keeps it under spec (written by the controller). */
export interface EndpointsSpec {
  readonly subsets: readonly EndpointSubset[];
}
export const EndpointsSpecSchema = Type.Object({ subsets: Type.Array(Type.Unknown()) }, { additionalProperties: false });
export type Endpoints = Resource<EndpointsSpec>;
