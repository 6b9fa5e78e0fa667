/**
 * DRS beyond CRUD:
 *   GET  /drs/v1/zones             each zone's settings, last pass (imbalance before/after, target) and pending count
 *   POST /drs/v1/zones/{zone}/run  run a pass now ("Run DRS now"), returns its summary
 *   POST /drs/v1/apply             apply named recommendations, or all pending ones (of a zone)
 * Recommendations themselves are listed with the generic API (`drsrecommendations`).
 */
import type { FastifyInstance } from 'fastify';
import { ConflictError, NotFoundError, UnavailableError, type Zone } from '../../api/index.js';
import type { DrsRecommendationObject } from '../../api/kinds/balance-kinds.js';
import { isoNow } from '../../clock/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { principalOf, requireSome } from '../../server/authz.js';
import { applyRecommendation } from '../drs/apply-recommendation.js';
import { drsSettingsOf } from '../drs/settings.js';
import { runtimeOf, type BalanceRuntime } from '../runtime.js';
import { parseApplyRequest } from './apply-request.js';

export const DRS_PREFIX = '/drs/v1';
const RESOURCE = 'drsrecommendations';

function runtimeFor(ctx: RouteContext): BalanceRuntime & { runner: NonNullable<BalanceRuntime['runner']> } {
  const rt = runtimeOf(ctx.store);
  if (rt?.runner === undefined) throw new UnavailableError('DRS is not running on this server (the balance controllers are not running)');
  return rt as BalanceRuntime & { runner: NonNullable<BalanceRuntime['runner']> };
}

/** One applied or refused recommendation, as the apply route reports it. */
export interface ApplyResultItem {
  readonly name: string;
  readonly vm?: string;
  readonly from?: string;
  readonly to?: string;
  readonly migrations?: readonly string[];
  readonly message?: string;
}

export function registerDrsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(`${DRS_PREFIX}/zones`, async (req) => {
    requireSome(ctx, req, 'list', RESOURCE);
    const rt = runtimeFor(ctx);
    const zones = (await ctx.store.list<Zone>('Zone')).items;
    const pending = new Map<string, number>();
    for (const r of rt.sources.recommendations()) if ((r.status?.phase ?? 'Pending') === 'Pending' && r.spec) pending.set(r.spec.zone, (pending.get(r.spec.zone) ?? 0) + 1);
    return {
      items: zones.map((z) => {
        const last = rt.passes.get(z.metadata.name);
        return { zone: z.metadata.name, settings: drsSettingsOf(z), pending: pending.get(z.metadata.name) ?? 0, ...(last !== undefined ? { lastPass: last } : {}) };
      }),
    };
  });

  app.post<{ Params: { zone: string } }>(`${DRS_PREFIX}/zones/:zone/run`, async (req) => {
    req.auditInfo = { verb: 'create', resource: `${RESOURCE}/run`, name: req.params.zone };
    requireSome(ctx, req, 'create', RESOURCE);
    const rt = runtimeFor(ctx);
    await ctx.store.get<Zone>('Zone', '', req.params.zone);
    const summary = await rt.runner.runPass(req.params.zone);
    if (summary === undefined) throw new NotFoundError('Zone', req.params.zone);
    return summary;
  });

  app.post(`${DRS_PREFIX}/apply`, async (req) => {
    req.auditInfo = { verb: 'update', resource: `${RESOURCE}/apply` };
    requireSome(ctx, req, 'update', RESOURCE);
    const request = parseApplyRequest(req.body);
    const rt = runtimeFor(ctx);
    const who = principalOf(req).user;
    let targets: DrsRecommendationObject[];
    if ('names' in request) {
      req.auditInfo.name = request.names.join(',');
      targets = [];
      for (const n of request.names) targets.push(await ctx.store.get<DrsRecommendationObject>('DrsRecommendation', '', n));
    } else {
      if (request.zone !== undefined) await ctx.store.get<Zone>('Zone', '', request.zone);
      targets = (await ctx.store.list<DrsRecommendationObject>('DrsRecommendation')).items
        .filter((r) => (r.status?.phase ?? 'Pending') === 'Pending' && (request.zone === undefined || r.spec?.zone === request.zone))
        .sort((a, b) => (a.spec?.priority ?? 5) - (b.spec?.priority ?? 5) || (b.status?.gain ?? 0) - (a.status?.gain ?? 0));
    }
    const applied: ApplyResultItem[] = [];
    const failed: ApplyResultItem[] = [];
    for (const target of targets) {
      let rec = target;
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await applyRecommendation(ctx.store, rec, rt.runner.lookup(), who, isoNow(rt.clock));
          const move = { name: rec.metadata.name, vm: rec.spec?.vm, from: rec.spec?.from, to: rec.spec?.to };
          if (out.ok) applied.push({ ...move, migrations: out.migrations });
          else failed.push({ ...move, message: `drsrecommendation "${rec.metadata.name}" ${out.message}` });
          break;
        } catch (err) {
          if (!(err instanceof ConflictError) || attempt >= 2) throw err;
          rec = await ctx.store.get<DrsRecommendationObject>('DrsRecommendation', '', rec.metadata.name);
        }
      }
    }
    if ('names' in request && applied.length === 0) throw new ConflictError(failed.map((f) => f.message).join('; '));
    return { applied, failed };
  });
}
