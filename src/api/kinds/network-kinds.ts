/**
 * Kinds of the network capability, added to the kind registry: admin policies and named groups
 * (platform administrators only: they have no tenant) and the Segments the network allocates
 * (each belongs to its tenant).
 */
import { API_VERSION, type Resource } from '../meta.js';
import type { KindDef } from '../registry.js';
import { AdminNetworkPolicyOutlineSchema, NetworkGroupOutlineSchema } from './network/admin-network-policy.js';
import { SegmentSpecSchema } from './network/segment.js';

export * from './network/admin-network-policy.js';
export * from './network/segment.js';

const AGE = { header: 'AGE', path: 'metadata.creationTimestamp' };

function tenantField(obj: Resource): string | undefined {
  const t = (obj.spec as { tenant?: unknown } | undefined)?.tenant;
  return typeof t === 'string' ? t : undefined;
}

export const NETWORK_KINDS: readonly KindDef[] = [
  {
    kind: 'AdminNetworkPolicy',
    apiVersion: API_VERSION,
    plural: 'adminnetworkpolicies',
    singular: 'adminnetworkpolicy',
    shortNames: ['anp'],
    scope: 'platform',
    specSchema: AdminNetworkPolicyOutlineSchema,
    specRequired: true,
    // Above every tenant: only platform-scope roles may read or write them.
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'TIER', path: 'spec.tier' },
      { header: 'PRIORITY', path: 'spec.priority' },
      { header: 'REALIZED', path: 'status.conditions.0.status' },
      { header: 'REASON', path: 'status.conditions.0.reason', wide: true },
      { header: 'DESCRIPTION', path: 'spec.description', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'NetworkGroup',
    apiVersion: API_VERSION,
    plural: 'networkgroups',
    singular: 'networkgroup',
    shortNames: ['ng'],
    scope: 'platform',
    specSchema: NetworkGroupOutlineSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'TENANTS', path: 'spec.tenants' },
      { header: 'SENSITIVITIES', path: 'spec.sensitivities' },
      { header: 'CLUSTERS', path: 'spec.clusters' },
      { header: 'NAMESPACES', path: 'spec.namespaces' },
      { header: 'IP-BLOCKS', path: 'spec.ipBlocks', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'Segment',
    apiVersion: API_VERSION,
    plural: 'segments',
    singular: 'segment',
    shortNames: ['seg'],
    scope: 'platform',
    specSchema: SegmentSpecSchema,
    specRequired: true,
    tenantOf: tenantField,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ROLE', path: 'spec.role' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'CLUSTER', path: 'spec.cluster' },
      { header: 'NAMESPACE', path: 'spec.namespace' },
      { header: 'CIDR', path: 'spec.cidr' },
      { header: 'GATEWAY', path: 'spec.gateway', wide: true },
      { header: 'USED', path: 'status.allocated' },
      { header: 'CAPACITY', path: 'status.capacity' },
      AGE,
    ],
    // Allocated by the network controller; the API refuses writes.
    userCreatable: false,
  },
];
