/**
 * Replication's HTTP surface, behind the platform's bearer authentication. Policies themselves are
 * the ReplicationPolicy kind (generic REST, `bulkhead apply`); here are their executions and the
 * write-only credentials policies refer to:
 *   POST   /registry/v1/replications/{policy}/executions       run now → 202 {execution}; 409 while one runs
 *   GET    /registry/v1/replications/{policy}/executions       {items: newest first}
 *   GET    /registry/v1/replications/{policy}/executions/{id}
 *   PUT    /registry/v1/replication-credentials/{name}         {username, password} → 201 | 200 (never returned)
 *   GET    /registry/v1/replication-credentials                {items: [{name, username}]}
 *   DELETE /registry/v1/replication-credentials/{name}
 * Running needs `update` on replicationpolicies, reading `get`; credentials need their verbs on
 * `replicationcredentials` (platform scope: policies belong to no tenant).
 */
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, nameCauses, type FieldCause } from '../../api/index.js';
import type { RegistryContext } from '../http/registry-context.js';
import { CredentialStore } from './credential-store.js';
import { Replicator, type ReplicatorOptions } from './replicator.js';
import { SCHEDULER_TICK_MS, startTriggers } from './triggers.js';

export const REPLICATIONS_PATH = '/registry/v1/replications';
export const CREDENTIALS_PATH = '/registry/v1/replication-credentials';

export interface ReplicationRouteOptions extends ReplicatorOptions {
  /** Scheduler tick in platform-clock ms (default one minute). */
  readonly tickMs?: number;
}

function allow(rc: RegistryContext, req: FastifyRequest, verb: string, resource: string, name?: string): string {
  const p = req.principal;
  req.auditInfo = { verb, resource, ...(name !== undefined ? { name } : {}) };
  if (!p) throw new UnauthorizedError();
  if (!rc.route.authorizer.allows(p, verb, resource, undefined)) {
    req.auditInfo.reason = `user "${p.user}" may not ${verb} ${resource} (platform scope)`;
    throw new ForbiddenError(req.auditInfo.reason);
  }
  return p.user;
}

function credentialBody(body: unknown): { username: string; password: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const causes: FieldCause[] = [];
  for (const f of ['username', 'password'] as const) {
    const v = b[f];
    if (typeof v !== 'string' || v === '') causes.push({ field: f, message: v === undefined ? 'required field is missing' : 'must be a non-empty string' });
    else if (v.length > 4096) causes.push({ field: f, message: 'must be at most 4096 characters' });
  }
  for (const k of Object.keys(b)) if (k !== 'username' && k !== 'password') causes.push({ field: k, message: 'unknown field' });
  if (causes.length) throw new ValidationError(causes, { kind: 'ReplicationCredential' });
  return { username: b.username as string, password: b.password as string };
}

export function registerReplicationRoutes(app: FastifyInstance, rc: RegistryContext, opts: ReplicationRouteOptions = {}): void {
  const ctx = rc.route;
  const credentials = new CredentialStore(ctx.store, join(ctx.dataDir, 'registry', 'replication.key'));
  const replicator = new Replicator(
    {
      store: ctx.store,
      clock: ctx.clock,
      blobs: rc.blobs,
      meta: rc.meta,
      events: rc.events,
      ...(rc.scanner ? { scanner: rc.scanner } : {}),
      credentials,
      audit: (rec) => void ctx.auditor.record(rec),
      warn: (obj, msg) => ctx.log.warn(obj, msg),
    },
    opts,
  );
  const stopTriggers = startTriggers({ store: ctx.store, clock: ctx.clock, events: rc.events, replicator, warn: (obj, msg) => ctx.log.warn(obj, msg) }, opts.tickMs ?? SCHEDULER_TICK_MS);
  app.addHook('onClose', async () => {
    stopTriggers();
    await replicator.close();
  });

  app.post<{ Params: { policy: string } }>(`${REPLICATIONS_PATH}/:policy/executions`, async (req, reply) => {
    const user = allow(rc, req, 'update', 'replicationpolicies', req.params.policy);
    req.auditInfo = { verb: 'create', resource: 'replicationpolicies/executions', name: req.params.policy };
    const exec = await replicator.start(req.params.policy, 'manual', user);
    req.auditInfo.name = `${req.params.policy}/${exec.id}`;
    return reply.code(202).send(exec);
  });

  app.get<{ Params: { policy: string } }>(`${REPLICATIONS_PATH}/:policy/executions`, async (req) => {
    allow(rc, req, 'get', 'replicationpolicies', req.params.policy);
    return { items: await replicator.executions.list(req.params.policy) };
  });

  app.get<{ Params: { policy: string; id: string } }>(`${REPLICATIONS_PATH}/:policy/executions/:id`, async (req) => {
    allow(rc, req, 'get', 'replicationpolicies', req.params.policy);
    const found = (await replicator.executions.list(req.params.policy)).find((e) => e.id === req.params.id);
    if (!found) throw new NotFoundError('ReplicationExecution', `${req.params.policy}/${req.params.id}`);
    return found;
  });

  app.put<{ Params: { name: string } }>(`${CREDENTIALS_PATH}/:name`, async (req, reply) => {
    allow(rc, req, 'create', 'replicationcredentials', req.params.name);
    const bad = nameCauses(req.params.name, 'name');
    if (bad.length) throw new ValidationError(bad, { kind: 'ReplicationCredential' });
    const body = credentialBody(req.body);
    const created = await credentials.put(req.params.name, body);
    return reply.code(created ? 201 : 200).send({ name: req.params.name, username: body.username });
  });

  app.get(CREDENTIALS_PATH, async (req) => {
    allow(rc, req, 'list', 'replicationcredentials');
    return { items: await credentials.list() };
  });

  app.delete<{ Params: { name: string } }>(`${CREDENTIALS_PATH}/:name`, async (req) => {
    allow(rc, req, 'delete', 'replicationcredentials', req.params.name);
    if (!(await credentials.delete(req.params.name))) throw new NotFoundError('ReplicationCredential', req.params.name);
    return { name: req.params.name, deleted: true };
  });
}
