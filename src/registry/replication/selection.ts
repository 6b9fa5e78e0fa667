/**
 * Which repositories and tags a policy replicates, and where they land. Pure functions over names
 * so the rules are tested as a table:
 *   push: source `<project>/<path>`; filters match `<path>`; destination `<ns ?? project>/<path>`
 *   pull: source `<remote name>`; filters match it whole; destination `<project>/[<ns>/]<remote name>`
 * Accessory tags (`sha256-<hex>.sig`, ...) are never selected on their own: they travel with the
 * artifact they belong to.
 */
import type { ReplicationFilters, ReplicationPolicySpec } from '../../api/kinds/replication.js';
import { matchesFilter } from '../patterns.js';
import { accessorySubject } from './references.js';

/** Tags of a repository the policy copies (filtered, accessories left out), sorted. */
export function selectTags(tags: readonly string[], f: ReplicationFilters | undefined): string[] {
  return tags.filter((t) => accessorySubject(t) === undefined && matchesFilter(t, f?.tags, f?.excludeTags)).sort();
}

/** The name the repository filters see for a source repository. */
export function filterName(spec: Pick<ReplicationPolicySpec, 'direction' | 'project'>, srcRepo: string): string {
  return spec.direction === 'push' ? srcRepo.slice(spec.project.length + 1) : srcRepo;
}

/** Whether the policy replicates source repository `srcRepo`. */
export function selectsRepository(spec: Pick<ReplicationPolicySpec, 'direction' | 'project' | 'filters'>, srcRepo: string): boolean {
  if (spec.direction === 'push' && !srcRepo.startsWith(`${spec.project}/`)) return false;
  return matchesFilter(filterName(spec, srcRepo), spec.filters?.repositories, spec.filters?.excludeRepositories);
}

/** Where source repository `srcRepo` lands. */
export function destinationRepo(spec: Pick<ReplicationPolicySpec, 'direction' | 'project' | 'destinationNamespace'>, srcRepo: string): string {
  const ns = spec.destinationNamespace;
  if (spec.direction === 'push') return `${ns ?? spec.project}/${filterName(spec, srcRepo)}`;
  return `${spec.project}/${ns ? `${ns}/` : ''}${srcRepo}`;
}

const GLOB = /[*?[\]!()+@]/;

/**
 * The repository names a pattern stands for when it names them literally (`a/b` or `{a/b,c/d}`),
 * so a pull can run against a registry without `/v2/_catalog`; undefined for a real glob.
 */
export function literalRepositories(pattern: string | undefined): string[] | undefined {
  if (pattern === undefined || GLOB.test(pattern)) return undefined;
  const brace = /^\{([^{}]*)\}$/.exec(pattern);
  if (brace) {
    const names = (brace[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return names.length > 0 ? [...new Set(names)].sort() : undefined;
  }
  return /[{},]/.test(pattern) ? undefined : [pattern];
}
