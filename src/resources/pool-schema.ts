/**
 * The ResourcePool spec and the per-VM allocation settings (shares, reservation, limit), as
 * TypeBox schemas so the API layer validates them like every other kind. Quantities are integers
 * with their unit in the name; an absent limit means unlimited, an absent reservation 0, absent
 * shares `normal`, an absent expandableReservation true (vSphere's defaults for a new pool).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../api/index.js';
import { MAX_CUSTOM_SHARES, SHARES_LEVELS } from './shares.js';

/** Shares as written: a level, and a number when the level is `custom`. */
export const SharesSchema = Type.Object(
  {
    level: Type.Union(SHARES_LEVELS.map((l) => Type.Literal(l))),
    shares: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CUSTOM_SHARES })),
  },
  { additionalProperties: false },
);
export type SharesSpec = Static<typeof SharesSchema>;

/** CPU settings of a pool. */
export const PoolCpuAllocationSchema = Type.Object(
  {
    shares: Type.Optional(SharesSchema),
    reservationMHz: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Absent: unlimited. */
    limitMHz: Type.Optional(Type.Integer({ minimum: 0 })),
    /** May borrow unreserved capacity from the parent when its own reservation is used up. */
    expandableReservation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PoolCpuAllocation = Static<typeof PoolCpuAllocationSchema>;

/** Memory settings of a pool. */
export const PoolMemoryAllocationSchema = Type.Object(
  {
    shares: Type.Optional(SharesSchema),
    reservationMiB: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Absent: unlimited. */
    limitMiB: Type.Optional(Type.Integer({ minimum: 0 })),
    expandableReservation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PoolMemoryAllocation = Static<typeof PoolMemoryAllocationSchema>;

/** ResourcePool spec: a node of a zone's pool tree. */
export const ResourcePoolSpecSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1 }),
    /** Parent pool's name; absent: the zone's root (all of the zone's capacity). */
    parent: Type.Optional(Type.String({ minLength: 1 })),
    cpu: Type.Optional(PoolCpuAllocationSchema),
    memory: Type.Optional(PoolMemoryAllocationSchema),
  },
  { additionalProperties: false },
);
export type ResourcePoolSpec = Static<typeof ResourcePoolSpecSchema>;

/** What a controller writes back on a pool: the last entitlement computation and reservations. */
export interface ResourcePoolStatus {
  readonly cpu?: { readonly demandMHz: number; readonly entitlementMHz: number; readonly usageMHz: number; readonly reservedMHz: number; readonly unreservedMHz: number };
  readonly memory?: { readonly demandMiB: number; readonly entitlementMiB: number; readonly usageMiB: number; readonly reservedMiB: number; readonly unreservedMiB: number };
  readonly conditions?: readonly Condition[];
  readonly observedGeneration?: number;
}

export type ResourcePool = Resource<ResourcePoolSpec, ResourcePoolStatus>;

/** A VM's CPU settings (a VM has no expandable reservation). */
export const VmCpuAllocationSchema = Type.Object(
  {
    shares: Type.Optional(SharesSchema),
    reservationMHz: Type.Optional(Type.Integer({ minimum: 0 })),
    limitMHz: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type VmCpuAllocation = Static<typeof VmCpuAllocationSchema>;

/** A VM's memory settings. */
export const VmMemoryAllocationSchema = Type.Object(
  {
    shares: Type.Optional(SharesSchema),
    reservationMiB: Type.Optional(Type.Integer({ minimum: 0 })),
    limitMiB: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type VmMemoryAllocation = Static<typeof VmMemoryAllocationSchema>;

/** Resource settings a VirtualMachine spec can carry (e.g. as `spec.resources`): its pool and RLS. */
export const VmResourceAllocationSchema = Type.Object(
  {
    /** Pool name; absent: the zone root. */
    pool: Type.Optional(Type.String({ minLength: 1 })),
    cpu: Type.Optional(VmCpuAllocationSchema),
    memory: Type.Optional(VmMemoryAllocationSchema),
  },
  { additionalProperties: false },
);
export type VmResourceAllocation = Static<typeof VmResourceAllocationSchema>;

/** The pool spec with every default filled in, as the API server stores it. */
export function defaultResourcePoolSpec(spec: ResourcePoolSpec): ResourcePoolSpec {
  const cpu = spec.cpu ?? {};
  const memory = spec.memory ?? {};
  return {
    ...spec,
    cpu: { ...cpu, shares: cpu.shares ?? { level: 'normal' }, reservationMHz: cpu.reservationMHz ?? 0, expandableReservation: cpu.expandableReservation ?? true },
    memory: {
      ...memory,
      shares: memory.shares ?? { level: 'normal' },
      reservationMiB: memory.reservationMiB ?? 0,
      expandableReservation: memory.expandableReservation ?? true,
    },
  };
}
