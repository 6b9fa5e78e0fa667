/**
 * The kind registry: for each kind its names, scope, schema, defaults, the tenant it belongs to,
 * and the columns a table shows. The server routes, the CLI and RBAC all read this one table, so a
 * later issue adds a kind by adding an entry here.
 */
import type { TSchema } from '@sinclair/typebox';
import { API_VERSION, type Resource } from './meta.js';
import { HostSpecSchema } from './kinds/host.js';
import { RoleBindingSpecSchema, RoleSpecSchema } from './kinds/role.js';
import { TenantSpecSchema } from './kinds/tenant.js';
import { TokenSpecSchema } from './kinds/token.js';
import { UserSpecSchema } from './kinds/user.js';
import { VirtualMachineSpecSchema } from './kinds/virtual-machine.js';
import { ZoneSpecSchema, defaultZoneSpec, type ZoneSpec } from './kinds/zone.js';
import { CLUSTER_KINDS } from './kinds/cluster-kinds.js';
import { REGISTRY_KINDS } from './kinds/registry-kinds.js';
import { NETWORK_KINDS } from './kinds/network-kinds.js';
import { AVAILABILITY_KINDS } from './kinds/availability-kinds.js';
import { BALANCE_KINDS } from './kinds/balance-kinds.js';

export const SCOPES = ['platform', 'tenant'] as const;
/** platform: one object per name; tenant: stored in the tenant's namespace. */
export type Scope = (typeof SCOPES)[number];

/** A table column: header and a dotted path into the object (or a function of it). */
export interface Column {
  readonly header: string;
  readonly path: string;
  /** Shown only with `-o wide`. */
  readonly wide?: boolean;
}

export interface KindDef {
  readonly kind: string;
  readonly apiVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly scope: Scope;
  readonly specSchema: TSchema;
  /** Whether spec is required on create. */
  readonly specRequired: boolean;
  /** Fill defaults into a validated spec. */
  readonly defaultSpec?: (spec: never) => unknown;
  /** The tenant an object belongs to, for RBAC at tenant scope; undefined for platform objects. */
  readonly tenantOf: (obj: Resource) => string | undefined;
  readonly columns: readonly Column[];
  /** Users may create/delete through the API (hosts are registered by the driver). */
  readonly userCreatable: boolean;
  /** Every authenticated user may read these (catalogue objects such as Plans). */
  readonly sharedRead?: boolean;
}

const specField =
  (field: string) =>
  (obj: Resource): string | undefined => {
    const v = (obj.spec as Record<string, unknown> | undefined)?.[field];
    return typeof v === 'string' ? v : undefined;
  };

const AGE: Column = { header: 'AGE', path: 'metadata.creationTimestamp' };

export const KINDS: readonly KindDef[] = [
  {
    kind: 'Zone',
    apiVersion: API_VERSION,
    plural: 'zones',
    singular: 'zone',
    shortNames: ['zn'],
    scope: 'platform',
    specSchema: ZoneSpecSchema,
    specRequired: false,
    defaultSpec: ((s: ZoneSpec) => defaultZoneSpec(s)) as (spec: never) => unknown,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ISOLATION', path: 'spec.isolation' },
      { header: 'CPU-OVERCOMMIT%', path: 'spec.cpuOvercommitPercent' },
      { header: 'HOSTS', path: 'status.hosts' },
      { header: 'READY', path: 'status.readyHosts' },
      { header: 'VMS', path: 'status.vms' },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'Host',
    apiVersion: API_VERSION,
    plural: 'hosts',
    singular: 'host',
    shortNames: ['ho'],
    scope: 'platform',
    specSchema: HostSpecSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ZONE', path: 'spec.zone' },
      { header: 'STATE', path: 'status.state' },
      { header: 'CORES', path: 'spec.cores' },
      { header: 'MEMORY-MIB', path: 'spec.memoryMiB' },
      { header: 'VCPUS-ALLOC', path: 'status.allocatedVcpus' },
      { header: 'MEM-ALLOC-MIB', path: 'status.allocatedMemoryMiB' },
      { header: 'VMS', path: 'status.vms' },
      { header: 'FEATURES', path: 'spec.features', wide: true },
      { header: 'NIC-MBPS', path: 'spec.nicMbps', wide: true },
    ],
    userCreatable: true,
  },
  {
    kind: 'VirtualMachine',
    apiVersion: API_VERSION,
    plural: 'virtualmachines',
    singular: 'virtualmachine',
    shortNames: ['vm', 'vms'],
    scope: 'platform',
    specSchema: VirtualMachineSpecSchema,
    specRequired: true,
    tenantOf: specField('tenant'),
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'CPUS', path: 'spec.cpus' },
      { header: 'MEMORY-MIB', path: 'spec.memoryMiB' },
      { header: 'PHASE', path: 'status.phase' },
      { header: 'HOST', path: 'status.host' },
      { header: 'NUMA', path: 'status.numaNodes', wide: true },
      { header: 'ZONE', path: 'status.zone', wide: true },
      { header: 'SENSITIVITY', path: 'spec.sensitivity', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'Tenant',
    apiVersion: API_VERSION,
    plural: 'tenants',
    singular: 'tenant',
    shortNames: ['tn'],
    scope: 'platform',
    specSchema: TenantSpecSchema,
    specRequired: true,
    tenantOf: (obj) => obj.metadata.name,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'SENSITIVITY', path: 'spec.sensitivity' },
      { header: 'ZONES', path: 'spec.zones' },
      { header: 'DISPLAY-NAME', path: 'spec.displayName', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'User',
    apiVersion: API_VERSION,
    plural: 'users',
    singular: 'user',
    shortNames: [],
    scope: 'platform',
    specSchema: UserSpecSchema,
    specRequired: false,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'DISPLAY-NAME', path: 'spec.displayName' },
      { header: 'GROUPS', path: 'spec.groups' },
      { header: 'DISABLED', path: 'spec.disabled' },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'Role',
    apiVersion: API_VERSION,
    plural: 'roles',
    singular: 'role',
    shortNames: [],
    scope: 'platform',
    specSchema: RoleSpecSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'DESCRIPTION', path: 'spec.description' },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'RoleBinding',
    apiVersion: API_VERSION,
    plural: 'rolebindings',
    singular: 'rolebinding',
    shortNames: ['rb'],
    scope: 'platform',
    specSchema: RoleBindingSpecSchema,
    specRequired: true,
    tenantOf: specField('tenant'),
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ROLE', path: 'spec.role' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'SUBJECTS', path: 'spec.subjects' },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'Token',
    apiVersion: API_VERSION,
    plural: 'tokens',
    singular: 'token',
    shortNames: [],
    scope: 'platform',
    specSchema: TokenSpecSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'USER', path: 'spec.user' },
      { header: 'EXPIRES', path: 'spec.expiresAt' },
      { header: 'DESCRIPTION', path: 'spec.description' },
      AGE,
    ],
    // Tokens are minted by POST /auth/tokens (the secret is returned once).
    userCreatable: true,
  },
  ...CLUSTER_KINDS,
  ...REGISTRY_KINDS,
  ...NETWORK_KINDS,
  ...AVAILABILITY_KINDS,
  ...BALANCE_KINDS,
];

const byAnyName = new Map<string, KindDef>();
for (const def of KINDS) {
  for (const n of [def.kind.toLowerCase(), def.plural, def.singular, ...def.shortNames]) byAnyName.set(n, def);
}

/** Looks a kind up by Kind, plural, singular or short name, case-insensitively. */
export function findKind(name: string): KindDef | undefined {
  return byAnyName.get(name.toLowerCase());
}

/** Registers a kind added by a later module (clusters, registry projects, ...). */
export function registerKind(def: KindDef): void {
  if (findKind(def.kind)) throw new Error(`kind ${def.kind} is already registered`);
  (KINDS as KindDef[]).push(def);
  for (const n of [def.kind.toLowerCase(), def.plural, def.singular, ...def.shortNames]) byAnyName.set(n, def);
}
