// Which repositories and tags a policy picks and where they land, as tables: push filters see the
// path inside the project, pull filters the whole remote name; accessory tags never count on their
// own; a literal repository filter stands in for a missing catalog.
import { describe, expect, it } from 'vitest';
import type { ReplicationPolicySpec } from '../../api/kinds/replication.js';
import { destinationRepo, literalRepositories, selectTags, selectsRepository } from './selection.js';

type Spec = Pick<ReplicationPolicySpec, 'direction' | 'project' | 'filters' | 'destinationNamespace'>;
const push = (extra: Partial<Spec> = {}): Spec => ({ direction: 'push', project: 'acme', ...extra });
const pull = (extra: Partial<Spec> = {}): Spec => ({ direction: 'pull', project: 'mirror', ...extra });
const SIG = `sha256-${'a'.repeat(64)}`;

describe('selectsRepository', () => {
  const cases: { spec: Spec; repo: string; want: boolean }[] = [
    { spec: push(), repo: 'acme/app', want: true },
    { spec: push(), repo: 'other/app', want: false },
    { spec: push({ filters: { repositories: 'app' } }), repo: 'acme/app', want: true },
    { spec: push({ filters: { repositories: 'app' } }), repo: 'acme/app/sub', want: false },
    { spec: push({ filters: { repositories: 'app/**' } }), repo: 'acme/app/sub/deep', want: true },
    { spec: push({ filters: { repositories: '*' } }), repo: 'acme/a/b', want: false },
    { spec: push({ filters: { repositories: '**' } }), repo: 'acme/a/b', want: true },
    { spec: push({ filters: { repositories: '{web,api}' } }), repo: 'acme/api', want: true },
    { spec: push({ filters: { excludeRepositories: 'tmp-*' } }), repo: 'acme/tmp-x', want: false },
    { spec: pull({ filters: { repositories: 'library/**' } }), repo: 'library/nginx', want: true },
    { spec: pull({ filters: { repositories: 'library/**' } }), repo: 'tools/nginx', want: false },
    { spec: pull(), repo: 'anything/at/all', want: true },
  ];
  it.each(cases)('$spec.direction $spec.filters: $repo → $want', ({ spec, repo, want }) => {
    expect(selectsRepository(spec, repo)).toBe(want);
  });
});

describe('selectTags', () => {
  const tags = ['v1', 'v2', 'v1-rc1', 'dev', 'latest', `${SIG}.sig`, `${SIG}.att`, SIG];
  const cases: { filters: ReplicationPolicySpec['filters']; want: string[] }[] = [
    { filters: undefined, want: ['dev', 'latest', 'v1', 'v1-rc1', 'v2'] },
    { filters: { tags: 'v*' }, want: ['v1', 'v1-rc1', 'v2'] },
    { filters: { tags: 'v*', excludeTags: '*-rc*' }, want: ['v1', 'v2'] },
    { filters: { tags: '{latest,dev}' }, want: ['dev', 'latest'] },
    { filters: { tags: 'sha256-*' }, want: [] },
    { filters: { excludeTags: '**' }, want: [] },
  ];
  it.each(cases)('$filters', ({ filters, want }) => {
    expect(selectTags(tags, filters)).toEqual(want);
  });
});

describe('destinationRepo', () => {
  const cases: { spec: Spec; repo: string; want: string }[] = [
    { spec: push(), repo: 'acme/app', want: 'acme/app' },
    { spec: push({ destinationNamespace: 'mirror' }), repo: 'acme/app/sub', want: 'mirror/app/sub' },
    { spec: push({ destinationNamespace: 'org/team' }), repo: 'acme/app', want: 'org/team/app' },
    { spec: pull(), repo: 'library/nginx', want: 'mirror/library/nginx' },
    { spec: pull({ destinationNamespace: 'hub' }), repo: 'library/nginx', want: 'mirror/hub/library/nginx' },
  ];
  it.each(cases)('$spec.direction $spec.destinationNamespace: $repo → $want', ({ spec, repo, want }) => {
    expect(destinationRepo(spec, repo)).toBe(want);
  });
});

describe('literalRepositories', () => {
  const cases: { pattern: string | undefined; want: string[] | undefined }[] = [
    { pattern: 'library/app', want: ['library/app'] },
    { pattern: '{b/x, a/y,b/x}', want: ['a/y', 'b/x'] },
    { pattern: 'library/*', want: undefined },
    { pattern: '{a,b}/x', want: undefined },
    { pattern: '**', want: undefined },
    { pattern: undefined, want: undefined },
  ];
  it.each(cases)('$pattern', ({ pattern, want }) => {
    expect(literalRepositories(pattern)).toEqual(want);
  });
});
