/**
 * Validation of workload objects at the edge: apiVersion and kind, metadata (DNS name, namespace
 * agreeing with the URL), the kind's schema, quantities and selector/template agreement, a
 * NetworkPolicy's every field (the network policy engine's validator), a Service's fields (the
 * load balancer's compiler) and a Namespace's subnet annotations, each cause named by its field
 * path. Produces the stored form (namespace `<cluster>/<ns>`), and the API form back (Kubernetes'
 * namespace). A Service's ClusterIP is allocated when it is created (handlers.ts).
 */
import {
  ObjectMetaSchema,
  ValidationError,
  nameCauses,
  podSpecCauses,
  qosClass,
  schemaCauses,
  workloadSpecCauses,
  type DeploymentSpec,
  type FieldCause,
  type KindDef,
  type PodSpec,
  type Resource,
} from '../../api/index.js';
import { compileService, DEFAULT_IPAM_CONFIG, subnetAnnotationCauses, validateNetworkPolicy, type ServiceSpecInput } from '../../network/index.js';
import { splitStoreNamespace, storeNamespace } from '../names.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Causes the network finds in a Service spec that passed the schema (ports, affinity, VIP fields, pool settings). */
function serviceCauses(spec: unknown, cluster: string, ns: string, name: string): FieldCause[] {
  try {
    compileService({ cluster, namespace: ns, name }, spec as ServiceSpecInput);
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return [...e.causes];
    throw e;
  }
}

/** Parses a request body into the stored object of `def` in `cluster` (and `ns` unless a Namespace). */
export function parseWorkload(def: KindDef, body: unknown, cluster: string, ns: string | undefined): Resource {
  if (!isRecord(body)) throw ValidationError.field('(body)', 'must be a JSON object');
  const meta = body['metadata'];
  const context = { kind: def.kind, ...(isRecord(meta) && typeof meta['name'] === 'string' ? { name: meta['name'] } : {}) };
  const causes: FieldCause[] = [];
  if (body['kind'] !== undefined && body['kind'] !== def.kind) causes.push({ field: 'kind', message: `is ${JSON.stringify(body['kind'])} but the URL is for ${def.kind}` });
  if (body['apiVersion'] !== undefined && body['apiVersion'] !== def.apiVersion) causes.push({ field: 'apiVersion', message: `must be "${def.apiVersion}" for kind ${def.kind}` });
  if (!isRecord(meta)) causes.push({ field: 'metadata', message: meta === undefined ? 'required field is missing' : 'must be an object' });
  else {
    causes.push(...schemaCauses(ObjectMetaSchema, meta, 'metadata'), ...nameCauses(meta['name']));
    const given = meta['namespace'];
    if (ns !== undefined && given !== undefined && given !== ns) causes.push({ field: 'metadata.namespace', message: `"${String(given)}" does not match the namespace in the URL ("${ns}")` });
  }
  let spec = body['spec'];
  if (spec === undefined && !def.specRequired) spec = {};
  if (spec === undefined) causes.push({ field: 'spec', message: 'required field is missing' });
  else {
    const schema = schemaCauses(def.specSchema, spec, 'spec');
    causes.push(...schema);
    if (schema.length === 0 && def.kind === 'Pod') causes.push(...podSpecCauses(spec as PodSpec, 'spec'));
    if (schema.length === 0 && (def.kind === 'Deployment' || def.kind === 'ReplicaSet')) causes.push(...workloadSpecCauses(spec as DeploymentSpec));
    if (schema.length === 0 && def.kind === 'NetworkPolicy') causes.push(...validateNetworkPolicy(spec));
    if (schema.length === 0 && def.kind === 'Service') causes.push(...serviceCauses(spec, cluster, ns ?? '', isRecord(meta) ? String(meta['name']) : ''));
  }
  if (def.kind === 'Namespace' && isRecord(meta) && isRecord(meta['annotations']))
    causes.push(...subnetAnnotationCauses(meta['annotations'] as Record<string, string>, DEFAULT_IPAM_CONFIG.tenantBlockPrefix));
  for (const k of Object.keys(body)) if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k)) causes.push({ field: k, message: 'unknown field' });
  if (causes.length) throw new ValidationError(causes, context);
  const m = meta as Record<string, unknown>;
  const { uid: _u, resourceVersion, generation: _g, creationTimestamp: _c, deletionTimestamp: _d, namespace: _n, ...userMeta } = m;
  const name = String(m['name']);
  let filled = spec as Record<string, unknown>;
  if (def.kind === 'Service') filled = { type: 'ClusterIP', ...filled };
  if (def.kind === 'Deployment') filled = { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, ...filled };
  const obj: Resource = {
    apiVersion: def.apiVersion,
    kind: def.kind,
    metadata: { ...(userMeta as Partial<Resource['metadata']>), name, namespace: ns === undefined ? cluster : storeNamespace(cluster, ns), ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) },
    spec: filled,
    ...(def.kind === 'Pod' ? { status: { phase: 'Pending', qosClass: qosClass(filled as PodSpec) } } : {}),
    ...(def.kind === 'Namespace' ? { status: { phase: 'Active' } } : {}),
  };
  return obj;
}

/** The object as a Kubernetes client sees it: `metadata.namespace` is the namespace inside the cluster. */
export function toApi<T extends Resource>(obj: T): T {
  if (obj.kind === 'Namespace') {
    const { namespace: _ns, ...meta } = obj.metadata;
    return { ...obj, metadata: meta };
  }
  return { ...obj, metadata: { ...obj.metadata, namespace: splitStoreNamespace(obj.metadata.namespace).namespace } };
}
