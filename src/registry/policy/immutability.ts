/**
 * Tag immutability (Harbor's): a tag matching one of the project's rules cannot be moved to another
 * digest, deleted, or have its artifact deleted. Re-pushing the same digest is allowed (idempotent).
 * Repository patterns match the repository's path inside the project (`app`, `team/app`), tag
 * patterns the tag; both are doublestar globs. Violations answer 412, as Harbor does.
 */
import type { Project } from '../../api/index.js';
import { OciError } from '../errors.js';
import type { RepoName } from '../names.js';
import { matchesFilter } from '../patterns.js';

/** The predicate the metadata layer applies inside its transaction. */
export type TagGuard = (tag: string) => boolean;

/** Which tags of `repo` are immutable under `project`'s rules (undefined when none can be). */
export function immutableTagGuard(project: Project | undefined, repo: RepoName): TagGuard | undefined {
  const rules = (project?.spec?.immutableTags ?? []).filter((r) => matchesFilter(repo.path, r.repositories, r.excludeRepositories));
  if (rules.length === 0) return undefined;
  return (tag) => rules.some((r) => matchesFilter(tag, r.tags, r.excludeTags));
}

export function immutableTagError(repo: RepoName, tag: string, what: string): OciError {
  return new OciError(412, 'DENIED', `tag ${repo.full}:${tag} is immutable (project "${repo.project}" tag immutability rule); ${what}`, { repository: repo.full, tag });
}
