/**
 * Plan: a catalogue entry for clusters (the PKS tile's plans): control-plane size and count,
 * worker size and limits, Kubernetes versions, drain and BOSH-style update settings. Read by
 * every user (`sharedRead`), written by platform administrators.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Resource } from '../meta.js';

/** The control-plane sizes an etcd quorum allows (pks-bosh-capi.md §1.4). */
export const CONTROL_PLANE_COUNTS = [1, 3, 5] as const;

const VmSizeSchema = Type.Object(
  {
    cpus: Type.Integer({ minimum: 1, maximum: 768 }),
    memoryMiB: Type.Integer({ minimum: 128 }),
  },
  { additionalProperties: false },
);

/** An integer or a percentage such as "20%" (BOSH canaries / max_in_flight). */
const CountOrPercent = Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9][0-9]?%$|^100%$' })]);

export const PlanUpdateSchema = Type.Object(
  {
    /** Workers updated first; a failed canary stops the rollout (BOSH default for PKS: 1). */
    canaries: Type.Optional(CountOrPercent),
    /** Non-canary workers updated in parallel (at least 1 when a percentage). */
    maxInFlight: Type.Optional(CountOrPercent),
    /** How long a recreated canary must stay Running before the rollout continues. */
    canaryWatchTimeMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** The same for the other nodes. */
    updateWatchTimeMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** A recreated node that is not Running this long after its create fails (CAPI nodeStartupTimeout: 10 min). */
    nodeStartupTimeoutMs: Type.Optional(Type.Integer({ minimum: 1000 })),
  },
  { additionalProperties: false },
);

export const PlanSpecSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 512 })),
    controlPlaneNodes: Type.Union(CONTROL_PLANE_COUNTS.map((n) => Type.Literal(n))),
    controlPlaneVm: VmSizeSchema,
    workerVm: VmSizeSchema,
    /** Persistent disk of every node; it survives the node's recreation. */
    persistentDiskMiB: Type.Integer({ minimum: 1024 }),
    defaultWorkers: Type.Integer({ minimum: 1 }),
    maxWorkers: Type.Integer({ minimum: 1, maximum: 5000 }),
    /** Zones the cluster's nodes may use; the tenant's zones when absent. */
    zones: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Kubernetes versions offered; the first is the default. */
    kubernetesVersions: Type.Array(Type.String({ pattern: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$' }), { minItems: 1 }),
    maxPodsPerNode: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    update: Type.Optional(PlanUpdateSchema),
    /** Longest wait for a node's pods to leave before it is deleted anyway (0: no wait). */
    drainTimeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type PlanSpec = Static<typeof PlanSpecSchema>;
export type PlanUpdate = Static<typeof PlanUpdateSchema>;

/** Defaults from the reference: 110 pods per node, 1 canary, 1 in flight, 30 s watch, 10 min startup, 5 min drain. */
export const PLAN_DEFAULTS = {
  maxPodsPerNode: 110,
  canaries: 1,
  maxInFlight: 1,
  canaryWatchTimeMs: 30_000,
  updateWatchTimeMs: 30_000,
  nodeStartupTimeoutMs: 600_000,
  drainTimeoutMs: 300_000,
} as const;

/** The plan with every optional setting filled in. */
export function defaultPlanSpec(s: PlanSpec): PlanSpec {
  const u = s.update ?? {};
  return {
    ...s,
    maxPodsPerNode: s.maxPodsPerNode ?? PLAN_DEFAULTS.maxPodsPerNode,
    drainTimeoutMs: s.drainTimeoutMs ?? PLAN_DEFAULTS.drainTimeoutMs,
    update: {
      canaries: u.canaries ?? PLAN_DEFAULTS.canaries,
      maxInFlight: u.maxInFlight ?? PLAN_DEFAULTS.maxInFlight,
      canaryWatchTimeMs: u.canaryWatchTimeMs ?? PLAN_DEFAULTS.canaryWatchTimeMs,
      updateWatchTimeMs: u.updateWatchTimeMs ?? PLAN_DEFAULTS.updateWatchTimeMs,
      nodeStartupTimeoutMs: u.nodeStartupTimeoutMs ?? PLAN_DEFAULTS.nodeStartupTimeoutMs,
    },
  };
}

/** Resolves an integer-or-percent setting against a group size; a percentage never yields less than 1. */
export function resolveCount(v: number | string | undefined, total: number, fallback: number): number {
  if (v === undefined) return Math.max(1, Math.min(fallback, total));
  if (typeof v === 'number') return Math.max(1, v);
  const pct = Number(v.replace('%', ''));
  return Math.max(1, Math.floor((total * pct) / 100));
}

export type Plan = Resource<PlanSpec>;
