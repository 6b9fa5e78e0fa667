import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RetentionRule } from '../../api/index.js';
import type { ManifestRecord, TagRecord } from '../metadata-kinds.js';
import { matchesFilter } from '../patterns.js';
import { buildArtifactGraph, type Artifact } from './artifact-graph.js';
import { selectRetention } from './select.js';
import { NOW, dg, manifest, sigTag, tag } from './test-records.test-util.js';

const DAY = 86_400_000;

/** Five tagged images v1..v5 pushed in order, a release, an untagged one, a signed image. */
function fixture() {
  const manifests: ManifestRecord[] = [];
  const tags: TagRecord[] = [];
  for (let i = 1; i <= 5; i++) {
    manifests.push(manifest({ digest: dg(i), rev: i, ageDays: 10 - i }));
    tags.push(tag(`v${i}`, dg(i), 100 + i, 10 - i));
  }
  manifests.push(manifest({ digest: dg(6), rev: 6, ageDays: 30 }));
  tags.push(tag('release-1', dg(6), 106, 30));
  manifests.push(manifest({ digest: dg(7), rev: 7, ageDays: 1 })); // untagged
  manifests.push(manifest({ digest: dg(8), rev: 8 })); // cosign signature of v5
  tags.push(tag(sigTag(dg(5)), dg(8), 108));
  manifests.push(manifest({ digest: dg(9), rev: 9, subject: dg(1) })); // referrer of v1
  return buildArtifactGraph(manifests, tags, NOW);
}

const keptTags = (rules: RetentionRule[], path = 'app') => {
  const g = fixture();
  const plan = selectRetention(rules, path, g, NOW);
  if (!plan) return undefined;
  return [...plan.kept.keys()].flatMap((d) => (g.byDigest.get(d)?.tags.length ? g.byDigest.get(d)!.tags : [`<${d.slice(-2)}>`])).sort();
};

describe('selectRetention', () => {
  it.each<[string, RetentionRule[], string[] | undefined]>([
    ['latest 2 pushed of v*', [{ tags: 'v*', latestPushed: 2 }], ['v4', 'v5', sigTag(dg(5))].sort()],
    ['pushed within 6 days', [{ pushedWithinDays: 6 }], ['v4', 'v5', sigTag(dg(5))].sort()],
    ['always release-*, latest 1 of v*', [{ tags: 'release-*', always: true }, { tags: 'v*', latestPushed: 1 }], ['release-1', 'v5', sigTag(dg(5))].sort()],
    ['exclude tags', [{ tags: '**', excludeTags: 'v{1,2,3}', always: true }], ['release-1', 'v4', 'v5', sigTag(dg(5))].sort()],
    ['untagged included', [{ tags: 'none', includeUntagged: true, always: true }], ['<07>']],
    ['a kept image keeps its referrer', [{ tags: 'v1', always: true }], ['<09>', 'v1']],
    ['latest 0 keeps nothing', [{ latestPushed: 0 }], []],
    ['repository not matched: untouched', [{ repositories: 'other/**', always: true }], undefined],
    ['repository excluded: untouched', [{ repositories: '**', excludeRepositories: 'app', always: true }], undefined],
  ])('%s', (_name, rules, want) => expect(keptTags(rules)).toEqual(want));

  it('orders "latest pushed" by the last push of the manifest or its tags (a retag moves it forward)', () => {
    const g = buildArtifactGraph(
      [manifest({ digest: dg(1), rev: 1 }), manifest({ digest: dg(2), rev: 2 })],
      [tag('old', dg(1), 50), tag('new', dg(2), 3)],
      NOW,
    );
    expect([...(selectRetention([{ latestPushed: 1 }], 'app', g, NOW)?.kept.keys() ?? [])]).toEqual([dg(1)]);
  });

  it('protection (immutable tags) keeps an artifact no rule keeps', () => {
    const g = fixture();
    const plan = selectRetention([{ tags: 'v5', always: true }], 'app', g, NOW, { protect: (a) => (a.tags.includes('v1') ? 'immutable tag v1' : undefined) });
    expect(plan?.kept.get(dg(1))).toEqual(['immutable tag v1']);
    expect(plan?.kept.has(dg(9))).toBe(true); // v1's referrer follows it
  });
});

// ---- properties ------------------------------------------------------------------------------

interface Repo {
  readonly manifests: ManifestRecord[];
  readonly tags: TagRecord[];
}

const TAG_POOL = ['v1', 'v2', 'v3', 'v10', 'release-1', 'release-2', 'dev-1', 'dev-2', 'latest', 'stable'];
const TAG_PATTERNS = [undefined, '**', 'v*', 'release-*', 'dev-*', '{latest,stable}', 'v?'];
const REPO_PATTERNS = [undefined, '**', 'app', 'app*', 'other/**', '{app,web}'];

type Shape = { kind: 'image' } | { kind: 'index'; children: number[] } | { kind: 'referrer'; subject: number } | { kind: 'cosign'; subject: number };

const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Shape>({ kind: 'image' }) },
  { weight: 2, arbitrary: fc.array(fc.nat(40), { maxLength: 3 }).map<Shape>((children) => ({ kind: 'index', children })) },
  { weight: 2, arbitrary: fc.nat(40).map<Shape>((subject) => ({ kind: 'referrer', subject })) },
  { weight: 1, arbitrary: fc.nat(40).map<Shape>((subject) => ({ kind: 'cosign', subject })) },
);

const repoArb: fc.Arbitrary<Repo> = fc
  .record({
    shapes: fc.array(shapeArb, { minLength: 1, maxLength: 14 }),
    ages: fc.array(fc.nat(20), { minLength: 14, maxLength: 14 }),
    tagTargets: fc.array(fc.option(fc.nat(40), { nil: undefined }), { minLength: TAG_POOL.length, maxLength: TAG_POOL.length }),
    tagRevs: fc.array(fc.nat(30), { minLength: TAG_POOL.length, maxLength: TAG_POOL.length }),
  })
  .map(({ shapes, ages, tagTargets, tagRevs }) => {
    const manifests: ManifestRecord[] = [];
    const tags: TagRecord[] = [];
    shapes.forEach((s, i) => {
      const d = dg(i + 1);
      const earlier = (n: number) => (i === 0 ? undefined : dg((n % i) + 1));
      const age = ages[i] ?? 0;
      if (s.kind === 'index') manifests.push(manifest({ digest: d, rev: i + 1, ageDays: age, children: [...new Set(s.children.map(earlier).filter((x): x is string => x !== undefined))] }));
      else if (s.kind === 'referrer') manifests.push(manifest({ digest: d, rev: i + 1, ageDays: age, subject: earlier(s.subject) ?? dg(999) }));
      else manifests.push(manifest({ digest: d, rev: i + 1, ageDays: age }));
      if (s.kind === 'cosign') tags.push(tag(sigTag(earlier(s.subject) ?? dg(999)), d, 100 + i));
    });
    // Ordinary tags only on images and indexes (as pushes make them).
    const taggable = manifests.filter((_m, i) => shapes[i]?.kind === 'image' || shapes[i]?.kind === 'index');
    TAG_POOL.forEach((t, i) => {
      const target = tagTargets[i];
      if (target === undefined || taggable.length === 0) return;
      tags.push(tag(t, taggable[target % taggable.length]!.metadata.name, 200 + (tagRevs[i] ?? 0) * 40 + i, (tagRevs[i] ?? 0) % 15));
    });
    return { manifests, tags };
  });

const ruleArb: fc.Arbitrary<RetentionRule> = fc
  .record({
    repositories: fc.constantFrom(...REPO_PATTERNS),
    tags: fc.constantFrom(...TAG_PATTERNS),
    excludeTags: fc.constantFrom(undefined, 'v1', 'dev-*'),
    includeUntagged: fc.boolean(),
    quantity: fc.oneof(
      fc.nat(5).map((n) => ({ latestPushed: n })),
      fc.nat(25).map((n) => ({ pushedWithinDays: n })),
      fc.constant({ always: true }),
    ),
  })
  .map(({ quantity, ...r }) => {
    const rule: Record<string, unknown> = { ...quantity };
    for (const [k, v] of Object.entries(r)) if (v !== undefined && v !== false) rule[k] = v;
    return rule as RetentionRule;
  });

/** An independent reading of one rule: candidates by filter, then the quantity. */
function oracleKeeps(rule: RetentionRule, artifacts: readonly Artifact[]): Set<string> {
  const candidates = artifacts
    .filter((a) => a.role === 'artifact' && (a.tags.length === 0 ? rule.includeUntagged === true : a.tags.some((t) => matchesFilter(t, rule.tags, rule.excludeTags))))
    .sort((a, b) => b.pushOrder - a.pushOrder || b.pushedAt - a.pushedAt || a.digest.localeCompare(b.digest));
  if (rule.always) return new Set(candidates.map((a) => a.digest));
  if (rule.latestPushed !== undefined) return new Set(candidates.slice(0, rule.latestPushed).map((a) => a.digest));
  return new Set(candidates.filter((a) => NOW - a.pushedAt <= (rule.pushedWithinDays ?? 0) * DAY).map((a) => a.digest));
}

describe('selectRetention properties', () => {
  const input = fc.record({ repo: repoArb, rules: fc.array(ruleArb, { minLength: 1, maxLength: 4 }), path: fc.constantFrom('app', 'web', 'other/x') });

  it('kept top-level artifacts are exactly the union of what each matching rule keeps', () => {
    fc.assert(
      fc.property(input, ({ repo, rules, path }) => {
        const g = buildArtifactGraph(repo.manifests, repo.tags, NOW);
        const plan = selectRetention(rules, path, g, NOW);
        const matching = rules.filter((r) => matchesFilter(path, r.repositories, r.excludeRepositories));
        if (matching.length === 0) return plan === undefined;
        const artifacts = [...g.byDigest.values()];
        const union = new Set(matching.flatMap((r) => [...oracleKeeps(r, artifacts)]));
        const keptRoots = artifacts.filter((a) => a.role === 'artifact' && a.parents.length === 0 && plan!.kept.has(a.digest)).map((a) => a.digest);
        const unionRoots = [...union].filter((d) => g.byDigest.get(d)!.parents.length === 0);
        expect(new Set(keptRoots)).toEqual(new Set(unionRoots));
        for (const d of union) expect(plan!.kept.has(d)).toBe(true);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('an accessory is kept iff its subject is (or a kept index lists it); an index child iff a kept index lists it', () => {
    fc.assert(
      fc.property(input, ({ repo, rules, path }) => {
        const g = buildArtifactGraph(repo.manifests, repo.tags, NOW);
        const plan = selectRetention(rules, path, g, NOW);
        if (!plan) return true;
        for (const a of g.byDigest.values()) {
          const listed = a.parents.some((p) => plan.kept.has(p));
          if (a.role === 'accessory') expect(plan.kept.has(a.digest), `accessory ${a.digest}`).toBe((a.subject !== undefined && plan.kept.has(a.subject)) || listed);
          if (a.role === 'child') expect(plan.kept.has(a.digest), `child ${a.digest}`).toBe(listed);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('every manifest is kept or deleted, once; deletions come before what they reference', () => {
    fc.assert(
      fc.property(input, ({ repo, rules, path }) => {
        const g = buildArtifactGraph(repo.manifests, repo.tags, NOW);
        const plan = selectRetention(rules, path, g, NOW);
        if (!plan) return true;
        expect(new Set(plan.deleted).size).toBe(plan.deleted.length);
        expect(plan.kept.size + plan.deleted.length).toBe(g.byDigest.size);
        for (const d of plan.deleted) expect(plan.kept.has(d)).toBe(false);
        const pos = new Map(plan.deleted.map((d, i) => [d, i]));
        for (const d of plan.deleted) {
          const a = g.byDigest.get(d)!;
          for (const r of [...a.children, ...(a.subject ? [a.subject] : [])]) if (pos.has(r)) expect(pos.get(r)!).toBeGreaterThan(pos.get(d)!);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
