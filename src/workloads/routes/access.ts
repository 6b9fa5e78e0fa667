/**
 * Who may do what inside a cluster: the cluster's tenant is the tenant of every workload object,
 * so RBAC is checked as (verb, plural, cluster.spec.tenant). Someone with no right in that tenant
 * gets 404 for the cluster itself, so other tenants' cluster names do not leak. Every check fills
 * `req.auditInfo` so mutations and denials are audited.
 */
import type { FastifyRequest } from 'fastify';
import { AlreadyExistsError, ConflictError, ForbiddenError, NotFoundError, type Resource } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { principalOf } from '../../server/authz.js';

export type ClusterObject = Resource<{ tenant?: string; plan?: string }>;

export interface ClusterAccess {
  readonly cluster: string;
  readonly tenant: string | undefined;
}

export async function authorize(ctx: RouteContext, req: FastifyRequest, cluster: string, verb: string, plural: string, namespace?: string, name?: string): Promise<ClusterAccess> {
  req.auditInfo = { verb, resource: plural, ...(name ? { name } : {}), namespace: namespace ? `${cluster}/${namespace}` : cluster };
  const p = principalOf(req);
  const obj = await ctx.store.tryGet<ClusterObject>('Cluster', '', cluster);
  const tenant = obj?.spec?.tenant;
  if (tenant) req.auditInfo.tenant = tenant;
  if (!obj) {
    // Only someone who could see every cluster learns that it does not exist; others get the same 404.
    if (!ctx.authorizer.allows(p, 'get', 'clusters', undefined)) req.auditInfo.reason = `cluster "${cluster}" not visible`;
    throw new NotFoundError('Cluster', cluster);
  }
  if (ctx.authorizer.allows(p, verb, plural, tenant)) {
    if (obj.metadata.deletionTimestamp && (verb === 'create' || verb === 'update'))
      throw new ConflictError(`cluster "${cluster}" is being deleted; nothing new can be put in it`);
    return { cluster, tenant };
  }
  const reason = `user "${p.user}" cannot ${verb} ${plural} in cluster "${cluster}" (tenant "${tenant ?? ''}")`;
  req.auditInfo.reason = reason;
  const canSee = ctx.authorizer.allows(p, 'get', 'clusters', tenant) || ctx.authorizer.allows(p, 'get', plural, tenant);
  if (!canSee) throw new NotFoundError('Cluster', cluster);
  throw new ForbiddenError(reason);
}

/**
 * The namespace must exist before objects go in it; `default` exists implicitly in every cluster
 * and is created on first use.
 */
export async function requireNamespace(ctx: RouteContext, cluster: string, ns: string): Promise<void> {
  if (await ctx.store.tryGet('Namespace', cluster, ns)) return;
  if (ns !== 'default') throw new NotFoundError('Namespace', ns);
  try {
    await ctx.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', namespace: cluster }, spec: {}, status: { phase: 'Active' } });
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e;
  }
}
