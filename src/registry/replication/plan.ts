/**
 * An execution's work list. A full run lists the source (the project's repositories for push; the
 * remote's `/v2/_catalog`, or the repositories named literally in the filter, for pull), keeps the
 * selected tags and groups them by the digest they point at: one task per artifact. An event run
 * turns the pushes and deletes it was triggered by into tasks, after the same filters.
 */
import type { ReplicationPolicySpec } from '../../api/kinds/replication.js';
import type { ManifestDeleted, ManifestPushed } from '../events.js';
import { matchesFilter } from '../patterns.js';
import type { RegistryEndpoint } from './endpoint.js';
import { ReplicationConfigError } from './errors.js';
import { accessorySubject } from './references.js';
import { destinationRepo, literalRepositories, selectTags, selectsRepository } from './selection.js';

export type ReplicationTask =
  | { readonly kind: 'copy'; readonly srcRepo: string; readonly dstRepo: string; readonly digest: string; readonly tags: readonly string[] }
  | { readonly kind: 'delete'; readonly dstRepo: string; readonly reference: string };

/** What an execution was asked to do: everything the filters select, or what some events touched. */
export type ReplicationWork = { readonly kind: 'all' } | { readonly kind: 'events'; readonly pushed: readonly ManifestPushed[]; readonly deleted: readonly ManifestDeleted[] };

/** How a task is named in errors and logs. */
export function taskLabel(t: ReplicationTask): string {
  if (t.kind === 'delete') return `delete ${t.dstRepo}${t.reference.includes(':') ? '@' : ':'}${t.reference}`;
  return t.tags.length > 0 ? `${t.srcRepo}:${t.tags.join(',')}` : `${t.srcRepo}@${t.digest}`;
}

async function sourceRepositories(spec: ReplicationPolicySpec, src: RegistryEndpoint): Promise<string[]> {
  if (spec.direction === 'push') return (await src.repositories(spec.project)) ?? [];
  const named = literalRepositories(spec.filters?.repositories);
  if (named) return named;
  const all = await src.repositories();
  if (all === undefined)
    throw new ReplicationConfigError(
      `${src.name} does not list its repositories (/v2/_catalog): name them literally in spec.filters.repositories, e.g. "library/app" or "{library/app,tools/cli}"`,
    );
  return all;
}

/** Tasks of a full run: one per (repository, digest), carrying every selected tag of that digest. */
export async function planAll(spec: ReplicationPolicySpec, src: RegistryEndpoint): Promise<ReplicationTask[]> {
  const tasks: ReplicationTask[] = [];
  for (const repo of (await sourceRepositories(spec, src)).filter((r) => selectsRepository(spec, r)).sort()) {
    const byDigest = new Map<string, string[]>();
    for (const tag of selectTags(await src.tags(repo), spec.filters)) {
      const ref = await src.headManifest(repo, tag);
      if (ref) byDigest.set(ref.digest, [...(byDigest.get(ref.digest) ?? []), tag]);
    }
    for (const [digest, tags] of byDigest) tasks.push({ kind: 'copy', srcRepo: repo, dstRepo: destinationRepo(spec, repo), digest, tags });
  }
  return tasks;
}

/** Tags of `digest` in `repo` that the policy selects (for a signature pushed after its image). */
async function selectedTagsOf(spec: ReplicationPolicySpec, src: RegistryEndpoint, repo: string, digest: string): Promise<string[]> {
  const out: string[] = [];
  for (const tag of selectTags(await src.tags(repo), spec.filters)) if ((await src.headManifest(repo, tag))?.digest === digest) out.push(tag);
  return out;
}

/**
 * Tasks for pushes and deletes in the local project (push policies). A pushed signature tag or
 * referrer replicates its subject's accessories when the subject is selected (Harbor cannot: its
 * event-based replication of signatures has the chicken-and-egg problem).
 */
export async function planEvents(spec: ReplicationPolicySpec, src: RegistryEndpoint, work: Extract<ReplicationWork, { kind: 'events' }>): Promise<ReplicationTask[]> {
  // Keyed by artifact, so a tag pushed twice, or an image and then its signature, copy once.
  const tasks = new Map<string, ReplicationTask>();
  const add = (key: string, t: ReplicationTask) => tasks.set(key, t);
  const addCopy = (repo: string, digest: string, tags: readonly string[]) => {
    const key = `${repo}@${digest}`;
    const had = tasks.get(key);
    const merged = [...new Set([...(had?.kind === 'copy' ? had.tags : []), ...tags])].sort();
    add(key, { kind: 'copy', srcRepo: repo, dstRepo: destinationRepo(spec, repo), digest, tags: merged });
  };
  for (const ev of work.pushed) {
    const repo = ev.repo.full;
    if (!selectsRepository(spec, repo)) continue;
    const subject = ev.subject ?? (ev.tag !== undefined ? accessorySubject(ev.tag) : undefined);
    if (subject !== undefined) {
      const tags = await selectedTagsOf(spec, src, repo, subject);
      if (tags.length > 0) addCopy(repo, subject, tags);
      continue;
    }
    if (ev.tag === undefined || selectTags([ev.tag], spec.filters).length === 0) continue;
    // The tag may have moved since the event: copy what it points at now.
    const current = await src.headManifest(repo, ev.tag);
    if (current) addCopy(repo, current.digest, [ev.tag]);
  }
  if (spec.deletion) {
    for (const ev of work.deleted) {
      const repo = ev.repo.full;
      if (!selectsRepository(spec, repo)) continue;
      const isTag = !ev.reference.includes(':');
      if (isTag && !matchesFilter(ev.reference, spec.filters?.tags, spec.filters?.excludeTags)) continue;
      add(`delete ${repo} ${ev.reference}`, { kind: 'delete', dstRepo: destinationRepo(spec, repo), reference: ev.reference });
    }
  }
  return [...tasks.values()];
}
