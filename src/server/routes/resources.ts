/**
 * Generic REST for every registered kind, Kubernetes style:
 *   GET    /apis/bulkhead.dev/v1/{plural}            list (labelSelector, limit, continue; watch=true streams)
 *   POST   /apis/bulkhead.dev/v1/{plural}            create
 *   GET    /apis/bulkhead.dev/v1/{plural}/{name}     get
 *   PUT    /apis/bulkhead.dev/v1/{plural}/{name}     replace (metadata.resourceVersion guards concurrency)
 *   PUT    /apis/bulkhead.dev/v1/{plural}/{name}/status
 *   DELETE /apis/bulkhead.dev/v1/{plural}/{name}
 * Each handler: resolve kind -> authorize (URL) -> validate -> authorize (object) -> admission -> store.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  API_GROUP,
  BadRequestError,
  BulkheadError,
  NotFoundError,
  ValidationError,
  findKind,
  parseResource,
  type KindDef,
  type Resource,
} from '../../api/index.js';
import type { ServerContext } from '../context.js';
import { admitDelete, admitWrite } from '../admission.js';
import { inScope, principalOf, requireObject, requireSome } from '../authz.js';
import { streamWatch } from '../watch.js';

interface PluralParams {
  plural: string;
}
interface NameParams extends PluralParams {
  name: string;
}
interface ListQuery {
  labelSelector?: string;
  limit?: string;
  continue?: string;
  watch?: string;
  resourceVersion?: string;
}

export const API_PREFIX = `/apis/${API_GROUP}/v1`;

function kindOf(plural: string): KindDef {
  const def = findKind(plural);
  if (!def || def.plural !== plural) throw new NotFoundError('resource type', plural);
  return def;
}

function parseIntParam(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequestError(`query parameter ${field} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/** Deleting a token also removes its secret; deleting a user removes its credentials. */
async function deleteWithSideEffects(ctx: ServerContext, def: KindDef, name: string, rv: string | undefined): Promise<Resource> {
  if (def.kind === 'Token') {
    const obj = await ctx.store.get('Token', '', name);
    await ctx.tokens.revoke(name);
    return obj;
  }
  const obj = await ctx.store.delete(def.kind, '', name, rv ? { resourceVersion: rv } : {});
  if (def.kind === 'User') await ctx.tokens.forgetUser(name);
  return obj;
}

export function registerResourceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: PluralParams; Querystring: ListQuery }>(`${API_PREFIX}/:plural`, async (req, reply) => {
    const def = kindOf(req.params.plural);
    const watching = req.query.watch === 'true' || req.query.watch === '1';
    const verb = watching ? 'watch' : 'list';
    req.auditInfo = { verb, resource: def.plural };
    const p = principalOf(req);
    const scope = requireSome(ctx, req, verb, def.plural, def.kind === 'Token');
    const visible = (o: Resource) => inScope(scope, def, o, p);
    if (watching) {
      return streamWatch(ctx, req, reply, def, parseIntParam(req.query.resourceVersion, 'resourceVersion'), visible, req.query.labelSelector);
    }
    const limit = parseIntParam(req.query.limit, 'limit');
    const res = await ctx.store.list(def.kind, {
      ...(req.query.labelSelector ? { labelSelector: req.query.labelSelector } : {}),
      ...(limit ? { limit } : {}),
      ...(req.query.continue ? { continue: req.query.continue } : {}),
    });
    return {
      apiVersion: def.apiVersion,
      kind: `${def.kind}List`,
      metadata: { resourceVersion: String(res.revision), ...(res.continue ? { continue: res.continue } : {}) },
      items: res.items.filter(visible),
    };
  });

  app.get<{ Params: NameParams }>(`${API_PREFIX}/:plural/:name`, async (req) => {
    const def = kindOf(req.params.plural);
    req.auditInfo = { verb: 'get', resource: def.plural, name: req.params.name };
    requireSome(ctx, req, 'get', def.plural, def.kind === 'Token');
    const obj = await ctx.store.get(def.kind, '', req.params.name);
    requireObject(ctx, req, 'get', def, obj, true);
    return obj;
  });

  app.post<{ Params: PluralParams }>(`${API_PREFIX}/:plural`, async (req, reply) => {
    const def = kindOf(req.params.plural);
    req.auditInfo = { verb: 'create', resource: def.plural };
    requireSome(ctx, req, 'create', def.plural);
    if (def.kind === 'Token') throw new BulkheadError(405, 'MethodNotAllowed', 'tokens are minted with POST /auth/tokens (bulkhead token create)');
    if (def.kind === 'Host') throw new BulkheadError(405, 'MethodNotAllowed', 'hosts are registered by the infrastructure driver, not created through the API');
    const { obj: parsed } = parseResource(req.body, def);
    req.auditInfo.name = parsed.metadata.name;
    const tenant = def.tenantOf(parsed);
    if (tenant) req.auditInfo.tenant = tenant;
    requireObject(ctx, req, 'create', def, parsed, false);
    const admitted = await admitWrite(ctx, principalOf(req), stripServerFields(parsed), undefined);
    const created = await ctx.store.create(admitted);
    reply.code(201);
    return created;
  });

  const replace = async (req: FastifyRequest<{ Params: NameParams }>, status: boolean): Promise<Resource> => {
    const def = kindOf(req.params.plural);
    const resource = status ? `${def.plural}/status` : def.plural;
    req.auditInfo = { verb: 'update', resource, name: req.params.name };
    requireSome(ctx, req, 'update', resource);
    const { obj: parsed } = parseResource(req.body, def);
    if (parsed.metadata.name !== req.params.name)
      throw ValidationError.field('metadata.name', `"${parsed.metadata.name}" does not match the name in the URL ("${req.params.name}")`, { kind: def.kind });
    const old = await ctx.store.get(def.kind, '', req.params.name);
    const tenant = def.tenantOf(old);
    if (tenant) req.auditInfo.tenant = tenant;
    requireObject(ctx, req, 'update', def, old, true);
    if (status) {
      const body = req.body as { status?: unknown };
      return ctx.store.update({ ...old, metadata: { ...old.metadata, resourceVersion: parsed.metadata.resourceVersion ?? old.metadata.resourceVersion }, status: body.status }, { subresource: 'status' });
    }
    requireObject(ctx, req, 'update', def, parsed, false);
    const merged: Resource = {
      ...parsed,
      metadata: {
        ...parsed.metadata,
        // Finalizers are the controllers' business unless the client sends them explicitly.
        ...(parsed.metadata.finalizers === undefined && old.metadata.finalizers ? { finalizers: old.metadata.finalizers } : {}),
      },
    };
    const admitted = await admitWrite(ctx, principalOf(req), merged, old);
    return ctx.store.update(admitted);
  };

  app.put<{ Params: NameParams }>(`${API_PREFIX}/:plural/:name`, (req) => replace(req, false));
  app.put<{ Params: NameParams }>(`${API_PREFIX}/:plural/:name/status`, (req) => replace(req, true));

  app.delete<{ Params: NameParams; Querystring: { resourceVersion?: string } }>(`${API_PREFIX}/:plural/:name`, async (req) => {
    const def = kindOf(req.params.plural);
    req.auditInfo = { verb: 'delete', resource: def.plural, name: req.params.name };
    requireSome(ctx, req, 'delete', def.plural, def.kind === 'Token');
    const obj = await ctx.store.get(def.kind, '', req.params.name);
    const tenant = def.tenantOf(obj);
    if (tenant) req.auditInfo.tenant = tenant;
    requireObject(ctx, req, 'delete', def, obj, true);
    await admitDelete(ctx, obj);
    return deleteWithSideEffects(ctx, def, req.params.name, req.query.resourceVersion);
  });
}

/** Fields only the server sets on create. */
function stripServerFields(obj: Resource): Resource {
  const { uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c, deletionTimestamp: _d, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}
