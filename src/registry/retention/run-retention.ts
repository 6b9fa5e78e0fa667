/**
 * One retention run over a project: per repository, in one store transaction, read its manifests
 * and tags, decide with selectRetention (plus tag immutability: an artifact with an immutable tag
 * is never deleted) and delete the rest through RegistryMetadata.deleteManifest, which removes
 * their tags and releases their quota. Deciding inside the transaction means a push that lands
 * meanwhile is either seen or waits; nothing is deleted on a stale view. A dry run decides the
 * same way and deletes nothing. The blobs of deleted artifacts are freed by garbage collection.
 */
import { ValidationError, type ImmutableTagRule, type Project, type RetentionRule } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Store } from '../../store/index.js';
import type { RegistryEvents } from '../events.js';
import { listRepositories, readRepository } from '../gc/repo-snapshot.js';
import { metadataIn } from '../gc/tx-metadata.js';
import type { RepoName } from '../names.js';
import { matchesFilter } from '../patterns.js';
import { buildArtifactGraph, type Artifact } from './artifact-graph.js';
import { describeRule, ruleMatchesRepository, selectRetention, type RetentionPlan } from './select.js';
import type { RepositoryOutcome, RetentionResult } from './types.js';
import { validateRetention } from './validate.js';

export interface RetentionDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Deleted artifacts are announced here after their transaction commits. */
  readonly events?: RegistryEvents;
}

/** The first immutable tag of `a` in repository `path`, as a keep reason. */
function immutableGuard(rules: readonly ImmutableTagRule[], path: string): (a: Artifact) => string | undefined {
  const applicable = rules.filter((r) => matchesFilter(path, r.repositories, r.excludeRepositories));
  return (a) => {
    for (const t of a.tags) if (applicable.some((r) => matchesFilter(t, r.tags, r.excludeTags))) return `immutable tag ${t}`;
    return undefined;
  };
}

function outcome(repo: RepoName, plan: RetentionPlan, byDigest: ReadonlyMap<string, Artifact>): RepositoryOutcome {
  const tagsOf = (d: string) => byDigest.get(d)?.tags ?? [];
  return {
    repository: repo.full,
    kept: [...plan.kept].map(([digest, reasons]) => ({ digest, tags: tagsOf(digest), reasons })).sort((a, b) => a.digest.localeCompare(b.digest)),
    deleted: plan.deleted.map((digest) => ({ digest, tags: tagsOf(digest), role: byDigest.get(digest)?.role ?? 'artifact' })),
  };
}

/** The project's rules, refused (422) when absent or when a rule does not name exactly one quantity. */
export function retentionRules(project: Project): readonly RetentionRule[] {
  const name = project.metadata.name;
  const rules = project.spec?.retention?.rules ?? [];
  if (rules.length === 0) throw ValidationError.field('spec.retention.rules', 'the project has no retention rules', { kind: 'Project', name });
  const causes = validateRetention(project.spec);
  if (causes.length > 0) throw new ValidationError(causes, { kind: 'Project', name });
  return rules;
}

/** Runs (or, with dryRun, simulates) retention; a failure part-way returns status Failed with what was done. */
export async function runRetention(deps: RetentionDeps, project: Project, dryRun: boolean, run: { readonly id: string; readonly user: string }): Promise<RetentionResult> {
  const rules = retentionRules(project);
  const immutable = project.spec?.immutableTags ?? [];
  const started = deps.clock.now();
  const repositories: RepositoryOutcome[] = [];
  const untouched: string[] = [];
  let error: string | undefined;
  try {
    for (const repo of await listRepositories(deps.store, project.metadata.name)) {
      if (!rules.some((r) => ruleMatchesRepository(r, repo.path))) {
        untouched.push(repo.full);
        continue;
      }
      const decide = async (ops: Pick<Store, 'list'>) => {
        const snap = await readRepository(ops, repo);
        const now = deps.clock.now();
        const graph = buildArtifactGraph(snap.manifests, snap.tags, now);
        const plan = selectRetention(rules, repo.path, graph, now, { protect: immutableGuard(immutable, repo.path) }) ?? { kept: new Map(), deleted: [] };
        return { plan, graph };
      };
      if (dryRun) {
        const { plan, graph } = await decide(deps.store);
        repositories.push(outcome(repo, plan, graph.byDigest));
        continue;
      }
      const { plan, graph } = await deps.store.transaction(async (tx) => {
        const decided = await decide(tx);
        const meta = metadataIn(tx);
        for (const d of decided.plan.deleted) await meta.deleteManifest(repo, d);
        return decided;
      });
      repositories.push(outcome(repo, plan, graph.byDigest));
      for (const d of plan.deleted) deps.events?.emit('deleted', { repo, reference: d, user: run.user });
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const finished = deps.clock.now();
  return {
    id: run.id,
    project: project.metadata.name,
    status: error === undefined ? 'Succeeded' : 'Failed',
    ...(error !== undefined ? { error } : {}),
    user: run.user,
    dryRun,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    rules: rules.map(describeRule),
    keptCount: repositories.reduce((n, r) => n + r.kept.length, 0),
    deletedCount: repositories.reduce((n, r) => n + r.deleted.length, 0),
    repositories,
    untouched,
  };
}
