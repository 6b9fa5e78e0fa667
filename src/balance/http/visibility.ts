/** What a caller may see of usage: RBAC's scope for `get usage` (platform-wide, or some tenants). */
import type { FastifyRequest } from 'fastify';
import { requireSome } from '../../server/authz.js';
import type { ServerContext } from '../../server/index.js';
import type { Visibility } from './top-view.js';

/** The resource name RBAC rules grant usage figures (`top`, `/metrics`) with. */
export const USAGE_RESOURCE = 'usage';

/** Throws 403 unless the caller may `get usage` somewhere; returns where. */
export function usageVisibility(ctx: ServerContext, req: FastifyRequest): Visibility {
  const scope = requireSome(ctx, req, 'get', USAGE_RESOURCE);
  return { all: scope.all, tenants: scope.tenants };
}
