/**
 * The workload REST handlers, Kubernetes-compatible, for one kind at a time: list (one namespace
 * or all; labelSelector; watch), create, get, replace, delete. Deleting a Namespace deletes every
 * workload object in it; deleting a Deployment or ReplicaSet cascades through the controllers. A
 * Service gets its ClusterIP in the transaction that creates it and gives it back in the one that
 * deletes it; the address is immutable in between.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotFoundError, ValidationError, WORKLOAD_KINDS, type KindDef, type Resource } from '../../api/index.js';
import { createWithClusterIp, deleteWithClusterIp, subnetConflictCauses } from '../../network/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { storeNamespace } from '../names.js';
import { authorize, requireNamespace } from './access.js';
import { admitImages } from './image-admission.js';
import { parseWorkload, toApi } from './parse.js';
import { streamWorkloadWatch } from './watch.js';

export interface ListQuery {
  labelSelector?: string;
  watch?: string;
  resourceVersion?: string;
}

function revisionParam(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequestError(`query parameter resourceVersion must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/** The store namespace objects of `def` live in: `<cluster>` for Namespaces, `<cluster>/<ns>` otherwise. */
function storeNs(def: KindDef, cluster: string, ns: string | undefined): string {
  return def.kind === 'Namespace' ? cluster : storeNamespace(cluster, ns ?? '');
}

export async function listObjects(ctx: RouteContext, req: FastifyRequest<{ Querystring: ListQuery }>, reply: FastifyReply, def: KindDef, cluster: string, ns: string | undefined): Promise<unknown> {
  const watching = req.query.watch === 'true' || req.query.watch === '1';
  await authorize(ctx, req, cluster, watching ? 'watch' : 'list', def.plural, ns);
  const exact = def.kind === 'Namespace' || ns !== undefined ? storeNs(def, cluster, ns) : undefined;
  const prefix = `${cluster}/`;
  const inScope = (o: Resource) => (exact !== undefined ? o.metadata.namespace === exact : (o.metadata.namespace ?? '').startsWith(prefix));
  if (watching) return streamWorkloadWatch(ctx, req, reply, def.kind, inScope, revisionParam(req.query.resourceVersion), req.query.labelSelector);
  const res = await ctx.store.list(def.kind, {
    ...(exact !== undefined ? { namespace: exact } : {}),
    ...(req.query.labelSelector ? { labelSelector: req.query.labelSelector } : {}),
  });
  return { apiVersion: def.apiVersion, kind: `${def.kind}List`, metadata: { resourceVersion: String(res.revision) }, items: res.items.filter(inScope).map(toApi) };
}

export async function createObject(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, def: KindDef, cluster: string, ns: string | undefined): Promise<unknown> {
  const access = await authorize(ctx, req, cluster, 'create', def.plural, ns);
  const obj = parseWorkload(def, req.body, cluster, ns);
  if (req.auditInfo) req.auditInfo.name = obj.metadata.name;
  if (ns !== undefined) await requireNamespace(ctx, cluster, ns);
  if (def.kind === 'Namespace') {
    const causes = await subnetConflictCauses(ctx.store, access.tenant, obj.metadata.annotations);
    if (causes.length > 0) throw new ValidationError(causes, { kind: 'Namespace', name: obj.metadata.name });
  }
  await admitImages(ctx, req, def, obj, access.tenant);
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  const created = def.kind === 'Service' ? await createWithClusterIp(ctx.store, { ...obj, metadata: meta }, cluster, ns ?? '') : await ctx.store.create({ ...obj, metadata: meta });
  reply.code(201);
  return toApi(created);
}

export async function getObject(ctx: RouteContext, req: FastifyRequest, def: KindDef, cluster: string, ns: string | undefined, name: string): Promise<unknown> {
  await authorize(ctx, req, cluster, 'get', def.plural, ns, name);
  return toApi(await ctx.store.get(def.kind, storeNs(def, cluster, ns), name));
}

export async function replaceObject(ctx: RouteContext, req: FastifyRequest, def: KindDef, cluster: string, ns: string | undefined, name: string): Promise<unknown> {
  const access = await authorize(ctx, req, cluster, 'update', def.plural, ns, name);
  const obj = parseWorkload(def, req.body, cluster, ns);
  if (obj.metadata.name !== name) throw ValidationError.field('metadata.name', `"${obj.metadata.name}" does not match the name in the URL ("${name}")`, { kind: def.kind });
  const old = await ctx.store.get(def.kind, storeNs(def, cluster, ns), name);
  await admitImages(ctx, req, def, obj, access.tenant, old);
  let spec = obj.spec;
  // A bound pod keeps its node: nodeName is the scheduler's once set.
  const oldNode = (old.spec as { nodeName?: string } | undefined)?.nodeName;
  if (def.kind === 'Pod' && oldNode) spec = { ...(spec as object), nodeName: oldNode };
  if (def.kind === 'Service') spec = keepClusterIp(old, spec, name);
  const next: Resource = {
    ...old,
    metadata: {
      ...old.metadata,
      labels: obj.metadata.labels ?? {},
      annotations: obj.metadata.annotations ?? {},
      resourceVersion: obj.metadata.resourceVersion ?? old.metadata.resourceVersion,
    },
    spec,
  };
  return toApi(await ctx.store.update(next));
}

export async function deleteObject(ctx: RouteContext, req: FastifyRequest, def: KindDef, cluster: string, ns: string | undefined, name: string): Promise<unknown> {
  await authorize(ctx, req, cluster, 'delete', def.plural, ns, name);
  if (def.kind === 'Namespace') {
    const inside = storeNamespace(cluster, name);
    const obj = await ctx.store.get(def.kind, cluster, name);
    // Owners first, so controllers do not recreate what is being removed.
    for (const k of ['Deployment', 'ReplicaSet', 'Service', 'Endpoints', 'Pod', 'NetworkPolicy']) {
      const { items } = await ctx.store.list(k, { namespace: inside });
      await Promise.all(
        items.map((o) =>
          (k === 'Service' ? deleteWithClusterIp(ctx.store, cluster, inside, o.metadata.name) : ctx.store.delete(k, inside, o.metadata.name)).catch((e: unknown) => {
            if (!(e instanceof NotFoundError)) throw e;
          }),
        ),
      );
    }
    await ctx.store.delete(def.kind, cluster, name);
    return toApi({ ...obj, status: { phase: 'Terminating' } });
  }
  if (def.kind === 'Service') return toApi(await deleteWithClusterIp(ctx.store, cluster, storeNs(def, cluster, ns), name));
  return toApi(await ctx.store.delete(def.kind, storeNs(def, cluster, ns), name));
}

/** A Service keeps the ClusterIP it was given: absent in the update means unchanged, another value is refused. */
function keepClusterIp(old: Resource, spec: unknown, name: string): unknown {
  const held = (old.spec as { clusterIP?: string } | undefined)?.clusterIP;
  const wanted = (spec as { clusterIP?: string } | undefined)?.clusterIP;
  if (wanted !== undefined && wanted !== '' && wanted !== held)
    throw ValidationError.field('spec.clusterIP', `field is immutable: the Service holds ${held ?? 'no ClusterIP'}`, { kind: 'Service', name });
  return held === undefined ? spec : { ...(spec as object), clusterIP: held };
}

/** The API groups of workload kinds and their apiVersion. */
export const WORKLOAD_GROUPS = { core: 'v1', apps: 'apps/v1', networking: 'networking.k8s.io/v1' } as const;
export type WorkloadGroup = keyof typeof WORKLOAD_GROUPS;

/** A workload kind by its plural within an API group; 404 otherwise. */
export function kindInGroup(plural: string, group: WorkloadGroup): KindDef {
  const def = WORKLOAD_KINDS.find((k) => k.plural === plural && k.apiVersion === WORKLOAD_GROUPS[group]);
  if (!def || def.kind === 'Namespace') throw new NotFoundError('resource type', plural);
  return def;
}
