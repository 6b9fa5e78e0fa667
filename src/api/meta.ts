/**
 * The Kubernetes object shape every Bulkhead resource has: apiVersion, kind, metadata, spec,
 * status. Quantities are integers with their unit in the name; nothing here imports other folders.
 */
import { Type, type Static } from '@sinclair/typebox';

/** API group/version of platform and tenant kinds. */
export const API_GROUP = 'bulkhead.dev';
export const API_VERSION = `${API_GROUP}/v1`;

/** A DNS-1123 label: what names of zones, hosts, VMs, tenants, users must be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

export const OwnerReferenceSchema = Type.Object(
  {
    apiVersion: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    uid: Type.String(),
    controller: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type OwnerReference = Static<typeof OwnerReferenceSchema>;

/** User-settable metadata; the server fills the rest. */
export const ObjectMetaSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: DNS_LABEL_MAX }),
    namespace: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
    resourceVersion: Type.Optional(Type.String()),
    generation: Type.Optional(Type.Integer()),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    ownerReferences: Type.Optional(Type.Array(OwnerReferenceSchema)),
    finalizers: Type.Optional(Type.Array(Type.String())),
    creationTimestamp: Type.Optional(Type.String()),
    deletionTimestamp: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export interface ObjectMeta {
  readonly name: string;
  /** Tenant-scoped kinds live in their tenant's namespace; platform kinds have none. */
  readonly namespace?: string;
  readonly uid?: string;
  /** Opaque to clients; the store's revision at the object's last write. */
  readonly resourceVersion?: string;
  /** Incremented by the store whenever spec changes. */
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly finalizers?: readonly string[];
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
}

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

/** A controller's observation about one aspect of an object. */
export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

export const ConditionSchema = Type.Object({
  type: Type.String(),
  status: Type.Union(CONDITION_STATUSES.map((s) => Type.Literal(s))),
  reason: Type.String(),
  message: Type.String(),
  lastTransitionTime: Type.String(),
  observedGeneration: Type.Optional(Type.Integer()),
});

/** Any stored object. Spec and status are kind-specific; the generic layers treat them as data. */
export interface Resource<Spec = unknown, Status = unknown> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: Spec;
  readonly status?: Status;
}

/** What the store keys every object by. `namespace` is '' for platform-scoped objects. */
export interface ObjectKey {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function keyOf(obj: Resource): ObjectKey {
  return { kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
}

export function formatKey(key: ObjectKey): string {
  return key.namespace ? `${key.kind}/${key.namespace}/${key.name}` : `${key.kind}/${key.name}`;
}

/** Returns a copy of `conditions` with `next` set, keeping lastTransitionTime when status is unchanged. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'> & { lastTransitionTime?: string },
  now: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = prev && prev.status === next.status ? prev.lastTransitionTime : (next.lastTransitionTime ?? now);
  const cond: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = cond;
  else list.push(cond);
  return list;
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
