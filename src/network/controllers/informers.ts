/**
 * The shared informers the network's controllers read, asked for once from the controller
 * manager (one watch per kind across the platform): pods of every cluster, namespaces, policies,
 * groups, tenants (sensitivity), clusters (tenant), Services, node VMs and Segments.
 */
import type { Cluster, Namespace, Pod, Service, Tenant, VirtualMachine } from '../../api/index.js';
import type { AdminNetworkPolicyObject, NetworkGroupObject, SegmentObject } from '../../api/kinds/network-kinds.js';
import type { NetworkPolicyObject } from '../../api/index.js';
import type { Informer } from '../../controllers/index.js';
import type { ControllerContext } from '../../platform/extension.js';

export interface NetworkInformers {
  readonly pods: Informer<Pod>;
  readonly namespaces: Informer<Namespace>;
  readonly networkPolicies: Informer<NetworkPolicyObject>;
  readonly adminPolicies: Informer<AdminNetworkPolicyObject>;
  readonly groups: Informer<NetworkGroupObject>;
  readonly tenants: Informer<Tenant>;
  readonly clusters: Informer<Cluster>;
  readonly services: Informer<Service>;
  readonly vms: Informer<VirtualMachine>;
  readonly segments: Informer<SegmentObject>;
}

export function networkInformers(ctx: Pick<ControllerContext, 'informer'>): NetworkInformers {
  return {
    tenants: ctx.informer<Tenant>('Tenant'),
    clusters: ctx.informer<Cluster>('Cluster'),
    segments: ctx.informer<SegmentObject>('Segment'),
    vms: ctx.informer<VirtualMachine>('VirtualMachine'),
    namespaces: ctx.informer<Namespace>('Namespace'),
    pods: ctx.informer<Pod>('Pod'),
    services: ctx.informer<Service>('Service'),
    networkPolicies: ctx.informer<NetworkPolicyObject>('NetworkPolicy'),
    groups: ctx.informer<NetworkGroupObject>('NetworkGroup'),
    adminPolicies: ctx.informer<AdminNetworkPolicyObject>('AdminNetworkPolicy'),
  };
}

/** The tenant and sensitivity of a cluster's pods; undefined while either object is unknown. */
export function ownerOfCluster(inf: Pick<NetworkInformers, 'clusters' | 'tenants'>, cluster: string): { tenant: string; sensitivity: string } | undefined {
  const tenant = inf.clusters.get(cluster)?.spec?.tenant;
  if (!tenant) return undefined;
  const sensitivity = inf.tenants.get(tenant)?.spec?.sensitivity;
  return sensitivity ? { tenant, sensitivity } : undefined;
}
