/**
 * Kinds of the balance capability (resource pools, DRS rules, DRS recommendations), added to the
 * kind registry. The pool's resource settings are the pure layer's schema (src/resources); this
 * kind adds who the pool serves: its tenant, and which of the tenant's VMs go to it by default.
 */
import { Type, type Static } from '@sinclair/typebox';
import { RULE_ENFORCEMENTS, RULE_TYPES, VM_HOST_MODES } from '../../drs/rules.js';
import { ResourcePoolSpecSchema, defaultResourcePoolSpec, type ResourcePoolStatus } from '../../resources/pool-schema.js';
import { API_VERSION, type Condition, type Resource } from '../meta.js';
import type { KindDef } from '../registry.js';

const AGE = { header: 'AGE', path: 'metadata.creationTimestamp' };

/**
 * A ResourcePool: one node of a zone's pool tree (shares, reservation, limit, expandable
 * reservation per resource), optionally owned by a tenant. Which VMs run in it:
 *   1. a VM naming it in `spec.resources.pool`;
 *   2. else a node VM of a cluster listed in `clusters`, when the VM runs in the pool's zone;
 *   3. else a VM of `tenant` running in the pool's zone, when `tenantDefault` is true;
 *   4. else the zone's root.
 */
export const ResourcePoolObjectSpecSchema = Type.Object(
  {
    ...ResourcePoolSpecSchema.properties,
    /** Owning tenant: only its VMs may run in the pool, and its users may read it. Absent: a platform pool. */
    tenant: Type.Optional(Type.String({ minLength: 1 })),
    /** The tenant's clusters whose node VMs (in this zone) run here unless they name a pool. */
    clusters: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 })),
    /** The tenant's other VMs in this zone run here unless they name a pool; at most one such pool per tenant and zone. */
    tenantDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ResourcePoolObjectSpec = Static<typeof ResourcePoolObjectSpecSchema>;

/** What the balance controller writes on a pool: the last entitlement computation and the reservations. */
export type ResourcePoolObjectStatus = ResourcePoolStatus & {
  /** VMs in the pool itself (not below it) at the last computation. */
  readonly vms?: number;
  /** Simulated time of the computation. */
  readonly computedAt?: string;
};

export type ResourcePoolObject = Resource<ResourcePoolObjectSpec, ResourcePoolObjectStatus>;

/** The pool's spec with the resource defaults filled in (normal shares, no reservation, expandable). */
export function defaultPoolObjectSpec(spec: ResourcePoolObjectSpec): ResourcePoolObjectSpec {
  const { tenant, clusters, tenantDefault, ...resources } = spec;
  return {
    ...defaultResourcePoolSpec(resources),
    ...(tenant !== undefined ? { tenant } : {}),
    ...(clusters !== undefined ? { clusters } : {}),
    ...(tenantDefault !== undefined ? { tenantDefault } : {}),
  };
}

/**
 * A DRS rule in one zone (vSphere's VM-VM affinity / anti-affinity and VM-host rules). VM-host
 * rules name their host group in `hosts`. Must rules are never broken by DRS and their violations
 * are fixed first; should rules are kept when that breaks nothing else.
 */
export const DrsRuleSpecSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1 }),
    type: Type.Union(RULE_TYPES.map((t) => Type.Literal(t))),
    /** VirtualMachine names. */
    vms: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 1000 }),
    /** VM-VM rules: `must` (default) or `should`. */
    enforcement: Type.Optional(Type.Union(RULE_ENFORCEMENTS.map((e) => Type.Literal(e)))),
    /** VM-host rules: the host group, Host names in the zone. */
    hosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 10000 })),
    /** VM-host rules: how the VMs relate to the host group. */
    mode: Type.Optional(Type.Union(VM_HOST_MODES.map((m) => Type.Literal(m)))),
  },
  { additionalProperties: false },
);
export type DrsRuleSpec = Static<typeof DrsRuleSpecSchema>;

export interface DrsRuleStatus {
  /** Whether the rule held at the last DRS pass. */
  readonly satisfied?: boolean;
  readonly message?: string;
  readonly checkedAt?: string;
  readonly conditions?: readonly Condition[];
}

export type DrsRuleObject = Resource<DrsRuleSpec, DrsRuleStatus>;

/** Why DRS recommends a move (the pure layer's kinds). */
export const DRS_RECOMMENDATION_KINDS = ['evacuate', 'mustRule', 'shouldRule', 'balance'] as const;
export type DrsRecommendationKind = (typeof DRS_RECOMMENDATION_KINDS)[number];

/** A recommendation's life: shown, carried out (a VmMigration exists), replaced by a later pass, or no longer valid. */
export const DRS_RECOMMENDATION_PHASES = ['Pending', 'Applied', 'Stale'] as const;
export type DrsRecommendationPhase = (typeof DRS_RECOMMENDATION_PHASES)[number];

/** What a DRS pass recommends: move one VM (and the VMs it must stay with) from one host to another. */
export const DrsRecommendationSpecSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1 }),
    vm: Type.String({ minLength: 1 }),
    from: Type.String({ minLength: 1 }),
    to: Type.String({ minLength: 1 }),
    kind: Type.Union(DRS_RECOMMENDATION_KINDS.map((k) => Type.Literal(k))),
    /** vSphere priority: 1 mandatory, 2 should-rule fixes, balancing 2..5. */
    priority: Type.Integer({ minimum: 1, maximum: 5 }),
    /** Other VMs of a must-affinity group moved with this one (applied all or none). */
    together: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    reason: Type.String(),
  },
  { additionalProperties: false },
);
export type DrsRecommendationSpec = Static<typeof DrsRecommendationSpecSchema>;

/** The predicted cost of the move (the simulator's pre-copy model). */
export interface DrsMoveCost {
  readonly seconds: number;
  readonly transferredMiB: number;
  readonly stunMs: number;
  readonly rounds: number;
  readonly throttled: boolean;
  readonly linkMbps: number;
}

/** The pass a recommendation came from. */
export interface DrsPassInfo {
  readonly at: string;
  readonly automation: string;
  readonly threshold: number;
  /** Target host-load standard deviation for the threshold and host count. */
  readonly target: number;
  /** Zone imbalance before the pass and after all of its recommendations. */
  readonly imbalanceBefore: number;
  readonly imbalanceAfter: number;
}

export interface DrsRecommendationStatus {
  readonly phase?: DrsRecommendationPhase;
  /** Zone imbalance before and after this move, and the difference. */
  readonly imbalanceBefore?: number;
  readonly imbalanceAfter?: number;
  readonly gain?: number;
  /** Cost-benefit in host-load·seconds: kept because benefit > cost. */
  readonly benefit?: number;
  readonly costScore?: number;
  readonly cost?: DrsMoveCost;
  readonly pass?: DrsPassInfo;
  /** VmMigration objects created when it was applied. */
  readonly migrations?: readonly string[];
  readonly appliedAt?: string;
  readonly appliedBy?: string;
  readonly message?: string;
}

export type DrsRecommendationObject = Resource<DrsRecommendationSpec, DrsRecommendationStatus>;

const specString =
  (field: string) =>
  (obj: Resource): string | undefined => {
    const v = (obj.spec as Record<string, unknown> | undefined)?.[field];
    return typeof v === 'string' ? v : undefined;
  };

export const BALANCE_KINDS: readonly KindDef[] = [
  {
    kind: 'ResourcePool',
    apiVersion: API_VERSION,
    plural: 'resourcepools',
    singular: 'resourcepool',
    shortNames: ['pool', 'pools', 'rpool'],
    scope: 'platform',
    specSchema: ResourcePoolObjectSpecSchema,
    specRequired: true,
    defaultSpec: ((s: ResourcePoolObjectSpec) => defaultPoolObjectSpec(s)) as (spec: never) => unknown,
    // Created by administrators; a tenant's pools are readable by the tenant's users.
    tenantOf: specString('tenant'),
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ZONE', path: 'spec.zone' },
      { header: 'PARENT', path: 'spec.parent' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'CPU-SHARES', path: 'spec.cpu.shares.level' },
      { header: 'CPU-RES-MHZ', path: 'spec.cpu.reservationMHz' },
      { header: 'CPU-LIMIT-MHZ', path: 'spec.cpu.limitMHz' },
      { header: 'CPU-ENTITLED-MHZ', path: 'status.cpu.entitlementMHz' },
      { header: 'MEM-RES-MIB', path: 'spec.memory.reservationMiB' },
      { header: 'MEM-ENTITLED-MIB', path: 'status.memory.entitlementMiB' },
      { header: 'CLUSTERS', path: 'spec.clusters', wide: true },
      { header: 'CPU-USAGE-MHZ', path: 'status.cpu.usageMHz', wide: true },
      { header: 'MEM-USAGE-MIB', path: 'status.memory.usageMiB', wide: true },
      { header: 'VMS', path: 'status.vms', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'DrsRule',
    apiVersion: API_VERSION,
    plural: 'drsrules',
    singular: 'drsrule',
    shortNames: [],
    scope: 'platform',
    specSchema: DrsRuleSpecSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ZONE', path: 'spec.zone' },
      { header: 'TYPE', path: 'spec.type' },
      { header: 'ENFORCEMENT', path: 'spec.enforcement' },
      { header: 'MODE', path: 'spec.mode' },
      { header: 'VMS', path: 'spec.vms' },
      { header: 'HOSTS', path: 'spec.hosts', wide: true },
      { header: 'SATISFIED', path: 'status.satisfied' },
      { header: 'MESSAGE', path: 'status.message', wide: true },
      AGE,
    ],
    userCreatable: true,
  },
  {
    kind: 'DrsRecommendation',
    apiVersion: API_VERSION,
    plural: 'drsrecommendations',
    singular: 'drsrecommendation',
    shortNames: ['drsrec', 'drsrecs'],
    scope: 'platform',
    specSchema: DrsRecommendationSpecSchema,
    specRequired: true,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'ZONE', path: 'spec.zone' },
      { header: 'VM', path: 'spec.vm' },
      { header: 'FROM', path: 'spec.from' },
      { header: 'TO', path: 'spec.to' },
      { header: 'KIND', path: 'spec.kind' },
      { header: 'PRIORITY', path: 'spec.priority' },
      { header: 'PHASE', path: 'status.phase' },
      { header: 'REASON', path: 'spec.reason', wide: true },
      AGE,
    ],
    // Written by the DRS controller; applied with POST /drs/v1/apply (bulkhead drs apply).
    userCreatable: false,
  },
];
