/** Manifest endpoints: GET/HEAD (end-3), PUT (end-7, with `subject`), DELETE by tag or digest (end-9). */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { OciError, digestInvalid, manifestInvalid, manifestUnknown } from '../errors.js';
import { parseManifest } from '../manifest.js';
import { userOf } from '../access.js';
import { MAX_MANIFEST_BYTES } from '../media-types.js';
import { isDigest, isTag, parseDigest, type RepoName } from '../names.js';
import { immutableTagGuard } from '../policy/immutability.js';
import { auditPull, authorize, type RegistryContext } from './registry-context.js';

/** A reference is a tag or a digest, nothing else. */
function checkReference(ref: string): 'tag' | 'digest' {
  if (isDigest(ref)) return 'digest';
  if (ref.includes(':')) throw digestInvalid(`invalid or unsupported digest "${ref}"`);
  if (!isTag(ref)) throw manifestInvalid(`"${ref}" is neither a tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}) nor a digest`);
  return 'tag';
}

const refName = (repo: RepoName, ref: string) => `${repo.full}${isDigest(ref) ? '@' : ':'}${ref}`;

async function readLimited(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > limit) {
      body.resume();
      throw new OciError(413, 'SIZE_INVALID', `manifest exceeds the limit of ${limit} bytes`, { limit });
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function getManifest(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, ref: string): Promise<unknown> {
  const kind = checkReference(ref);
  const project = await authorize(rc, req, repo, 'pull', kind === 'tag' ? `:${ref}` : `@${ref}`);
  const digest = kind === 'digest' ? ref : await rc.meta.resolveTag(repo, ref);
  const record = digest ? await rc.meta.manifest(repo, digest) : undefined;
  if (!digest || !record?.spec) throw manifestUnknown(ref);
  const bytes = await rc.blobs.readBytes(digest);
  reply.code(200).headers({ 'content-type': record.spec.mediaType, 'docker-content-digest': digest, etag: `"${digest}"`, 'content-length': bytes.length });
  if (req.method === 'HEAD') return reply.send();
  auditPull(rc, req, reply, refName(repo, ref), project.spec?.tenant);
  return reply.send(bytes);
}

export async function putManifest(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, ref: string): Promise<unknown> {
  const kind = checkReference(ref);
  const project = await authorize(rc, req, repo, 'push', kind === 'tag' ? `:${ref}` : `@${ref}`);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_MANIFEST_BYTES) {
    (req.raw as Readable).resume();
    throw new OciError(413, 'SIZE_INVALID', `manifest exceeds the limit of ${MAX_MANIFEST_BYTES} bytes`, { limit: MAX_MANIFEST_BYTES });
  }
  const bytes = await readLimited(req.raw as Readable, MAX_MANIFEST_BYTES);
  const alg = kind === 'digest' ? parseDigest(ref).alg : 'sha256';
  const digest = `${alg}:${createHash(alg).update(bytes).digest('hex')}`;
  if (kind === 'digest' && digest !== ref) throw digestInvalid(`manifest digest ${digest} does not match the reference ${ref}`);
  const parsed = parseManifest(bytes, req.headers['content-type']);
  await rc.blobs.putBytes(digest, bytes);
  await rc.meta.putManifest(repo, digest, { ...parsed, size: bytes.length }, kind === 'tag' ? ref : undefined, immutableTagGuard(project, repo));
  if (req.auditInfo) req.auditInfo.name = `${repo.full}${kind === 'tag' ? `:${ref}` : ''}@${digest}`;
  reply.code(201).headers({ location: `/v2/${repo.full}/manifests/${digest}`, 'docker-content-digest': digest, 'content-length': 0 });
  if (parsed.subject) reply.header('oci-subject', parsed.subject);
  const sent = reply.send();
  const user = req.registryIdentity ? userOf(req.registryIdentity) : 'anonymous';
  rc.events.emit('pushed', {
    repo,
    digest,
    mediaType: parsed.mediaType,
    user,
    ...(kind === 'tag' ? { tag: ref } : {}),
    ...(parsed.subject ? { subject: parsed.subject } : {}),
    ...(project.spec?.tenant ? { tenant: project.spec.tenant } : {}),
  });
  // Scan on push (not referrers such as signatures): in the background, after the 201; a failure
  // only stores an Error report.
  if (rc.scanner && !parsed.subject) {
    const tenant = project.spec?.tenant;
    rc.scanner.start(repo, digest, { user: req.registryIdentity ? userOf(req.registryIdentity) : 'anonymous', ...(tenant ? { tenant } : {}), sourceIp: req.ip, requestId: String(req.id) });
  }
  return sent;
}

export async function deleteManifest(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, ref: string): Promise<unknown> {
  const kind = checkReference(ref);
  const project = await authorize(rc, req, repo, 'delete', kind === 'tag' ? `:${ref}` : `@${ref}`);
  const guard = immutableTagGuard(project, repo);
  const ok = kind === 'tag' ? await rc.meta.deleteTag(repo, ref, guard) : await rc.meta.deleteManifest(repo, ref, guard);
  if (!ok) throw manifestUnknown(ref);
  rc.events.emit('deleted', { repo, reference: ref, user: req.registryIdentity ? userOf(req.registryIdentity) : 'anonymous' });
  return reply.code(202).header('content-length', 0).send();
}
