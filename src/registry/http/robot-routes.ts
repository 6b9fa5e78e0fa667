/**
 * `POST /registry/v1/robots`: mints a robot account and returns its token once (the generic
 * RobotAccount REST cannot: it never sees the secret). Behind the platform's bearer
 * authentication; allowed to whoever may create robotaccounts in the project's tenant, and to the
 * project's projectAdmin members.
 */
import type { FastifyInstance } from 'fastify';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ROBOT_PERMISSIONS,
  UnauthorizedError,
  ValidationError,
  nameCauses,
  schemaCauses,
  RobotAccountSpecSchema,
  type RobotAccountSpec,
} from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { mintRobot } from '../robots.js';
import type { RegistryMetadata } from '../metadata.js';

export const ROBOTS_PATH = '/registry/v1/robots';

interface MintBody {
  name?: unknown;
  project?: unknown;
  permissions?: unknown;
  ttlSeconds?: unknown;
  description?: unknown;
}

export function registerRobotRoutes(app: FastifyInstance, ctx: RouteContext, meta: RegistryMetadata): void {
  app.post<{ Body: MintBody }>(ROBOTS_PATH, async (req, reply) => {
    const body = req.body ?? {};
    req.auditInfo = { verb: 'create', resource: 'robotaccounts', ...(typeof body.name === 'string' ? { name: body.name } : {}) };
    const p = req.principal;
    if (!p) throw new UnauthorizedError();
    if (typeof body !== 'object') throw new BadRequestError('body must be a JSON object');
    const nameProblems = nameCauses(body.name, 'name');
    if (nameProblems.length) throw new ValidationError(nameProblems, { kind: 'RobotAccount' });
    const name = body.name as string;
    if (body.ttlSeconds !== undefined && (typeof body.ttlSeconds !== 'number' || !Number.isSafeInteger(body.ttlSeconds) || body.ttlSeconds <= 0))
      throw ValidationError.field('ttlSeconds', 'must be a positive integer', { kind: 'RobotAccount', name });
    const expiresAt = typeof body.ttlSeconds === 'number' ? new Date(ctx.clock.now() + body.ttlSeconds * 1000).toISOString() : undefined;
    const spec = {
      project: body.project,
      permissions: body.permissions ?? ['pull'],
      ...(expiresAt ? { expiresAt } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
    };
    const causes = schemaCauses(RobotAccountSpecSchema, spec, 'spec');
    if (causes.length) throw new ValidationError(causes, { kind: 'RobotAccount', name });
    const typed = spec as RobotAccountSpec;
    const project = await meta.project(typed.project);
    if (!project?.spec) throw new NotFoundError('Project', typed.project);
    const tenant = project.spec.tenant;
    req.auditInfo.tenant = tenant;
    const isAdminMember = (project.spec.members ?? []).some((m) => m.role === 'projectAdmin' && (m.kind === 'User' ? m.name === p.user : p.groups.includes(m.name)));
    if (!isAdminMember && !ctx.authorizer.allows(p, 'create', 'robotaccounts', tenant)) {
      req.auditInfo.reason = `user "${p.user}" cannot create robot accounts in project "${typed.project}"`;
      throw new ForbiddenError(req.auditInfo.reason);
    }
    const permissions = [...new Set(typed.permissions)].sort((a, b) => ROBOT_PERMISSIONS.indexOf(a) - ROBOT_PERMISSIONS.indexOf(b));
    const minted = await mintRobot(ctx.store, project, name, { ...typed, permissions });
    return reply.code(201).send(minted);
  });
}
