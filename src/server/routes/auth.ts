/**
 * Authentication endpoints: exchange a password for a token, mint tokens, set passwords, whoami.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ForbiddenError, ValidationError, schemaCauses } from '../../api/index.js';
import type { ServerContext } from '../context.js';
import { principalOf } from '../authz.js';

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }), ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 31_536_000 })) },
  { additionalProperties: false },
);
const TokenBody = Type.Object(
  { user: Type.Optional(Type.String({ minLength: 1 })), description: Type.Optional(Type.String({ maxLength: 256 })), ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 31_536_000 })) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object({ password: Type.String() }, { additionalProperties: false });

/** Session tokens from a password login last 12 hours unless asked otherwise (UAA's default access-token validity). */
export const LOGIN_TTL_SECONDS = 12 * 3600;

function parse<T extends Parameters<typeof schemaCauses>[0]>(schema: T, body: unknown): Static<T> {
  const causes = schemaCauses(schema, body ?? {}, '');
  if (causes.length) throw new ValidationError(causes.map((c) => ({ ...c, field: c.field || '(body)' })));
  return body as Static<T>;
}

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/auth/login', async (req) => {
    req.auditInfo = { verb: 'login', resource: 'sessions' };
    const body = parse(LoginBody, req.body);
    req.auditInfo.name = body.username;
    try {
      await ctx.tokens.checkPassword(body.username, body.password);
    } catch (err) {
      req.auditInfo.reason = (err as Error).message;
      throw err;
    }
    req.principal = { user: body.username, groups: [] };
    const minted = await ctx.tokens.mint(body.username, { ttlSeconds: body.ttlSeconds ?? LOGIN_TTL_SECONDS, description: 'password login' });
    return { token: minted.token, expiresAt: minted.expiresAt, user: minted.user, name: minted.name };
  });

  app.get('/auth/whoami', async (req) => {
    const p = principalOf(req);
    return { user: p.user, groups: p.groups, bindings: ctx.authorizer.grants(p).map((g) => ({ role: g.role, binding: g.binding, ...(g.tenant ? { tenant: g.tenant } : {}) })) };
  });

  app.post('/auth/tokens', async (req, reply) => {
    const p = principalOf(req);
    req.auditInfo = { verb: 'create', resource: 'tokens' };
    const body = parse(TokenBody, req.body);
    const user = body.user ?? p.user;
    req.auditInfo.name = user;
    if (user !== p.user && !ctx.authorizer.allows(p, 'create', 'tokens', undefined)) {
      req.auditInfo.reason = `user "${p.user}" cannot create tokens for "${user}"`;
      throw new ForbiddenError(req.auditInfo.reason);
    }
    const minted = await ctx.tokens.mint(user, { ...(body.ttlSeconds ? { ttlSeconds: body.ttlSeconds } : {}), ...(body.description ? { description: body.description } : {}) });
    reply.code(201);
    return minted;
  });

  app.put<{ Params: { name: string } }>('/auth/users/:name/password', async (req) => {
    const p = principalOf(req);
    req.auditInfo = { verb: 'update', resource: 'users/password', name: req.params.name };
    if (req.params.name !== p.user && !ctx.authorizer.allows(p, 'update', 'users/password', undefined)) {
      req.auditInfo.reason = `user "${p.user}" cannot set the password of "${req.params.name}"`;
      throw new ForbiddenError(req.auditInfo.reason);
    }
    const body = parse(PasswordBody, req.body);
    await ctx.tokens.setPassword(req.params.name, body.password);
    return {};
  });
}
