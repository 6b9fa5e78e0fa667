/**
 * Tag retention's decision for one repository (Harbor's rules): each rule whose repository filter
 * matches picks candidates — top-level artifacts with a tag matching its tag filter, plus untagged
 * ones when `includeUntagged` — and keeps the N most recently pushed, those pushed within N days,
 * or all of them. Rules are OR-combined; kept artifacts keep their index children and accessories
 * (closeOver); everything else in the repository is deleted. A repository no rule matches is not
 * touched at all. Pure: the caller supplies the graph and the time.
 */
import type { RetentionRule } from '../../api/index.js';
import { matchesFilter } from '../patterns.js';
import { closeOver, deletionOrder, type Artifact, type ArtifactGraph, type KeepReason } from './artifact-graph.js';

const DAY_MS = 86_400_000;

/** A rule in one line, for reasons and tables. */
export function describeRule(rule: RetentionRule, index: number): string {
  const what = rule.always ? 'always' : rule.latestPushed !== undefined ? `latest ${rule.latestPushed} pushed` : `pushed within ${rule.pushedWithinDays ?? 0} days`;
  const tags = `${rule.tags ?? '**'}${rule.excludeTags ? ` except ${rule.excludeTags}` : ''}${rule.includeUntagged ? ' + untagged' : ''}`;
  return `rule ${index + 1} (${what}, tags ${tags})`;
}

/** Whether a rule applies to a repository; `path` is the repository's name inside its project. */
export function ruleMatchesRepository(rule: RetentionRule, path: string): boolean {
  return matchesFilter(path, rule.repositories, rule.excludeRepositories);
}

/** Whether `a` is one of the rule's candidates (before its quantity is applied). */
export function isCandidate(rule: RetentionRule, a: Artifact): boolean {
  if (a.role !== 'artifact') return false;
  if (a.tags.length === 0) return rule.includeUntagged === true;
  return a.tags.some((t) => matchesFilter(t, rule.tags, rule.excludeTags));
}

/** Newest push first; digest as the last tie-break so the order is total. */
function byNewest(a: Artifact, b: Artifact): number {
  return b.pushOrder - a.pushOrder || b.pushedAt - a.pushedAt || a.digest.localeCompare(b.digest);
}

/** The top-level artifacts one rule keeps in a repository it matches. */
export function keptByRule(rule: RetentionRule, graph: ArtifactGraph, now: number): Artifact[] {
  const candidates = [...graph.byDigest.values()].filter((a) => isCandidate(rule, a)).sort(byNewest);
  if (rule.always === true) return candidates;
  if (rule.latestPushed !== undefined) return candidates.slice(0, rule.latestPushed);
  if (rule.pushedWithinDays !== undefined) {
    const since = now - rule.pushedWithinDays * DAY_MS;
    return candidates.filter((a) => a.pushedAt >= since);
  }
  return []; // no quantity: validateRetention refuses such a policy before it gets here
}

export interface RetentionPlan {
  /** Kept digests with why (rules, or the index / subject they follow). */
  readonly kept: ReadonlyMap<string, readonly KeepReason[]>;
  /** Digests to delete, in a safe order (see deletionOrder). */
  readonly deleted: readonly string[];
}

export interface SelectOptions {
  /** Extra protection (e.g. an immutable tag): a reason keeps the artifact whole. */
  readonly protect?: (a: Artifact) => KeepReason | undefined;
}

/**
 * The plan for one repository, or undefined when no rule's repository filter matches `path` (the
 * repository is then left alone).
 */
export function selectRetention(rules: readonly RetentionRule[], path: string, graph: ArtifactGraph, now: number, opts: SelectOptions = {}): RetentionPlan | undefined {
  const applicable = rules.map((rule, i) => ({ rule, i })).filter(({ rule }) => ruleMatchesRepository(rule, path));
  if (applicable.length === 0) return undefined;
  const roots = new Map<string, KeepReason[]>();
  const add = (d: string, reason: KeepReason) => roots.set(d, [...(roots.get(d) ?? []), reason]);
  for (const { rule, i } of applicable) for (const a of keptByRule(rule, graph, now)) add(a.digest, describeRule(rule, i));
  if (opts.protect) {
    for (const a of graph.byDigest.values()) {
      const reason = opts.protect(a);
      if (reason !== undefined) add(a.digest, reason);
    }
  }
  const kept = closeOver(graph, roots);
  const doomed = new Set([...graph.byDigest.keys()].filter((d) => !kept.has(d)));
  return { kept, deleted: deletionOrder(graph, doomed) };
}
