/**
 * The /v2 surface, in its own Fastify scope so its body handling and error format do not touch the
 * platform's: every body is left unread for the handler to stream (blobs to disk, manifests to a
 * bounded buffer), and every error is an OCI `{ errors: [...] }` body. Paths are parsed from the
 * end because repository names contain slashes:
 *   /v2/                        ping          /v2/token            Docker token flow
 *   <name>/manifests/<ref>      manifests     <name>/blobs/<digest>               blobs
 *   <name>/blobs/uploads/[id]   uploads       <name>/tags/list     <name>/referrers/<digest>
 *   _catalog                    repositories the caller may pull
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulkheadError } from '../../api/index.js';
import { OciError } from '../errors.js';
import { parseRepoName } from '../names.js';
import { deleteBlob, getBlob } from './blobs.js';
import { listCatalog, listReferrers, listTags } from './discovery.js';
import { deleteManifest, getManifest, putManifest } from './manifests.js';
import { identify, unauthorized, type RegistryContext } from './registry-context.js';
import { SESSION_TOKEN_SECONDS } from '../session-tokens.js';
import { cancelUpload, patchUpload, putUpload, startUpload, uploadStatus } from './uploads.js';

type Req = FastifyRequest<{ Querystring: Record<string, string | undefined> }>;

const methodNotAllowed = (req: FastifyRequest) => new OciError(405, 'UNSUPPORTED', `${req.method} is not supported on ${req.url.split('?')[0] ?? ''}`);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function ping(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const who = await identify(rc, req);
  if (who.kind === 'anonymous') throw unauthorized(req, 'authentication required');
  return reply.code(200).type('application/json').send({});
}

/** GET /v2/token: exchanges Basic credentials (or none: anonymous) for a short-lived bearer token. */
async function token(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const who = await identify(rc, req);
  const t = await rc.sessions.issue(who, rc.route.clock.now());
  const issuedAt = new Date(rc.route.clock.now()).toISOString();
  return reply.code(200).type('application/json').send({ token: t, access_token: t, expires_in: SESSION_TOKEN_SECONDS, issued_at: issuedAt });
}

async function dispatch(rc: RegistryContext, req: Req, reply: FastifyReply): Promise<unknown> {
  const path = (req.url.split('?')[0] ?? '').replace(/^\/v2\/?/, '');
  const seg = path.split('/');
  while (seg.length > 0 && seg[seg.length - 1] === '') seg.pop();
  const m = req.method;
  if (seg.length === 0) return m === 'GET' || m === 'HEAD' ? ping(rc, req, reply) : Promise.reject(methodNotAllowed(req));
  if (seg.length === 1 && seg[0] === 'token' && m === 'GET') return token(rc, req, reply);
  if (seg.length === 1 && seg[0] === '_catalog') {
    if (m !== 'GET') throw methodNotAllowed(req);
    return listCatalog(rc, req, reply);
  }
  const n = seg.length;
  const last = seg[n - 1] ?? '';
  const prev = seg[n - 2];
  if (prev === 'tags' && last === 'list' && n >= 3) {
    if (m !== 'GET' && m !== 'HEAD') throw methodNotAllowed(req);
    return listTags(rc, req, reply, parseRepoName(seg.slice(0, n - 2)));
  }
  if (last === 'uploads' && prev === 'blobs' && n >= 3) {
    if (m !== 'POST') throw methodNotAllowed(req);
    return startUpload(rc, req, reply, parseRepoName(seg.slice(0, n - 2)));
  }
  if (prev === 'uploads' && seg[n - 3] === 'blobs' && n >= 4) {
    const repo = parseRepoName(seg.slice(0, n - 3));
    if (m === 'PATCH') return patchUpload(rc, req, reply, repo, last);
    if (m === 'PUT') return putUpload(rc, req, reply, repo, last);
    if (m === 'GET') return uploadStatus(rc, req, reply, repo, last);
    if (m === 'DELETE') return cancelUpload(rc, req, reply, repo, last);
    throw methodNotAllowed(req);
  }
  const ref = safeDecode(last);
  if (prev === 'manifests' && n >= 3) {
    const repo = parseRepoName(seg.slice(0, n - 2));
    if (m === 'GET' || m === 'HEAD') return getManifest(rc, req, reply, repo, ref);
    if (m === 'PUT') return putManifest(rc, req, reply, repo, ref);
    if (m === 'DELETE') return deleteManifest(rc, req, reply, repo, ref);
    throw methodNotAllowed(req);
  }
  if (prev === 'blobs' && n >= 3) {
    const repo = parseRepoName(seg.slice(0, n - 2));
    if (m === 'GET' || m === 'HEAD') return getBlob(rc, req, reply, repo, ref);
    if (m === 'DELETE') return deleteBlob(rc, req, reply, repo, ref);
    throw methodNotAllowed(req);
  }
  if (prev === 'referrers' && n >= 3) {
    if (m !== 'GET') throw methodNotAllowed(req);
    return listReferrers(rc, req, reply, parseRepoName(seg.slice(0, n - 2)), ref);
  }
  // Validate the name part so traversal and bad names get NAME_INVALID rather than a bare 404.
  parseRepoName(n > 2 ? seg.slice(0, n - 2) : seg);
  throw new OciError(404, 'NAME_UNKNOWN', `no registry endpoint at /v2/${path}`);
}

function toOci(err: unknown): OciError {
  if (err instanceof OciError) return err;
  if (err instanceof BulkheadError) {
    if (err.code === 401) return new OciError(401, 'UNAUTHORIZED', err.message);
    if (err.code === 403) return new OciError(403, 'DENIED', err.message);
    if (err.code === 404) return new OciError(404, 'NAME_UNKNOWN', err.message);
    if (err.code === 413) return new OciError(413, 'SIZE_INVALID', err.message);
    if (err.code < 500) return new OciError(err.code, 'UNSUPPORTED', err.message);
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode < 500) return new OciError(fe.statusCode, 'UNSUPPORTED', fe.message ?? 'bad request');
  return new OciError(500, 'UNSUPPORTED', 'internal registry error');
}

export function registerV2Routes(app: FastifyInstance, rc: RegistryContext): void {
  void app.register(async (scope) => {
    scope.decorateRequest('registryIdentity', undefined);
    // Bodies are streamed by the handlers themselves: no parsing, no server-wide size limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.setErrorHandler((err, req, reply) => {
      const oci = toOci(err);
      if (oci.status >= 500) req.log.error({ err, url: req.url, method: req.method }, 'registry request failed');
      if (oci.status === 401 && !oci.headers['www-authenticate']) reply.header('www-authenticate', unauthorized(req, oci.message).headers['www-authenticate']);
      void reply.code(oci.status).headers(oci.headers).type('application/json').send(oci.body());
    });
    const handler = (req: Req, reply: FastifyReply) => dispatch(rc, req, reply);
    const opts = { exposeHeadRoute: false, handler } as const;
    scope.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/v2', ...opts });
    scope.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/v2/*', ...opts });
  });
}
