/**
 * Blob upload endpoints: POST (session, monolithic `?digest=`, cross-repository `?mount=&from=`),
 * PATCH chunks in order (416 otherwise), PUT to close with `?digest=`, GET status, DELETE cancel.
 * Bytes stream from the socket to the upload file; nothing is visible until the digest verifies,
 * the quota allows it and the link is committed in the store.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { UploadState } from '../blob-store.js';
import { OciError, uploadInvalid, uploadUnknown } from '../errors.js';
import { rangeHeaders } from '../fs-blob-store.js';
import { parseDigest, parseRepoName, type DigestAlgorithm, type RepoName } from '../names.js';
import { actionsIn } from '../access.js';
import { authorize, type RegistryContext } from './registry-context.js';

interface UploadQuery {
  digest?: string;
  mount?: string;
  from?: string;
  'digest-algorithm'?: string;
}

const uploadUrl = (repo: RepoName, id: string) => `/v2/${repo.full}/blobs/uploads/${id}`;
const blobUrl = (repo: RepoName, digest: string) => `/v2/${repo.full}/blobs/${digest}`;

function hasBody(req: FastifyRequest): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

function sendState(reply: FastifyReply, repo: RepoName, state: UploadState, code: number): FastifyReply {
  return reply.code(code).headers({ location: uploadUrl(repo, state.id), ...rangeHeaders(state), 'content-length': 0 }).send();
}

/** `Content-Range: <start>-<end>` (inclusive), or undefined when absent (a streamed PATCH). */
function contentRange(req: FastifyRequest): { start: number; length: number } | undefined {
  const h = req.headers['content-range'];
  if (h === undefined) return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(h.trim());
  if (!m) throw uploadInvalid(`malformed Content-Range "${h}"`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) throw new OciError(416, 'BLOB_UPLOAD_INVALID', `Content-Range "${h}" ends before it starts`);
  return { start, length: end - start + 1 };
}

async function appendBody(rc: RegistryContext, req: FastifyRequest, repo: RepoName, state: UploadState): Promise<UploadState> {
  const cr = contentRange(req);
  try {
    return await rc.blobs.append(state.id, req.raw as Readable, cr?.start, cr?.length);
  } catch (err) {
    if (err instanceof OciError && err.status === 416) throw new OciError(416, err.code, err.message, err.detail, { ...err.headers, location: uploadUrl(repo, state.id) });
    throw err;
  }
}

async function finish(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, id: string, digest: string): Promise<unknown> {
  const info = await rc.blobs.commit(id, digest);
  req.auditInfo = { ...(req.auditInfo ?? { verb: 'push', resource: 'repositories' }), resource: 'repositories/blobs', name: `${repo.full}@${digest}` };
  await rc.meta.linkBlob(repo, digest, info.size);
  return reply.code(201).headers({ location: blobUrl(repo, digest), 'docker-content-digest': digest, 'content-length': 0 }).send();
}

/** Cross-repository mount: links the blob when the caller may pull `from` and it is there. */
async function tryMount(rc: RegistryContext, req: FastifyRequest, repo: RepoName, digest: string, from: string): Promise<boolean> {
  let source: RepoName;
  try {
    source = parseRepoName(from.split('/'));
  } catch {
    return false;
  }
  const project = await rc.meta.project(source.project);
  const who = req.registryIdentity;
  if (!project || !who || !actionsIn(rc.route.authorizer, who, project, rc.route.clock.now()).has('pull')) return false;
  const link = await rc.meta.link(source, digest);
  const info = link ? await rc.blobs.stat(digest) : undefined;
  if (!info) return false;
  await rc.meta.linkBlob(repo, digest, info.size);
  return true;
}

export async function startUpload(rc: RegistryContext, req: FastifyRequest<{ Querystring: UploadQuery }>, reply: FastifyReply, repo: RepoName): Promise<unknown> {
  await authorize(rc, req, repo, 'push', '');
  req.auditInfo = { ...(req.auditInfo ?? { verb: 'push', resource: 'repositories' }), resource: 'repositories/blobs' };
  const q = req.query;
  if (q.mount !== undefined) {
    parseDigest(q.mount);
    if (q.from !== undefined && (await tryMount(rc, req, repo, q.mount, q.from))) {
      req.auditInfo.name = `${repo.full}@${q.mount}`;
      return reply.code(201).headers({ location: blobUrl(repo, q.mount), 'docker-content-digest': q.mount, 'content-length': 0 }).send();
    }
  }
  const requested = q['digest-algorithm'];
  if (requested !== undefined && requested !== 'sha256' && requested !== 'sha512') throw new OciError(400, 'DIGEST_INVALID', `unsupported digest algorithm "${requested}"`);
  const alg: DigestAlgorithm = q.digest !== undefined ? parseDigest(q.digest).alg : (requested ?? 'sha256');
  const state = await rc.blobs.startUpload(repo.full, alg);
  if (q.digest !== undefined) {
    await rc.blobs.append(state.id, req.raw as Readable).catch(async (err: unknown) => {
      await rc.blobs.cancel(state.id).catch(() => undefined);
      throw err;
    });
    return finish(rc, req, reply, repo, state.id, q.digest);
  }
  if (hasBody(req)) (req.raw as Readable).resume();
  return sendState(reply, repo, state, 202);
}

async function sessionOf(rc: RegistryContext, repo: RepoName, id: string): Promise<UploadState> {
  const state = await rc.blobs.upload(id);
  if (!state || state.repo !== repo.full) throw uploadUnknown(id);
  return state;
}

export async function patchUpload(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, id: string): Promise<unknown> {
  await authorize(rc, req, repo, 'push', '');
  req.auditInfo = { ...(req.auditInfo ?? { verb: 'push', resource: 'repositories' }), resource: 'repositories/blobs/uploads', name: `${repo.full}/${id}` };
  const state = await sessionOf(rc, repo, id);
  return sendState(reply, repo, await appendBody(rc, req, repo, state), 202);
}

export async function putUpload(rc: RegistryContext, req: FastifyRequest<{ Querystring: UploadQuery }>, reply: FastifyReply, repo: RepoName, id: string): Promise<unknown> {
  await authorize(rc, req, repo, 'push', '');
  let state = await sessionOf(rc, repo, id);
  const digest = req.query.digest;
  if (digest === undefined) throw new OciError(400, 'DIGEST_INVALID', 'PUT closing an upload needs ?digest=');
  parseDigest(digest);
  if (hasBody(req)) state = await appendBody(rc, req, repo, state);
  return finish(rc, req, reply, repo, state.id, digest);
}

export async function uploadStatus(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, id: string): Promise<unknown> {
  await authorize(rc, req, repo, 'push', '');
  return sendState(reply, repo, await sessionOf(rc, repo, id), 204);
}

export async function cancelUpload(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, id: string): Promise<unknown> {
  await authorize(rc, req, repo, 'push', '');
  req.auditInfo = { ...(req.auditInfo ?? { verb: 'push', resource: 'repositories' }), resource: 'repositories/blobs/uploads', name: `${repo.full}/${id}` };
  await sessionOf(rc, repo, id);
  await rc.blobs.cancel(id);
  return reply.code(204).send();
}
