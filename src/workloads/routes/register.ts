/**
 * Registers the Kubernetes-compatible workload paths of every cluster:
 *   /clusters/{c}/api/v1/namespaces[/{ns}]
 *   /clusters/{c}/api/v1/namespaces/{ns}/{pods|services|endpoints}[/{name}]
 *   /clusters/{c}/apis/apps/v1/namespaces/{ns}/{deployments|replicasets}[/{name}]
 *   /clusters/{c}/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies[/{name}]
 *   /clusters/{c}/api/v1/{plural}, /clusters/{c}/apis/{group}/{version}/{plural}   (all namespaces)
 * Lists take labelSelector and watch=true.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, findWorkloadKind, type KindDef } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { createObject, deleteObject, getObject, kindInGroup, listObjects, replaceObject, type ListQuery } from './handlers.js';

interface P {
  cluster: string;
  ns: string;
  plural: string;
  name: string;
}
type Req = FastifyRequest<{ Params: P; Querystring: ListQuery }>;

function namespaceKind(): KindDef {
  const def = findWorkloadKind('Namespace');
  if (!def) throw new NotFoundError('resource type', 'namespaces');
  return def;
}

export function registerWorkloadRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const ns = namespaceKind();
  const base = '/clusters/:cluster';
  app.get(`${base}/api/v1/namespaces`, (req: Req, reply: FastifyReply) => listObjects(ctx, req, reply, ns, req.params.cluster, undefined));
  app.post(`${base}/api/v1/namespaces`, (req: Req, reply: FastifyReply) => createObject(ctx, req, reply, ns, req.params.cluster, undefined));
  app.get(`${base}/api/v1/namespaces/:name`, (req: Req) => getObject(ctx, req, ns, req.params.cluster, undefined, req.params.name));
  app.put(`${base}/api/v1/namespaces/:name`, (req: Req) => replaceObject(ctx, req, ns, req.params.cluster, undefined, req.params.name));
  app.delete(`${base}/api/v1/namespaces/:name`, (req: Req) => deleteObject(ctx, req, ns, req.params.cluster, undefined, req.params.name));

  for (const [prefix, group] of [
    ['api/v1', 'core'],
    ['apis/apps/v1', 'apps'],
    ['apis/networking.k8s.io/v1', 'networking'],
  ] as const) {
    const coll = `${base}/${prefix}/namespaces/:ns/:plural`;
    const item = `${coll}/:name`;
    app.get(`${base}/${prefix}/:plural`, (req: Req, reply: FastifyReply) => listObjects(ctx, req, reply, kindInGroup(req.params.plural, group), req.params.cluster, undefined));
    app.get(coll, (req: Req, reply: FastifyReply) => listObjects(ctx, req, reply, kindInGroup(req.params.plural, group), req.params.cluster, req.params.ns));
    app.post(coll, (req: Req, reply: FastifyReply) => createObject(ctx, req, reply, kindInGroup(req.params.plural, group), req.params.cluster, req.params.ns));
    app.get(item, (req: Req) => getObject(ctx, req, kindInGroup(req.params.plural, group), req.params.cluster, req.params.ns, req.params.name));
    app.put(item, (req: Req) => replaceObject(ctx, req, kindInGroup(req.params.plural, group), req.params.cluster, req.params.ns, req.params.name));
    app.delete(item, (req: Req) => deleteObject(ctx, req, kindInGroup(req.params.plural, group), req.params.cluster, req.params.ns, req.params.name));
  }
}
