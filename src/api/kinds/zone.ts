/** Zone: a group of hosts with isolation and overcommit policy (vSphere cluster / availability zone). */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const ISOLATION_MODES = ['shared', 'per-sensitivity', 'per-tenant'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

export const ZoneSpecSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    /** What may share a host: anything, only VMs of one sensitivity level, or only one tenant's VMs. */
    isolation: Type.Optional(Type.Union(ISOLATION_MODES.map((m) => Type.Literal(m)))),
    /** vCPUs placeable per physical core, in percent (400 = 4:1). */
    cpuOvercommitPercent: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000 })),
    /** Memory placeable per MiB of host memory, in percent (100 = no overcommit). */
    memoryOvercommitPercent: Type.Optional(Type.Integer({ minimum: 50, maximum: 400 })),
  },
  { additionalProperties: false },
);
export type ZoneSpec = Static<typeof ZoneSpecSchema>;

export interface ZoneStatus {
  readonly hosts?: number;
  readonly readyHosts?: number;
  readonly vms?: number;
}

export type Zone = Resource<ZoneSpec, ZoneStatus>;

export const ZONE_DEFAULTS = {
  isolation: 'per-sensitivity' as IsolationMode,
  cpuOvercommitPercent: 400,
  memoryOvercommitPercent: 100,
};

export function defaultZoneSpec(spec: ZoneSpec): ZoneSpec {
  return {
    ...spec,
    isolation: spec.isolation ?? ZONE_DEFAULTS.isolation,
    cpuOvercommitPercent: spec.cpuOvercommitPercent ?? ZONE_DEFAULTS.cpuOvercommitPercent,
    memoryOvercommitPercent: spec.memoryOvercommitPercent ?? ZONE_DEFAULTS.memoryOvercommitPercent,
  };
}
