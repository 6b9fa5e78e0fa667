/**
 * Content discovery: tags list with `n`/`last` and `Link` (end-8), the catalog (Docker's
 * `/v2/_catalog`, same paging, only repositories the caller may pull), referrers with
 * `artifactType` (end-12), paged with `Link`, merged with a client-maintained tag-schema fallback
 * index (`<alg>-<hex>`) so referrers pushed by clients that did not detect the API still show.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../api/index.js';
import { actionsIn } from '../access.js';
import { OciError, nameUnknown } from '../errors.js';
import { OCI_INDEX } from '../media-types.js';
import { parseDigest, type RepoName } from '../names.js';
import { authorize, identify, type RegistryContext } from './registry-context.js';

/** Referrers per response page; the rest follows the `Link` header. */
export const REFERRERS_PAGE = 1000;

interface TagsQuery {
  n?: string;
  last?: string;
}

function pageLimit(n: string | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!/^\d+$/.test(n)) throw new OciError(400, 'UNSUPPORTED', `n must be a non-negative integer, got "${n}"`);
  return Number(n);
}

/** GET /v2/_catalog?n=&last=: repositories the caller may pull, sorted, paged with `Link`. */
export async function listCatalog(rc: RegistryContext, req: FastifyRequest<{ Querystring: TagsQuery }>, reply: FastifyReply): Promise<unknown> {
  const who = await identify(rc, req);
  const limit = pageLimit(req.query.n);
  const last = req.query.last;
  const now = rc.route.clock.now();
  const visible = new Map<string, boolean>();
  const out: string[] = [];
  for (const name of await rc.meta.repositories()) {
    if (last !== undefined && name <= last) continue;
    const project = name.slice(0, name.indexOf('/'));
    let ok = visible.get(project);
    if (ok === undefined) {
      const p: Project | undefined = await rc.meta.project(project);
      ok = p ? actionsIn(rc.route.authorizer, who, p, now).has('pull') : false;
      visible.set(project, ok);
    }
    if (!ok) continue;
    if (limit !== undefined && out.length === limit) {
      const next = out[out.length - 1] ?? '';
      reply.header('link', `</v2/_catalog?last=${encodeURIComponent(next)}&n=${limit}>; rel="next"`);
      break;
    }
    out.push(name);
  }
  return reply.code(200).type('application/json').send({ repositories: limit === 0 ? [] : out });
}

export async function listTags(rc: RegistryContext, req: FastifyRequest<{ Querystring: TagsQuery }>, reply: FastifyReply, repo: RepoName): Promise<unknown> {
  await authorize(rc, req, repo, 'pull', '');
  if (!(await rc.meta.repositoryExists(repo))) throw nameUnknown(repo.full);
  const { n, last } = req.query;
  const limit = pageLimit(n);
  let tags = await rc.meta.tags(repo);
  if (last !== undefined) tags = tags.filter((t) => t > last);
  if (limit !== undefined) {
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
  last?: string;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Descriptors of the client-maintained fallback index tagged `<alg>-<hex>`, if there is one. */
async function fallbackReferrers(rc: RegistryContext, repo: RepoName, digest: string): Promise<Descriptor[]> {
  const fallbackDigest = await rc.meta.resolveTag(repo, digest.replace(':', '-'));
  const record = fallbackDigest ? await rc.meta.manifest(repo, fallbackDigest) : undefined;
  if (!fallbackDigest || record?.spec?.mediaType !== OCI_INDEX) return [];
  try {
    const doc = JSON.parse((await rc.blobs.readBytes(fallbackDigest)).toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(doc.manifests)) return [];
    return doc.manifests.filter((d): d is Descriptor => typeof d === 'object' && d !== null && typeof (d as Descriptor).digest === 'string' && typeof (d as Descriptor).mediaType === 'string');
  } catch {
    return [];
  }
}

export async function listReferrers(rc: RegistryContext, req: FastifyRequest<{ Querystring: ReferrersQuery }>, reply: FastifyReply, repo: RepoName, digest: string): Promise<unknown> {
  parseDigest(digest);
  await authorize(rc, req, repo, 'pull', `@${digest}`);
  const filter = req.query.artifactType;
  const last = req.query.last;
  const byDigest = new Map<string, Descriptor>();
  for (const d of await fallbackReferrers(rc, repo, digest)) byDigest.set(d.digest, d);
  for (const m of await rc.meta.manifests(repo)) {
    if (m.spec?.subject !== digest) continue;
    byDigest.set(m.metadata.name, {
      mediaType: m.spec.mediaType,
      digest: m.metadata.name,
      size: m.spec.size,
      ...(m.spec.artifactType ? { artifactType: m.spec.artifactType } : {}),
      ...(m.spec.annotations ? { annotations: m.spec.annotations } : {}),
    });
  }
  let manifests = [...byDigest.values()]
    .filter((d) => filter === undefined || d.artifactType === filter)
    .filter((d) => last === undefined || d.digest > last)
    .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  if (manifests.length > REFERRERS_PAGE) {
    manifests = manifests.slice(0, REFERRERS_PAGE);
    const q = new URLSearchParams({ ...(filter !== undefined ? { artifactType: filter } : {}), last: manifests[manifests.length - 1]?.digest ?? '' });
    reply.header('link', `</v2/${repo.full}/referrers/${digest}?${q.toString()}>; rel="next"`);
  }
  if (filter !== undefined) reply.header('oci-filters-applied', 'artifactType');
  return reply.code(200).header('content-type', OCI_INDEX).send(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests })));
}
