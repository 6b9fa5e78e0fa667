/** Blob endpoints: GET/HEAD with Range (end-2), DELETE (end-10). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciError, blobUnknown } from '../errors.js';
import { parseDigest, type RepoName } from '../names.js';
import { authorize, type RegistryContext } from './registry-context.js';

/** Parses a single `bytes=` range against `size`; undefined for none, 'bad' when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | 'bad' {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'bad';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'bad';
  return { start, end };
}

export async function getBlob(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, digest: string): Promise<unknown> {
  parseDigest(digest);
  await authorize(rc, req, repo, 'pull', `@${digest}`);
  const link = await rc.meta.link(repo, digest);
  const info = link ? await rc.blobs.stat(digest) : undefined;
  if (!info) throw blobUnknown(digest);
  reply.header('docker-content-digest', digest).header('accept-ranges', 'bytes').header('etag', `"${digest}"`).header('cache-control', 'max-age=31536000');
  reply.type('application/octet-stream');
  const range = parseRange(req.headers.range, info.size);
  if (range === 'bad') {
    reply.header('content-range', `bytes */${info.size}`);
    throw new OciError(416, 'BLOB_UNKNOWN', `range ${req.headers.range ?? ''} not satisfiable for a blob of ${info.size} bytes`, undefined, { 'content-range': `bytes */${info.size}` });
  }
  if (range) {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`).header('content-length', range.end - range.start + 1);
    if (req.method === 'HEAD') return reply.send();
    return reply.send(rc.blobs.read(digest, range));
  }
  reply.header('content-length', info.size);
  if (req.method === 'HEAD') return reply.send();
  // The whole blob as a range: the store sizes its read buffers (up to 1 MiB) to the blob.
  return reply.send(info.size > 0 ? rc.blobs.read(digest, { start: 0, end: info.size - 1 }) : rc.blobs.read(digest));
}

export async function deleteBlob(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, repo: RepoName, digest: string): Promise<unknown> {
  parseDigest(digest);
  await authorize(rc, req, repo, 'delete', `@${digest}`);
  req.auditInfo = { ...(req.auditInfo ?? { verb: 'delete', resource: 'repositories' }), resource: 'repositories/blobs' };
  if (!(await rc.meta.deleteBlob(repo, digest))) throw blobUnknown(digest);
  return reply.code(202).header('content-length', 0).send();
}
