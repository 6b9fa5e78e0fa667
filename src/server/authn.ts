/**
 * Authentication: every request except the public ones carries `Authorization: Bearer <token>`.
 * The principal is attached to the request; failures are 401 Status bodies (and audited).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../api/index.js';
import type { ServerContext } from './context.js';

/** Paths anyone may call: liveness, version, the API description, and the login exchange. */
const PUBLIC = new Set(['/healthz', '/readyz', '/version', '/openapi.json', '/auth/login']);

export function isPublic(url: string): boolean {
  const path = url.split('?')[0] ?? url;
  return PUBLIC.has(path);
}

export function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function authenticate(ctx: ServerContext) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (isPublic(req.url)) return;
    if (ctx.options.selfAuthenticatedPrefixes?.some((prefix) => req.url.startsWith(prefix))) return;
    const bearer = bearerOf(req);
    if (!bearer) {
      req.auditInfo = { verb: req.method.toLowerCase(), resource: req.url.split('?')[0] ?? req.url, reason: 'no credentials' };
      throw new UnauthorizedError('authentication required: send "Authorization: Bearer <token>" (see bulkhead login)');
    }
    try {
      req.principal = await ctx.tokens.authenticate(bearer);
    } catch (err) {
      req.auditInfo = { verb: req.method.toLowerCase(), resource: req.url.split('?')[0] ?? req.url, reason: (err as Error).message };
      throw err;
    }
  };
}
