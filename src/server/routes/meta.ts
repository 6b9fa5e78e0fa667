/** Unauthenticated endpoints: liveness, version, the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import { API_VERSION } from '../../api/index.js';
import type { ServerContext } from '../context.js';
import { buildOpenApi } from '../openapi.js';

export function registerMetaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const openapi = buildOpenApi(ctx.options.version);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    await ctx.store.revision();
    return { status: 'ok' };
  });
  app.get('/version', async () => ({ version: ctx.options.version, apiVersion: API_VERSION }));
  app.get('/openapi.json', async () => openapi);
}
