/** Content discovery: tags list with `n`/`last` and `Link` (end-8), referrers with `artifactType` (end-12). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciError, nameUnknown } from '../errors.js';
import { OCI_INDEX } from '../media-types.js';
import { parseDigest, type RepoName } from '../names.js';
import { authorize, type RegistryContext } from './registry-context.js';

interface TagsQuery {
  n?: string;
  last?: string;
}

export async function listTags(rc: RegistryContext, req: FastifyRequest<{ Querystring: TagsQuery }>, reply: FastifyReply, repo: RepoName): Promise<unknown> {
  await authorize(rc, req, repo, 'pull', '');
  if (!(await rc.meta.repositoryExists(repo))) throw nameUnknown(repo.full);
  const { n, last } = req.query;
  if (n !== undefined && !/^\d+$/.test(n)) throw new OciError(400, 'UNSUPPORTED', `n must be a non-negative integer, got "${n}"`);
  let tags = await rc.meta.tags(repo);
  if (last !== undefined) tags = tags.filter((t) => t > last);
  if (n !== undefined) {
    const limit = Number(n);
    if (tags.length > limit && limit > 0) {
      tags = tags.slice(0, limit);
      const next = tags[tags.length - 1] ?? '';
      reply.header('link', `</v2/${repo.full}/tags/list?last=${encodeURIComponent(next)}&n=${limit}>; rel="next"`);
    } else if (limit === 0) tags = [];
  }
  return reply.code(200).type('application/json').send({ name: repo.full, tags });
}

interface ReferrersQuery {
  artifactType?: string;
}

export async function listReferrers(rc: RegistryContext, req: FastifyRequest<{ Querystring: ReferrersQuery }>, reply: FastifyReply, repo: RepoName, digest: string): Promise<unknown> {
  parseDigest(digest);
  await authorize(rc, req, repo, 'pull', `@${digest}`);
  const filter = req.query.artifactType;
  const manifests = (await rc.meta.manifests(repo))
    .filter((m) => m.spec?.subject === digest)
    .filter((m) => filter === undefined || m.spec?.artifactType === filter)
    .map((m) => ({
      mediaType: m.spec?.mediaType ?? '',
      digest: m.metadata.name,
      size: m.spec?.size ?? 0,
      ...(m.spec?.artifactType ? { artifactType: m.spec.artifactType } : {}),
      ...(m.spec?.annotations ? { annotations: m.spec.annotations } : {}),
    }))
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  if (filter !== undefined) reply.header('oci-filters-applied', 'artifactType');
  return reply.code(200).header('content-type', OCI_INDEX).send(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })));
}
