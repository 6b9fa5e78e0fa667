/** Every route of the balance capability, registered in one place. */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../platform/extension.js';
import { registerDrsRoutes } from './drs-routes.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerTopRoutes } from './top-routes.js';

export function registerBalanceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerTopRoutes(app, ctx);
  registerDrsRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
}
