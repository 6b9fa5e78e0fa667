// Planning against a scripted source: artifacts grouped by digest with all their selected tags,
// a registry without a catalog needing literal repository names, and pushes/deletes turned into
// tasks (a later signature brings its subject's accessories; unselected ones are dropped).
import { describe, expect, it } from 'vitest';
import type { ReplicationPolicySpec } from '../../api/kinds/replication.js';
import type { ManifestPushed } from '../events.js';
import { OCI_MANIFEST } from '../media-types.js';
import { parseRepoName } from '../names.js';
import type { FetchedManifest, ManifestRef, RegistryEndpoint } from './endpoint.js';
import { ReplicationConfigError } from './errors.js';
import { planAll, planEvents } from './plan.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;

/** Repositories → tag → digest; `catalog: false` behaves like a registry without /v2/_catalog. */
class ScriptedSource implements RegistryEndpoint {
  readonly name = 'https://remote.example';
  constructor(
    private readonly repos: Record<string, Record<string, string>>,
    private readonly catalog = true,
  ) {}
  async repositories(ns?: string) {
    if (!this.catalog) return undefined;
    return Object.keys(this.repos).filter((r) => ns === undefined || r.startsWith(`${ns}/`));
  }
  async tags(repo: string) {
    return Object.keys(this.repos[repo] ?? {});
  }
  async headManifest(repo: string, ref: string): Promise<ManifestRef | undefined> {
    const digest = this.repos[repo]?.[ref];
    return digest ? { digest, mediaType: OCI_MANIFEST, size: 10 } : undefined;
  }
  getManifest(): Promise<FetchedManifest | undefined> {
    throw new Error('not used by planning');
  }
  async referrers() {
    return undefined;
  }
  async hasBlob() {
    return false;
  }
  readBlob(): Promise<AsyncIterable<Uint8Array>> {
    throw new Error('not used by planning');
  }
  async writeBlob() {}
  async mountBlob() {
    return false;
  }
  async putManifest() {}
  async deleteManifest() {
    return false;
  }
}

const spec = (extra: Partial<ReplicationPolicySpec>): ReplicationPolicySpec => ({ direction: 'pull', project: 'mirror', remote: { url: 'https://remote.example' }, trigger: { type: 'manual' }, ...extra });

describe('planAll', () => {
  const src = new ScriptedSource({
    'library/app': { v1: D('a'), latest: D('a'), v2: D('b'), [`${D('a').replace(':', '-')}.sig`]: D('c') },
    'library/db': { '15': D('d') },
    'tools/cli': { v1: D('e') },
  });

  it('makes one task per artifact, carrying every selected tag, accessories left to travel with it', async () => {
    const tasks = await planAll(spec({ filters: { repositories: 'library/**' } }), src);
    expect(tasks).toEqual([
      { kind: 'copy', srcRepo: 'library/app', dstRepo: 'mirror/library/app', digest: D('a'), tags: ['latest', 'v1'] },
      { kind: 'copy', srcRepo: 'library/app', dstRepo: 'mirror/library/app', digest: D('b'), tags: ['v2'] },
      { kind: 'copy', srcRepo: 'library/db', dstRepo: 'mirror/library/db', digest: D('d'), tags: ['15'] },
    ]);
  });

  it('applies tag filters', async () => {
    const tasks = await planAll(spec({ filters: { repositories: 'library/app', tags: 'v*', excludeTags: 'v2' } }), src);
    expect(tasks).toEqual([{ kind: 'copy', srcRepo: 'library/app', dstRepo: 'mirror/library/app', digest: D('a'), tags: ['v1'] }]);
  });

  it('needs literal repository names from a registry without a catalog, and says where', async () => {
    const bare = new ScriptedSource({ 'library/app': { v1: D('a') }, 'tools/cli': { v1: D('e') } }, false);
    const err = await planAll(spec({ filters: { repositories: 'library/*' } }), bare).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicationConfigError);
    expect((err as Error).message).toContain('spec.filters.repositories');
    const tasks = await planAll(spec({ filters: { repositories: '{library/app,tools/cli}' } }), bare);
    expect(tasks.map((t) => t.kind === 'copy' && t.srcRepo)).toEqual(['library/app', 'tools/cli']);
  });
});

describe('planEvents', () => {
  const local = new ScriptedSource({
    'acme/web': { 'release-1': D('a'), dev: D('b'), [`${D('a').replace(':', '-')}.sig`]: D('c') },
    'acme/other': { 'release-1': D('d') },
  });
  const push = spec({ direction: 'push', project: 'acme', destinationNamespace: 'live', filters: { repositories: 'web', tags: 'release-*' }, trigger: { type: 'onPush' }, deletion: true });
  const ev = (repo: string, digest: string, extra: Partial<ManifestPushed> = {}): ManifestPushed => ({ repo: parseRepoName(repo.split('/')), digest, mediaType: OCI_MANIFEST, user: 'u', ...extra });

  it('keeps selected pushes, turns a later signature into its subject, and replicates deletes', async () => {
    const tasks = await planEvents(push, local, {
      kind: 'events',
      pushed: [
        ev('acme/web', D('a'), { tag: 'release-1' }),
        ev('acme/web', D('a'), { tag: 'release-1' }),
        ev('acme/web', D('b'), { tag: 'dev' }),
        ev('acme/other', D('d'), { tag: 'release-1' }),
        ev('acme/web', D('c'), { tag: `${D('a').replace(':', '-')}.sig` }),
        ev('acme/web', D('f'), { subject: D('b') }),
      ],
      deleted: [
        { repo: parseRepoName(['acme', 'web']), reference: D('a'), user: 'u' },
        { repo: parseRepoName(['acme', 'web']), reference: 'dev', user: 'u' },
      ],
    });
    expect(tasks).toEqual([
      { kind: 'copy', srcRepo: 'acme/web', dstRepo: 'live/web', digest: D('a'), tags: ['release-1'] },
      { kind: 'delete', dstRepo: 'live/web', reference: D('a') },
    ]);
  });
});
