/**
 * The audit step of the middleware chain: before a response is sent, a mutating request (any
 * outcome) or a denied one (401/403, or a 404 that hid another tenant's object) is appended to the
 * hash-chained audit log. Awaiting the append means an acknowledged change always has its entry.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './context.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function auditOnSend(ctx: ServerContext) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const code = reply.statusCode;
    const info = req.auditInfo;
    const denied = code === 401 || code === 403 || (code === 404 && info?.reason !== undefined);
    if (!MUTATING.has(req.method) && !denied) return payload;
    const path = req.url.split('?')[0] ?? req.url;
    await ctx.auditor.record({
      time: new Date(ctx.clock.now()).toISOString(),
      user: req.principal?.user ?? 'anonymous',
      verb: info?.verb ?? req.method.toLowerCase(),
      resource: info?.resource ?? path,
      ...(info?.namespace ? { namespace: info.namespace } : {}),
      ...(info?.name ? { name: info.name } : {}),
      ...(info?.tenant ? { tenant: info.tenant } : {}),
      decision: denied ? 'deny' : 'allow',
      code,
      ...(info?.reason ? { reason: info.reason } : {}),
      sourceIp: req.ip,
      requestId: String(req.id),
    });
    return payload;
  };
}
