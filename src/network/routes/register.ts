/**
 * The network's HTTP surface:
 *   POST /clusters/{cluster}/traceflow            traceflow (hops, verdict, deciding rule)
 *   GET  /clusters/{cluster}/netpol/matrix        connectivity matrix of a namespace, per port
 *   GET  /network/v1/builtin-policies             the built-in tenant isolation policies
 *   admission of AdminNetworkPolicy, NetworkGroup and Segment writes on the generic routes
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../platform/extension.js';
import { registerNetworkAdmission } from './admission.js';
import { registerBuiltinsRoute } from './builtins-route.js';
import { registerMatrixRoute } from './matrix-route.js';
import { registerTraceflowRoute } from './traceflow-route.js';

export function registerNetworkRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerNetworkAdmission(app, ctx);
  registerTraceflowRoute(app, ctx);
  registerMatrixRoute(app, ctx);
  registerBuiltinsRoute(app, ctx);
}
