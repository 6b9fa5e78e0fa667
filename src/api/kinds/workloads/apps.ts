/**
 * Deployment and ReplicaSet (apps/v1 subset): replicas, a matchLabels selector, a pod template and,
 * for Deployments, the RollingUpdate strategy with maxSurge/maxUnavailable as an integer or a
 * percentage (defaults 25 % / 25 %, as Kubernetes).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FieldCause } from '../../errors.js';
import type { Condition, Resource } from '../../meta.js';
import { PodSpecSchema, podSpecCauses } from './pod.js';

const IntOrPercent = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+%$' })]);

export const LabelSelectorSchema = Type.Object(
  { matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())) },
  { additionalProperties: false },
);
export type LabelSelector = Static<typeof LabelSelectorSchema>;

export const PodTemplateSchema = Type.Object(
  {
    metadata: Type.Optional(
      Type.Object(
        { labels: Type.Optional(Type.Record(Type.String(), Type.String())), annotations: Type.Optional(Type.Record(Type.String(), Type.String())) },
        { additionalProperties: false },
      ),
    ),
    spec: PodSpecSchema,
  },
  { additionalProperties: false },
);
export type PodTemplate = Static<typeof PodTemplateSchema>;

export const DeploymentSpecSchema = Type.Object(
  {
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 150_000 })),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    strategy: Type.Optional(
      Type.Object(
        {
          type: Type.Optional(Type.Union([Type.Literal('RollingUpdate'), Type.Literal('Recreate')])),
          rollingUpdate: Type.Optional(Type.Object({ maxSurge: Type.Optional(IntOrPercent), maxUnavailable: Type.Optional(IntOrPercent) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    revisionHistoryLimit: Type.Optional(Type.Integer({ minimum: 0 })),
    paused: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeploymentSpec = Static<typeof DeploymentSpecSchema>;

export interface DeploymentStatus {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly conditions?: readonly Condition[];
}
export type Deployment = Resource<DeploymentSpec, DeploymentStatus>;

export const ReplicaSetSpecSchema = Type.Object(
  {
    replicas: Type.Optional(Type.Integer({ minimum: 0, maximum: 150_000 })),
    selector: LabelSelectorSchema,
    template: PodTemplateSchema,
    minReadySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type ReplicaSetSpec = Static<typeof ReplicaSetSpecSchema>;

export interface ReplicaSetStatus {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly fullyLabeledReplicas?: number;
  readonly conditions?: readonly Condition[];
}
export type ReplicaSet = Resource<ReplicaSetSpec, ReplicaSetStatus>;

/** Kubernetes' pod-template-hash label, on ReplicaSets and their pods. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Checks a workload spec beyond its schema: the selector selects the template, quantities parse. */
export function workloadSpecCauses(spec: DeploymentSpec | ReplicaSetSpec): FieldCause[] {
  const causes: FieldCause[] = [];
  const sel = spec.selector.matchLabels ?? {};
  const labels = spec.template.metadata?.labels ?? {};
  if (Object.keys(sel).length === 0) causes.push({ field: 'spec.selector.matchLabels', message: 'must select at least one label' });
  else if (!Object.entries(sel).every(([k, v]) => labels[k] === v))
    causes.push({ field: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`' });
  causes.push(...podSpecCauses(spec.template.spec, 'spec.template.spec'));
  return causes;
}

/** Resolves an int-or-percent against `total` (percent rounds up for surge, down for unavailable). */
export function resolveIntOrPercent(v: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const x = v ?? fallback;
  if (typeof x === 'number') return x;
  const pct = Number(x.slice(0, -1));
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}
