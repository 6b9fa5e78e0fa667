/**
 * Authorization helpers for handlers: URL-level checks (may this principal do `verb` on this
 * resource anywhere?) and object-level checks (in this object's tenant?). An object of a tenant the
 * principal cannot see is reported as not found, so other tenants' names do not leak.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, UnauthorizedError, findKind, type KindDef, type Resource } from '../api/index.js';
import type { Principal, Scope } from '../security/index.js';
import type { ServerContext } from './context.js';

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}

/** Tokens are self-service: a user may read and revoke their own without any role. */
function ownsToken(p: Principal, def: KindDef, obj: Resource | undefined): boolean {
  return def.kind === 'Token' && obj !== undefined && (obj.spec as { user?: string } | undefined)?.user === p.user;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Throws 403 unless `p` may do `verb` on `resource` in at least one scope; returns the scope. */
export function requireSome(ctx: ServerContext, req: FastifyRequest, verb: string, resource: string, selfService = false): Scope {
  const p = principalOf(req);
  if (READ_VERBS.has(verb) && findKind(resource)?.sharedRead) return { all: true, tenants: new Set() };
  const scope = ctx.authorizer.scope(p, verb, resource);
  if (!scope.all && scope.tenants.size === 0 && !selfService) {
    const reason = `user "${p.user}" cannot ${verb} ${resource}`;
    req.auditInfo = { ...(req.auditInfo ?? { verb, resource }), reason };
    throw new ForbiddenError(reason);
  }
  return scope;
}

/** Whether an object is within a scope. */
export function inScope(scope: Scope, def: KindDef, obj: Resource, p: Principal): boolean {
  if (scope.all || ownsToken(p, def, obj)) return true;
  const t = def.tenantOf(obj);
  return t !== undefined && scope.tenants.has(t);
}

/**
 * Object-level check. `hide`: when the principal has no right on the object's tenant at all,
 * answer 404 (reads) rather than 403, so existence is not revealed.
 */
export function requireObject(ctx: ServerContext, req: FastifyRequest, verb: string, def: KindDef, obj: Resource, hide: boolean): void {
  const p = principalOf(req);
  const tenant = def.tenantOf(obj);
  if (READ_VERBS.has(verb) && def.sharedRead) return;
  if (ownsToken(p, def, obj) || ctx.authorizer.allows(p, verb, def.plural, tenant)) return;
  const canSeeIt = ctx.authorizer.allows(p, 'get', def.plural, tenant);
  const reason = `user "${p.user}" cannot ${verb} ${def.plural}${tenant ? ` in tenant "${tenant}"` : ' at platform scope'}`;
  req.auditInfo = { ...(req.auditInfo ?? { verb, resource: def.plural }), reason, ...(tenant ? { tenant } : {}) };
  if (hide && !canSeeIt) throw new NotFoundError(def.kind, obj.metadata.name, obj.metadata.namespace);
  throw new ForbiddenError(reason);
}
