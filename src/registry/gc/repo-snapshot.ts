/**
 * Reads what maintenance needs about repositories from the store (inside or outside a
 * transaction): the repository list, and per repository its manifests, tags and blob links.
 */
import type { StoreOps } from '../../store/index.js';
import {
  BLOB_LINK_KIND,
  MANIFEST_KIND,
  REPOSITORY_KIND,
  TAG_KIND,
  type BlobLink,
  type ManifestRecord,
  type TagRecord,
} from '../metadata-kinds.js';
import type { RepoName } from '../names.js';

export interface RepoSnapshot {
  readonly repo: RepoName;
  readonly manifests: readonly ManifestRecord[];
  readonly tags: readonly TagRecord[];
  readonly links: readonly BlobLink[];
}

/** Every repository, or those of one project, sorted by name. */
export async function listRepositories(ops: Pick<StoreOps, 'list'>, project?: string): Promise<RepoName[]> {
  const res = await ops.list(REPOSITORY_KIND, project === undefined ? {} : { namespace: project });
  return res.items
    .map((r) => {
      const p = r.metadata.namespace ?? '';
      return { project: p, path: r.metadata.name, full: `${p}/${r.metadata.name}` };
    })
    .sort((a, b) => a.full.localeCompare(b.full));
}

export async function readRepository(ops: Pick<StoreOps, 'list'>, repo: RepoName): Promise<RepoSnapshot> {
  const ns = { namespace: repo.full };
  const [manifests, tags, links] = await Promise.all([
    ops.list<ManifestRecord>(MANIFEST_KIND, ns),
    ops.list<TagRecord>(TAG_KIND, ns),
    ops.list<BlobLink>(BLOB_LINK_KIND, ns),
  ]);
  return { repo, manifests: manifests.items, tags: tags.items, links: links.items };
}
