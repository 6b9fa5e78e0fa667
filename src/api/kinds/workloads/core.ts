/**
 * Namespace, Service and Endpoints (core/v1 subsets). A Service selects pods by labels; the
 * endpoints controller keeps an Endpoints object of the same name listing the ready ones. The
 * network fills a Namespace's pod subnet and a LoadBalancer Service's external VIP in status.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../../meta.js';

export const NamespaceSpecSchema = Type.Object({ finalizers: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false });
export type NamespaceSpec = Static<typeof NamespaceSpecSchema>;
export interface NamespaceStatus {
  readonly phase?: 'Active' | 'Terminating';
  /** The namespace's pod subnet (NSX: one segment per namespace), set by the network. */
  readonly subnet?: string;
  readonly gateway?: string;
  /** `NetworkReady`: whether the subnet could be allocated, and why not. */
  readonly conditions?: readonly Condition[];
}
export type Namespace = Resource<NamespaceSpec, NamespaceStatus>;

/** Namespace annotation: the prefix length of its pod subnet (e.g. "26"); the platform default otherwise. */
export const SUBNET_PREFIX_ANNOTATION = 'network.bulkhead.dev/subnet-prefix';
/** Namespace annotation: an exact pod subnet (e.g. "10.0.9.0/24") inside the tenant's block. */
export const SUBNET_ANNOTATION = 'network.bulkhead.dev/subnet';

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

const HealthMonitorSchema = Type.Object(
  {
    type: Type.Optional(Type.Union(['TCP', 'UDP', 'HTTP', 'HTTPS', 'ICMP'].map((t) => Type.Literal(t)))),
    intervalSeconds: Type.Optional(Type.Integer()),
    timeoutSeconds: Type.Optional(Type.Integer()),
    fallCount: Type.Optional(Type.Integer()),
    riseCount: Type.Optional(Type.Integer()),
    port: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const ServiceSpecSchema = Type.Object(
  {
    selector: Type.Optional(Type.Record(Type.String(), Type.String())),
    ports: Type.Array(ServicePortSchema, { minItems: 1 }),
    type: Type.Optional(Type.Union([Type.Literal('ClusterIP'), Type.Literal('NodePort'), Type.Literal('LoadBalancer')])),
    /** Allocated from the cluster's service CIDR when absent; `None` makes a headless Service. */
    clusterIP: Type.Optional(Type.String()),
    loadBalancerIP: Type.Optional(Type.String()),
    loadBalancerSourceRanges: Type.Optional(Type.Array(Type.String())),
    sessionAffinity: Type.Optional(Type.Union([Type.Literal('None'), Type.Literal('ClientIP')])),
    sessionAffinityConfig: Type.Optional(
      Type.Object({ clientIP: Type.Optional(Type.Object({ timeoutSeconds: Type.Optional(Type.Integer()) }, { additionalProperties: false })) }, { additionalProperties: false }),
    ),
    publishNotReadyAddresses: Type.Optional(Type.Boolean()),
    /** Bulkhead extension: the NSX-T pool algorithm and active health monitor of this Service. */
    loadBalancing: Type.Optional(
      Type.Object(
        {
          algorithm: Type.Optional(Type.Union([Type.Literal('ROUND_ROBIN'), Type.Literal('LEAST_CONNECTION'), Type.Literal('IP_HASH')])),
          healthMonitor: Type.Optional(HealthMonitorSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ServiceSpec = Static<typeof ServiceSpecSchema>;
export interface ServiceStatus {
  readonly readyEndpoints?: number;
  /** The external VIP of a LoadBalancer Service, from the platform's VIP pool. */
  readonly loadBalancer?: { readonly ingress?: readonly { readonly ip: string }[] };
  /** `LoadBalancerReady` for LoadBalancer Services: why a VIP could not be had. */
  readonly conditions?: readonly Condition[];
}
export type Service = Resource<ServiceSpec, ServiceStatus>;

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
