/**
 * Registry maintenance over HTTP, behind the platform's bearer authentication:
 *   POST /registry/v1/gc {dryRun?, deleteUntagged?}        garbage collection (platform admins)
 *   GET  /registry/v1/gc?limit=N                            its history, running run first
 *   POST /registry/v1/projects/{project}/retention {dryRun?} tag retention (maintainer+; dry run: developer+)
 *   GET  /registry/v1/projects/{project}/retention?limit=N  the project's retention history (pull)
 * and the retention schedule (a timer on the platform clock, stopped when the server closes).
 * Every run is audited with verb `gc` / `retention` and a summary of what went.
 */
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, UnauthorizedError, type Project } from '../../api/index.js';
import type { Principal } from '../../security/index.js';
import { actionsIn, type RegistryAction } from '../access.js';
import type { RegistryContext } from '../http/registry-context.js';
import { RetentionRunner } from '../retention/retention-runner.js';
import { RetentionScheduler } from '../retention/scheduler.js';
import type { RetentionResult } from '../retention/types.js';
import { gcSummary, retentionSummary } from './audit-summary.js';
import { GcRunner } from './gc-runner.js';
import { compileGcRequest, compileLimit, compileRetentionRequest } from './requests.js';
import { GC_RUN_KIND, RETENTION_RUN_KIND, RunHistory } from './run-history.js';
import { compileMaintenanceOptions, type GcResult, type MaintenanceOptions } from './types.js';

export const GC_PATH = '/registry/v1/gc';
/** RBAC resource of garbage collection: only roles granting it at platform scope (platform-admin) may run it. */
export const GC_RESOURCE = 'registry/gc';
export const retentionPath = (project: string) => `/registry/v1/projects/${project}/retention`;
const SCHEDULED_USER = 'system:retention';

function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
}

function requirePlatform(rc: RegistryContext, req: FastifyRequest, verb: string): Principal {
  const p = principalOf(req);
  if (!rc.route.authorizer.allows(p, verb, GC_RESOURCE, undefined)) {
    const reason = `user "${p.user}" may not ${verb === 'create' ? 'run' : 'read'} registry garbage collection (platform administrators only)`;
    if (req.auditInfo) req.auditInfo.reason = reason;
    throw new ForbiddenError(reason);
  }
  return p;
}

/** The project, when the caller holds `action` in it (404 when it does not exist, 403 otherwise). */
async function requireProject(rc: RegistryContext, req: FastifyRequest, name: string, action: RegistryAction, what: string): Promise<{ p: Principal; project: Project }> {
  const p = principalOf(req);
  const project = await rc.meta.project(name);
  if (!project?.spec) throw new NotFoundError('Project', name);
  if (req.auditInfo) req.auditInfo.tenant = project.spec.tenant;
  if (!actionsIn(rc.route.authorizer, { kind: 'user', principal: p }, project, rc.route.clock.now()).has(action)) {
    const reason = `user "${p.user}" may not ${what} in project "${name}"`;
    if (req.auditInfo) req.auditInfo.reason = reason;
    throw new ForbiddenError(reason);
  }
  return { p, project };
}

export function registerMaintenanceRoutes(app: FastifyInstance, rc: RegistryContext, options: MaintenanceOptions = {}): void {
  const o = compileMaintenanceOptions(options);
  const { store, clock, log } = rc.route;
  const warn = (obj: Record<string, unknown>, msg: string) => log.warn(obj, msg);
  const gc = new GcRunner(
    { store, blobs: rc.blobs, root: join(rc.route.dataDir, 'registry'), clock, windowMs: o.gcWindowMs, uploadTtlMs: o.uploadTtlMs, events: rc.events },
    new RunHistory<GcResult>(store, GC_RUN_KIND, o.historyLimit),
    warn,
  );
  const retention = new RetentionRunner({ store, clock, events: rc.events }, new RunHistory<RetentionResult>(store, RETENTION_RUN_KIND, o.historyLimit), warn);

  app.post<{ Body: unknown }>(GC_PATH, async (req, reply) => {
    req.auditInfo = { verb: 'gc', resource: GC_RESOURCE };
    const p = requirePlatform(rc, req, 'create');
    const result = await gc.run(compileGcRequest(req.body), p.user);
    req.auditInfo = { verb: 'gc', resource: GC_RESOURCE, name: result.id, reason: gcSummary(result) };
    return reply.code(200).send(result);
  });

  app.get<{ Querystring: { limit?: string } }>(GC_PATH, async (req, reply) => {
    req.auditInfo = { verb: 'list', resource: GC_RESOURCE };
    requirePlatform(rc, req, 'list');
    return reply.code(200).send({ items: await gc.list(compileLimit(req.query.limit, 20)) });
  });

  app.post<{ Params: { project: string }; Body: unknown }>(retentionPath(':project'), async (req, reply) => {
    const name = req.params.project;
    req.auditInfo = { verb: 'retention', resource: 'repositories', name };
    const { dryRun } = compileRetentionRequest(req.body);
    // Running deletes artifacts (Harbor: maintainer and up); a dry run only reads (developer and up).
    const { p, project } = await requireProject(rc, req, name, dryRun ? 'push' : 'delete', dryRun ? 'dry-run tag retention' : 'run tag retention');
    const result = await retention.run(project, dryRun, p.user);
    req.auditInfo.reason = retentionSummary(result);
    return reply.code(200).send(result);
  });

  app.get<{ Params: { project: string }; Querystring: { limit?: string } }>(retentionPath(':project'), async (req, reply) => {
    req.auditInfo = { verb: 'list', resource: 'repositories', name: req.params.project };
    await requireProject(rc, req, req.params.project, 'pull', 'read retention runs');
    return reply.code(200).send({ items: await retention.list(req.params.project, compileLimit(req.query.limit, 20)) });
  });

  const scheduler = new RetentionScheduler({
    clock,
    tickMs: o.retentionTickMs,
    projects: async () => (await store.list<Project>('Project')).items,
    lastRun: (project) => retention.lastStartedAt(project),
    warn,
    run: async (project) => {
      try {
        const result = await retention.run(project, false, SCHEDULED_USER);
        await rc.route.auditor.record({
          time: new Date(clock.now()).toISOString(),
          user: SCHEDULED_USER,
          verb: 'retention',
          resource: 'repositories',
          name: project.metadata.name,
          ...(project.spec?.tenant ? { tenant: project.spec.tenant } : {}),
          decision: 'allow',
          code: result.status === 'Succeeded' ? 200 : 500,
          reason: retentionSummary(result),
        });
      } catch (err) {
        warn({ err, project: project.metadata.name }, 'scheduled retention did not run');
      }
    },
  });
  scheduler.start();
  app.addHook('onClose', async () => {
    await scheduler.stop();
    await Promise.all([gc.drain(), retention.drain()]);
  });
}
