/**
 * `GET /metrics`: the Prometheus exposition. It sits behind the platform's bearer authentication
 * like every other route (Prometheus sends `authorization: { credentials_file: ... }`); the
 * caller needs `get` on `usage`, and sees its scope (platform-wide or its tenants).
 */
import type { FastifyInstance } from 'fastify';
import { UnavailableError } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { runtimeOf } from '../runtime.js';
import { metricsText } from './metrics.js';
import { usageVisibility } from './visibility.js';

export function registerMetricsRoute(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/metrics', async (req, reply) => {
    const who = usageVisibility(ctx, req);
    const runtime = runtimeOf(ctx.store);
    if (runtime === undefined) throw new UnavailableError('usage figures are not computed on this server (the balance controllers are not running)');
    const { contentType, body } = await metricsText(runtime.snapshot(), runtime, who, { pools: runtime.sources.pools(), recommendations: runtime.sources.recommendations() });
    return reply.type(contentType).send(body);
  });
}
