/** Zone: a group of hosts with isolation and overcommit policy (vSphere cluster / availability zone). */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

export const ISOLATION_MODES = ['shared', 'per-sensitivity', 'per-tenant'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/** vSphere HA per zone: failure detection and admission control. */
export const ZoneHaSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    /** A host silent this long (management and datastore heartbeats) is declared dead (default 15). */
    deadAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    /**
     * Admission control: reserve a share of capacity (`percentage`, or derived from
     * `tolerateHostFailures`), keep dedicated `failoverHosts` empty, use slots, or none.
     */
    admissionControl: Type.Optional(
      Type.Object(
        {
          policy: Type.Union([Type.Literal('percentage'), Type.Literal('failoverHosts'), Type.Literal('slots'), Type.Literal('disabled')]),
          tolerateHostFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          cpuPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          memoryPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          failoverHosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ZoneHa = Static<typeof ZoneHaSchema>;

export const DRS_AUTOMATION_LEVELS = ['manual', 'partiallyAutomated', 'fullyAutomated'] as const;

/** vSphere DRS per zone: how often, how eagerly and how automatically to rebalance. */
export const ZoneDrsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    automation: Type.Optional(Type.Union(DRS_AUTOMATION_LEVELS.map((a) => Type.Literal(a)))),
    /** Migration threshold 1 (conservative) to 5 (aggressive); default 3. */
    migrationThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    /** Balancing pass period on the simulated clock (default 300 s). */
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 86400 })),
  },
  { additionalProperties: false },
);
export type ZoneDrs = Static<typeof ZoneDrsSchema>;

export const ZoneSpecSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    /** What may share a host: anything, only VMs of one sensitivity level, or only one tenant's VMs. */
    isolation: Type.Optional(Type.Union(ISOLATION_MODES.map((m) => Type.Literal(m)))),
    /** vCPUs placeable per physical core, in percent (400 = 4:1). */
    cpuOvercommitPercent: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000 })),
    /** Memory placeable per MiB of host memory, in percent (100 = no overcommit). */
    memoryOvercommitPercent: Type.Optional(Type.Integer({ minimum: 50, maximum: 400 })),
    ha: Type.Optional(ZoneHaSchema),
    drs: Type.Optional(ZoneDrsSchema),
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
