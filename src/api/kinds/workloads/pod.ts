/**
 * Pod (core/v1 subset): containers with image, requests, limits and ports; node selector,
 * tolerations, nodeName. Quantities keep the Kubernetes string form in the object; the compiled
 * requests (milli-CPU, MiB) and the QoS class are derived here, in one place.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FieldCause } from '../../errors.js';
import type { Condition, Resource } from '../../meta.js';
import type { PlacementExplanation } from '../virtual-machine.js';
import { parseCpuMillis, parseMemoryMiB } from './quantity.js';

const Quantity = Type.Union([Type.String(), Type.Number()]);
export const ResourceListSchema = Type.Object({ cpu: Type.Optional(Quantity), memory: Type.Optional(Quantity) }, { additionalProperties: false });

export const ContainerSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    image: Type.String({ minLength: 1 }),
    command: Type.Optional(Type.Array(Type.String())),
    args: Type.Optional(Type.Array(Type.String())),
    env: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), value: Type.Optional(Type.String()) }))),
    ports: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.Optional(Type.String()),
          containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
          protocol: Type.Optional(Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')])),
        }),
      ),
    ),
    resources: Type.Optional(Type.Object({ requests: Type.Optional(ResourceListSchema), limits: Type.Optional(ResourceListSchema) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type Container = Static<typeof ContainerSchema>;

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export const TolerationSchema = Type.Object(
  {
    key: Type.Optional(Type.String()),
    operator: Type.Optional(Type.Union([Type.Literal('Equal'), Type.Literal('Exists')])),
    value: Type.Optional(Type.String()),
    effect: Type.Optional(Type.Union(TAINT_EFFECTS.map((e) => Type.Literal(e)))),
    tolerationSeconds: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type Toleration = Static<typeof TolerationSchema>;

export const PodSpecSchema = Type.Object(
  {
    containers: Type.Array(ContainerSchema, { minItems: 1 }),
    nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
    tolerations: Type.Optional(Type.Array(TolerationSchema)),
    nodeName: Type.Optional(Type.String()),
    restartPolicy: Type.Optional(Type.Union([Type.Literal('Always'), Type.Literal('OnFailure'), Type.Literal('Never')])),
    terminationGracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type PodSpec = Static<typeof PodSpecSchema>;

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];
export const QOS_CLASSES = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
export type QosClass = (typeof QOS_CLASSES)[number];

export interface ContainerStatus {
  readonly name: string;
  readonly image: string;
  readonly ready: boolean;
  readonly state: 'waiting' | 'running' | 'terminated';
  readonly reason?: string;
  readonly message?: string;
}

export interface PodStatus {
  readonly phase?: PodPhase;
  readonly conditions?: readonly Condition[];
  readonly qosClass?: QosClass;
  /** The ESXi-like host of the node VM (Bulkhead's hostIP). */
  readonly host?: string;
  readonly zone?: string;
  readonly podIP?: string;
  readonly startTime?: string;
  readonly reason?: string;
  readonly message?: string;
  /** Ready containers over all, as `kubectl get pods` shows it ("1/1"). */
  readonly ready?: string;
  readonly containerStatuses?: readonly ContainerStatus[];
  /** The pod scheduler's explanation, as for VMs. */
  readonly placement?: PlacementExplanation;
}

export type Pod = Resource<PodSpec, PodStatus>;

/** A pod's effective requests: the sum over containers, each request defaulting to its limit. */
export interface PodRequests {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

function field(c: Container, kind: 'requests' | 'limits', res: 'cpu' | 'memory'): string | number | undefined {
  return c.resources?.[kind]?.[res];
}

function num(res: 'cpu' | 'memory', v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const r = res === 'cpu' ? parseCpuMillis(v) : parseMemoryMiB(v);
  return r.ok ? r.value : undefined;
}

/** Sum of container requests (a request defaults to the limit, as the API server defaults it). */
export function podRequests(spec: PodSpec): PodRequests {
  let cpuMillis = 0;
  let memoryMiB = 0;
  for (const c of spec.containers) {
    cpuMillis += num('cpu', field(c, 'requests', 'cpu') ?? field(c, 'limits', 'cpu')) ?? 0;
    memoryMiB += num('memory', field(c, 'requests', 'memory') ?? field(c, 'limits', 'memory')) ?? 0;
  }
  return { cpuMillis, memoryMiB };
}

/**
 * QoS class as Kubernetes derives it: BestEffort when no container sets any CPU/memory request
 * or limit; Guaranteed when every container has CPU and memory limits and its requests (defaulted
 * to the limits) equal them; Burstable otherwise.
 */
export function qosClass(spec: PodSpec): QosClass {
  let any = false;
  let guaranteed = true;
  for (const c of spec.containers) {
    for (const res of ['cpu', 'memory'] as const) {
      const limit = num(res, field(c, 'limits', res));
      const request = num(res, field(c, 'requests', res)) ?? limit;
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Checks every quantity of a pod spec, naming the field (`spec.containers[0].resources.requests.cpu`). */
export function podSpecCauses(spec: PodSpec, prefix: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  spec.containers.forEach((c, i) => {
    const at = `${prefix}.containers[${i}]`;
    if (names.has(c.name)) causes.push({ field: `${at}.name`, message: `duplicate container name "${c.name}"` });
    names.add(c.name);
    for (const kind of ['requests', 'limits'] as const) {
      for (const res of ['cpu', 'memory'] as const) {
        const v = field(c, kind, res);
        if (v === undefined) continue;
        const r = res === 'cpu' ? parseCpuMillis(v) : parseMemoryMiB(v);
        if (!r.ok) causes.push({ field: `${at}.resources.${kind}.${res}`, message: r.message });
      }
    }
    for (const res of ['cpu', 'memory'] as const) {
      const req = num(res, field(c, 'requests', res));
      const lim = num(res, field(c, 'limits', res));
      if (req !== undefined && lim !== undefined && req > lim)
        causes.push({ field: `${at}.resources.requests.${res}`, message: `must be less than or equal to ${res} limit` });
    }
  });
  return causes;
}
