/**
 * Segment: an address range the network allocated, recorded so that it survives a restart and so
 * that operators can see it. A tenant's block (NSX IP block), a cluster's node segment (VM
 * addresses, NSX T1 downlink) or a namespace's pod subnet (NSX: one segment per namespace).
 * Written only by the network controller.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../../meta.js';

export const SEGMENT_ROLES = ['TenantBlock', 'NodeSegment', 'PodSubnet'] as const;
export type SegmentRole = (typeof SEGMENT_ROLES)[number];

export const SegmentSpecSchema = Type.Object(
  {
    role: Type.Union(SEGMENT_ROLES.map((r) => Type.Literal(r))),
    tenant: Type.String(),
    cluster: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    cidr: Type.String(),
    gateway: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type SegmentSpec = Static<typeof SegmentSpecSchema>;

export interface SegmentStatus {
  /** Addresses (or, for a tenant block, segments) handed out. */
  readonly allocated?: number;
  /** Addresses that can ever be handed out. */
  readonly capacity?: number;
  /** Node segments: the address of each node VM (NSX segment ports). */
  readonly ports?: Readonly<Record<string, string>>;
}
export type SegmentObject = Resource<SegmentSpec, SegmentStatus>;

/** Labels the network puts on a Segment so it can be found by cluster, namespace and tenant. */
export const SEGMENT_LABELS = {
  role: 'network.bulkhead.dev/role',
  tenant: 'network.bulkhead.dev/tenant',
  cluster: 'network.bulkhead.dev/cluster',
  namespace: 'network.bulkhead.dev/namespace',
} as const;
