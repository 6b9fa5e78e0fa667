/**
 * The scenario file's shape, in TypeBox: what `bulkhead sim run` reads. Structure only (types,
 * ranges, unknown fields); durations, quantities, demand profiles and cross-references are checked
 * by parse.ts, which names the field of every problem.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ISOLATION_MODES, RESTART_PRIORITIES, SENSITIVITY_LEVELS } from '../../api/index.js';

/** `apiVersion` and `kind` a scenario file must carry. */
export const SCENARIO_API_VERSION = 'bulkhead.dev/v1';
export const SCENARIO_KIND = 'Scenario';

const Name = Type.String({ minLength: 1, maxLength: 63 });
/** A duration string (`90s`, `15m`, `2h`, `1h30m`); parsed by duration.ts. */
const Duration = Type.String({ minLength: 1 });
/** A Kubernetes quantity (`500m`, `2`, `1Gi`). */
const Quantity = Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })]);
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const HostGroupSchema = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 100_000 }),
    namePrefix: Type.String({ minLength: 1 }),
    startIndex: Type.Optional(Type.Integer({ minimum: 0 })),
    indexWidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    sockets: Type.Integer({ minimum: 1, maximum: 16 }),
    numaNodesPerSocket: Type.Integer({ minimum: 1, maximum: 16 }),
    coresPerSocket: Type.Integer({ minimum: 1, maximum: 1024 }),
    memoryMiB: Type.Integer({ minimum: 1024 }),
    nicMbps: Type.Integer({ minimum: 100 }),
    features: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

const ZoneSchema = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String()),
    /** What may share a host (the Zone kind's field); default per-sensitivity. */
    isolation: Type.Optional(literals(ISOLATION_MODES)),
    cpuOvercommitPercent: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000 })),
    memoryOvercommitPercent: Type.Optional(Type.Integer({ minimum: 50, maximum: 400 })),
    hostGroups: Type.Array(HostGroupSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

const TenantSchema = Type.Object(
  { name: Name, sensitivity: literals(SENSITIVITY_LEVELS), zones: Type.Optional(Type.Array(Name, { minItems: 1 })) },
  { additionalProperties: false },
);

const NodeSizeSchema = Type.Object({ cpus: Type.Integer({ minimum: 1, maximum: 768 }), memoryMiB: Type.Integer({ minimum: 128 }) }, { additionalProperties: false });

const PlanSchema = Type.Object(
  {
    name: Name,
    controlPlane: Type.Object(
      { nodes: Type.Integer({ minimum: 0, maximum: 7 }), cpus: Type.Integer({ minimum: 1, maximum: 768 }), memoryMiB: Type.Integer({ minimum: 128 }) },
      { additionalProperties: false },
    ),
    worker: NodeSizeSchema,
    maxPodsPerNode: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const ClusterSchema = Type.Object(
  {
    name: Name,
    tenant: Name,
    plan: Type.Optional(Name),
    workers: Type.Integer({ minimum: 1, maximum: 5000 }),
    /** Zones the nodes may use; the tenant's when absent. */
    zones: Type.Optional(Type.Array(Name, { minItems: 1 })),
    /** vSphere CPU reservation of every node VM, in percent of its vCPUs; default 0. */
    cpuReservationPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    /** HA restart priority of the workers (control-plane nodes restart one level higher). */
    restartPriority: Type.Optional(literals(RESTART_PRIORITIES)),
  },
  { additionalProperties: false },
);

const WorkloadSchema = Type.Object(
  {
    name: Name,
    cluster: Name,
    replicas: Type.Integer({ minimum: 0, maximum: 100_000 }),
    requests: Type.Object({ cpu: Quantity, memory: Quantity }, { additionalProperties: false }),
    limits: Type.Optional(Type.Object({ cpu: Type.Optional(Quantity), memory: Type.Optional(Quantity) }, { additionalProperties: false })),
    /** A demand profile (resources' DemandProfileSchema, per pod); constant at the requests when absent. */
    demand: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const TIMELINE_ACTIONS = ['failHost', 'recoverHost', 'scale', 'load'] as const;
export type TimelineActionName = (typeof TIMELINE_ACTIONS)[number];

const TimelineEntrySchema = Type.Object(
  {
    at: Duration,
    action: literals(TIMELINE_ACTIONS),
    /** failHost, recoverHost: a host name; failHost also takes `random` (a seeded pick). */
    host: Type.Optional(Type.String({ minLength: 1 })),
    /** failHost: instead of a host, the host that runs this cluster node (`<cluster>-w-<i>`, `<cluster>-cp-<i>`) then: the same failure in both designs. */
    node: Type.Optional(Type.String({ minLength: 1 })),
    /** failHost random: pick in this zone. */
    zone: Type.Optional(Name),
    /** failHost: bring the host back after this long. */
    recoverAfter: Type.Optional(Duration),
    /** scale, load: `<cluster>/<workload>`. */
    workload: Type.Optional(Type.String({ minLength: 3 })),
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    /** load: demand in percent of the profile's (100 = as profiled). */
    percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

const ChurnSchema = Type.Object(
  {
    tenant: Name,
    perHour: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    meanLifetime: Duration,
    cpus: Type.Integer({ minimum: 1, maximum: 768 }),
    memoryMiB: Type.Integer({ minimum: 128 }),
    cpuDemandPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    zone: Type.Optional(Name),
  },
  { additionalProperties: false },
);

const FaultsSchema = Type.Object(
  {
    randomHostFailures: Type.Optional(
      Type.Object(
        { perDay: Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), repairAfter: Type.Optional(Duration), zones: Type.Optional(Type.Array(Name, { minItems: 1 })) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const SpecSchema = Type.Object(
  {
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 })),
    duration: Duration,
    sampleEvery: Type.Optional(Duration),
    /** ISO 8601 start of the virtual clock (demand profiles are UTC time-of-day); default 2026-01-01T00:00:00Z. */
    start: Type.Optional(Type.String({ minLength: 10 })),
    coreMHz: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000 })),
    topology: Type.Object({ zones: Type.Array(ZoneSchema, { minItems: 1 }) }, { additionalProperties: false }),
    tenants: Type.Array(TenantSchema, { minItems: 1 }),
    plans: Type.Optional(Type.Array(PlanSchema)),
    clusters: Type.Array(ClusterSchema),
    workloads: Type.Optional(Type.Array(WorkloadSchema)),
    churn: Type.Optional(Type.Array(ChurnSchema)),
    faults: Type.Optional(FaultsSchema),
    timeline: Type.Optional(Type.Array(TimelineEntrySchema)),
    /** Initial VM placement: the default scheduler's spread, or bin-packing (a skewed start for DRS to fix). */
    initialPlacement: Type.Optional(literals(['spread', 'pack'] as const)),
    drs: Type.Optional(
      Type.Object(
        { enabled: Type.Optional(Type.Boolean()), threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })), interval: Type.Optional(Duration) },
        { additionalProperties: false },
      ),
    ),
    ha: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), detection: Type.Optional(Duration) }, { additionalProperties: false })),
    bareMetal: Type.Optional(Type.Object({ reprovision: Type.Optional(Duration) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/** The whole file. */
export const ScenarioFileSchema = Type.Object(
  {
    apiVersion: Type.Literal(SCENARIO_API_VERSION),
    kind: Type.Literal(SCENARIO_KIND),
    metadata: Type.Object({ name: Name, description: Type.Optional(Type.String()) }, { additionalProperties: false }),
    spec: SpecSchema,
  },
  { additionalProperties: false },
);

export type ScenarioFile = Static<typeof ScenarioFileSchema>;
export type ScenarioFileSpec = ScenarioFile['spec'];
