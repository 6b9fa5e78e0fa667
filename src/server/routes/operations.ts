/**
 * Operations beyond CRUD: fault injection on simulated hosts, the audit trail, the isolation audit.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequestError, BulkheadError, ValidationError, type Host, type Pod, type Resource, type Tenant, type VirtualMachine, type Zone } from '../../api/index.js';
import { hasFaultInjection } from '../../infra/index.js';
import { auditIsolation } from '../../security/index.js';
import type { ServerContext } from '../context.js';
import { requireSome } from '../authz.js';
import { API_PREFIX } from './resources.js';

const MAX_AUDIT_PAGE = 1000;

export function registerOperationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { name: string } }>(`${API_PREFIX}/hosts/:name/fault`, async (req) => {
    req.auditInfo = { verb: 'update', resource: 'hosts/fault', name: req.params.name };
    requireSome(ctx, req, 'update', 'hosts/fault');
    const action = (req.body as { action?: unknown } | undefined)?.action;
    if (action !== 'fail' && action !== 'recover') throw ValidationError.field('action', 'must be "fail" or "recover"');
    await ctx.store.get<Host>('Host', '', req.params.name);
    const driver = ctx.driver;
    if (!driver || !hasFaultInjection(driver)) throw new BulkheadError(405, 'MethodNotAllowed', 'the infrastructure driver does not support fault injection');
    if (action === 'fail') await driver.faults.failHost(req.params.name, 'injected by API');
    else await driver.faults.recoverHost(req.params.name);
    // Let the host controller record the change so the caller sees the new state.
    for (let i = 0; i < 50; i++) {
      const h = await ctx.store.get<Host>('Host', '', req.params.name);
      const state = h.status?.state;
      if ((action === 'fail' && state === 'Failed') || (action === 'recover' && state === 'Ready')) return h;
      await new Promise((r) => setTimeout(r, 20));
    }
    return ctx.store.get<Host>('Host', '', req.params.name);
  });

  app.get<{ Querystring: { after?: string; limit?: string } }>('/audit/log', async (req) => {
    requireSome(ctx, req, 'list', 'auditlog');
    const after = Number(req.query.after ?? '0');
    const limit = Number(req.query.limit ?? '500');
    if (!Number.isInteger(after) || after < 0) throw new BadRequestError('query parameter after must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) throw new BadRequestError(`query parameter limit must be an integer in 1..${MAX_AUDIT_PAGE}`);
    await ctx.auditor.flush();
    return { items: await ctx.store.readAudit(after, limit) };
  });

  app.get('/audit/isolation', async (req) => {
    requireSome(ctx, req, 'get', 'isolation');
    const [zones, hosts, vms, tenants, pods, clusters] = await Promise.all([
      ctx.store.list<Zone>('Zone'),
      ctx.store.list<Host>('Host'),
      ctx.store.list<VirtualMachine>('VirtualMachine'),
      ctx.store.list<Tenant>('Tenant'),
      ctx.store.list<Pod>('Pod'),
      ctx.store.list<Resource<{ tenant?: string }>>('Cluster'),
    ]);
    // Pods too: each must run on a node VM of its own cluster and tenant.
    return auditIsolation(zones.items, hosts.items, vms.items, tenants.items, { pods: pods.items, clusters: clusters.items });
  });
}
