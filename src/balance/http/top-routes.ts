/**
 * `GET /top/v1/{level}?cluster=&zone=`: one `top` table (hosts, vms, pods, containers, zones,
 * tenants, pools) from the last usage computation, at most one 20 s sample old.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequestError, BulkheadError, NotFoundError, UnavailableError, type Cluster } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { runtimeOf } from '../runtime.js';
import { TOP_LEVELS, isTopLevel, topView } from './top-view.js';
import { usageVisibility } from './visibility.js';

export const TOP_PREFIX = '/top/v1';

export function registerTopRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { level: string }; Querystring: { cluster?: string; zone?: string } }>(`${TOP_PREFIX}/:level`, async (req) => {
    const { level } = req.params;
    if (!isTopLevel(level)) throw new BulkheadError(404, 'NotFound', `unknown top level "${level}": use one of ${TOP_LEVELS.join(', ')}`);
    const who = usageVisibility(ctx, req);
    const { cluster, zone } = req.query;
    if (cluster === '') throw new BadRequestError('query parameter cluster must not be empty');
    if (zone === '') throw new BadRequestError('query parameter zone must not be empty');
    const runtime = runtimeOf(ctx.store);
    if (runtime === undefined) throw new UnavailableError('usage figures are not computed on this server (the balance controllers are not running)');
    if (cluster !== undefined) {
      // Another tenant's cluster is reported as missing, so its name does not leak.
      const c = await ctx.store.tryGet<Cluster>('Cluster', '', cluster);
      if (c === undefined || !(who.all || who.tenants.has(c.spec?.tenant ?? ''))) throw new NotFoundError('Cluster', cluster);
    }
    if (zone !== undefined && (await ctx.store.tryGet('Zone', '', zone)) === undefined) throw new NotFoundError('Zone', zone);
    const pools = new Map(runtime.sources.pools().map((p) => [p.metadata.name, p.spec?.tenant]));
    return topView(runtime.snapshot(), level, who, { ...(cluster ? { cluster } : {}), ...(zone ? { zone } : {}) }, (p) => pools.get(p));
  });
}
