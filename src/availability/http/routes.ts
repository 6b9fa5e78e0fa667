/**
 * HTTP operations of the availability capability, beside the generic REST of its kinds:
 *   POST /apis/bulkhead.dev/v1/virtualmachines/{name}/migrate  {toHost?}  -> 201 VmMigration
 *   POST /apis/bulkhead.dev/v1/hosts/{name}/isolate                       -> 200 Host (fault injection)
 *   GET  /apis/bulkhead.dev/v1/zones/{name}/ha                            -> HA summary of the zone
 * `migrate` is what `bulkhead vm migrate` calls: it names the migration and stamps the VM's tenant,
 * so a tenant administrator needs no platform rights; RBAC is checked on the VM's tenant.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_VERSION, AlreadyExistsError, BulkheadError, DNS_LABEL, ForbiddenError, NotFoundError, ValidationError, type Host, type VirtualMachine, type VmMigration } from '../../api/index.js';
import { hasFaultInjection } from '../../infra/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { principalOf, requireSome } from '../../server/authz.js';
import { admitAvailability } from '../admission/index.js';
import { storeView } from '../model/cluster-view.js';
import { TENANT_LABEL, VM_LABEL } from '../model/names.js';
import { zoneHaSummary } from './zone-summary.js';

const PREFIX = `/apis/bulkhead.dev/v1`;

/** `{toHost?}`: the only field a migrate request takes. */
export function parseMigrateBody(body: unknown): { toHost?: string } {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw ValidationError.field('body', 'must be an object like {"toHost": "h-01"}');
  const rec = body as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (k !== 'toHost') throw ValidationError.field(k, 'unknown field (only toHost)');
  const to = rec.toHost;
  if (to === undefined) return {};
  if (typeof to !== 'string' || !DNS_LABEL.test(to)) throw ValidationError.field('toHost', `must be a host name, got ${JSON.stringify(to)}`);
  return { toHost: to };
}

export function registerAvailabilityRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { name: string } }>(`${PREFIX}/virtualmachines/:name/migrate`, async (req, reply) => {
    const vmName = req.params.name;
    req.auditInfo = { verb: 'create', resource: 'vmmigrations', name: vmName };
    const tenant = await visibleVmTenant(ctx, req, vmName);
    req.auditInfo.tenant = tenant;
    if (!ctx.authorizer.allows(principalOf(req), 'create', 'vmmigrations', tenant)) {
      const reason = `user "${principalOf(req).user}" cannot create vmmigrations in tenant "${tenant}"`;
      req.auditInfo.reason = reason;
      throw new ForbiddenError(reason);
    }
    const { toHost } = parseMigrateBody(req.body);
    for (let attempt = 0; ; attempt++) {
      const name = `${vmName}-${ctx.clock.now().toString(36)}${attempt ? `-${attempt}` : ''}`.slice(-63).replace(/^-+/, '');
      const m: VmMigration = {
        apiVersion: API_VERSION,
        kind: 'VmMigration',
        metadata: { name, labels: { [TENANT_LABEL]: tenant, [VM_LABEL]: vmName } },
        spec: { vm: vmName, ...(toHost !== undefined ? { toHost } : {}), reason: 'User' },
      };
      req.auditInfo.name = name;
      try {
        const created = await ctx.store.create(await admitAvailability(ctx.store, m, undefined));
        reply.code(201);
        return created;
      } catch (err) {
        // The request's field is `toHost`; the generated migration's name means nothing to the caller.
        if (err instanceof ValidationError && err.causes[0]?.field === 'spec.toHost') throw ValidationError.field('toHost', err.causes[0].message);
        if (!(err instanceof AlreadyExistsError) || attempt >= 3) throw err;
      }
    }
  });

  app.post<{ Params: { name: string } }>(`${PREFIX}/hosts/:name/isolate`, async (req) => {
    req.auditInfo = { verb: 'update', resource: 'hosts/fault', name: req.params.name };
    requireSome(ctx, req, 'update', 'hosts/fault');
    await ctx.store.get<Host>('Host', '', req.params.name);
    const driver = ctx.driver;
    if (!driver || !hasFaultInjection(driver)) throw new BulkheadError(405, 'MethodNotAllowed', 'the infrastructure driver does not support fault injection');
    await driver.faults.isolateHost(req.params.name, 'injected by API');
    return ctx.store.get<Host>('Host', '', req.params.name);
  });

  app.get<{ Params: { name: string } }>(`${PREFIX}/zones/:name/ha`, async (req) => {
    req.auditInfo = { verb: 'get', resource: 'zones', name: req.params.name };
    requireSome(ctx, req, 'get', 'zones');
    const view = await storeView(ctx.store);
    if (!view.zone(req.params.name)) throw new NotFoundError('Zone', req.params.name);
    return zoneHaSummary(view, req.params.name);
  });
}

/** The VM's tenant, or 404 when it does not exist or the caller may not see it (names do not leak). */
async function visibleVmTenant(ctx: RouteContext, req: FastifyRequest, name: string): Promise<string> {
  const vm = await ctx.store.tryGet<VirtualMachine>('VirtualMachine', '', name);
  const tenant = vm?.spec?.tenant;
  if (vm === undefined || tenant === undefined || !ctx.authorizer.allows(principalOf(req), 'get', 'virtualmachines', tenant)) {
    if (req.auditInfo) req.auditInfo.reason = `virtual machine "${name}" not visible`;
    throw new NotFoundError('VirtualMachine', name);
  }
  return tenant;
}
