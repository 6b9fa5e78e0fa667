/**
 * Builds the HTTP server. The middleware chain, in order:
 *   body parsers (JSON, YAML; size limit)  -> reject bad input before any work
 *   authenticate (onRequest)               -> every non-public request has a principal
 *   route handler: authorize -> validate -> admission -> store
 *   audit (onSend)                         -> mutating and denied requests are chained into the log
 *   error handler                          -> one mapping of errors to Status bodies
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { BadRequestError } from '../api/index.js';
import { auditOnSend } from './audit-hook.js';
import { authenticate } from './authn.js';
import type { ServerContext } from './context.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerResourceRoutes } from './routes/resources.js';
import { statusBody, toStatus } from './status.js';

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('request body is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`malformed JSON body: ${(err as Error).message}`);
  }
}

function parseYamlBody(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('request body is empty');
  try {
    return parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const line = err instanceof YAMLParseError ? ` at line ${err.linePos?.[0]?.line ?? '?'}` : '';
    throw new BadRequestError(`malformed YAML body${line}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function buildServer(ctx: ServerContext, extra?: (app: FastifyInstance) => void | Promise<void>): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // One log line per request is too much at thousands of requests/s; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.options.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
  });
  app.decorateRequest('principal', undefined);
  app.decorateRequest('auditInfo', undefined);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYamlBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.addHook('onRequest', authenticate(ctx));
  app.addHook('onSend', auditOnSend(ctx));

  app.setErrorHandler((err, req, reply) => {
    const { body, internal } = toStatus(err, ctx.options.bodyLimitBytes);
    if (internal) req.log.error({ err, url: req.url, method: req.method }, 'request failed');
    void reply.code(body.code).type('application/json').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(statusBody(404, 'NotFound', `no route for ${req.method} ${req.url.split('?')[0]}`));
  });

  registerMetaRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerResourceRoutes(app, ctx);
  registerOperationRoutes(app, ctx);
  if (extra) await extra(app);
  return app;
}
