/**
 * `GET /network/v1/builtin-policies`: the admin policies the platform holds without anyone having
 * written them (one tenant isolation policy per tenant), in AdminNetworkPolicy form, so an
 * operator can read exactly the rule traceflow names. Platform administrators only, as for
 * AdminNetworkPolicies.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_VERSION } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { requireSome } from '../../server/authz.js';
import { isolationPolicy } from '../controllers/tenant-isolation.js';
import { requireRuntime } from './runtime-of.js';

export const BUILTIN_LABEL = 'network.bulkhead.dev/builtin';

export function registerBuiltinsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/network/v1/builtin-policies', async (req: FastifyRequest) => {
    req.auditInfo = { verb: 'list', resource: 'adminnetworkpolicies' };
    requireSome(ctx, req, 'list', 'adminnetworkpolicies');
    const tenants = [...requireRuntime(ctx).state.builtins().keys()].sort();
    const items = tenants.map((t) => {
      const p = isolationPolicy(t);
      return {
        apiVersion: API_VERSION,
        kind: 'AdminNetworkPolicy',
        metadata: { name: p.name, labels: { [BUILTIN_LABEL]: 'true' } },
        spec: p.spec,
        status: { conditions: [{ type: 'Realized', status: 'True', reason: 'BuiltIn', message: 'held by the engine for every tenant', lastTransitionTime: '' }] },
      };
    });
    return { apiVersion: API_VERSION, kind: 'AdminNetworkPolicyList', items };
  });
}
