/**
 * Repository metadata operations over the store. Every change that moves a project's usage runs in
 * one store transaction (links, manifest, tag, usage on the Project's status), so a quota can never
 * be overshot by concurrent pushes and a crash leaves either all of a push or none of it. Two
 * pushes of one tag serialise in the store's write queue: the last one wins, whole.
 */
import { ConflictError, type Project, type ProjectUsage } from '../api/index.js';
import type { StoreOps, Store } from '../store/index.js';
import { denied, OciError } from './errors.js';
import {
  BLOB_LINK_KIND,
  MANIFEST_KIND,
  PROJECT_BLOB_KIND,
  REPOSITORY_KIND,
  SCAN_REPORT_KIND,
  TAG_KIND,
  internal,
  type BlobLink,
  type ManifestRecord,
  type ManifestSpec,
  type ProjectBlob,
  type ScanReportRecord,
  type ScanReportSpec,
  type TagRecord,
} from './metadata-kinds.js';
import type { RepoName } from './names.js';
import { immutableTagError, type TagGuard } from './policy/immutability.js';

function usageOf(p: Project): ProjectUsage {
  return p.status?.usage ?? { storageBytes: 0, artifacts: 0 };
}

function quotaError(project: string, what: string, used: number, adding: number, limit: number): OciError {
  return new OciError(403, 'DENIED', `quota exceeded in project "${project}": adding ${adding} ${what} to the current ${used} would exceed the limit of ${limit}`, {
    project,
    resource: what,
    used,
    adding,
    limit,
  });
}

/** Retries a transaction that lost an optimistic-concurrency race. */
async function withRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= 5) throw err;
    }
  }
}

export class RegistryMetadata {
  constructor(private readonly store: Store) {}

  project(name: string): Promise<Project | undefined> {
    return this.store.tryGet<Project>('Project', '', name);
  }

  async repositoryExists(repo: RepoName): Promise<boolean> {
    return (await this.store.tryGet(REPOSITORY_KIND, repo.project, repo.path)) !== undefined;
  }

  link(repo: RepoName, digest: string): Promise<BlobLink | undefined> {
    return this.store.tryGet<BlobLink>(BLOB_LINK_KIND, repo.full, digest);
  }

  manifest(repo: RepoName, digest: string): Promise<ManifestRecord | undefined> {
    return this.store.tryGet<ManifestRecord>(MANIFEST_KIND, repo.full, digest);
  }

  scanReport(repo: RepoName, digest: string): Promise<ScanReportRecord | undefined> {
    return this.store.tryGet<ScanReportRecord>(SCAN_REPORT_KIND, repo.full, digest);
  }

  /** Stores (replaces) the latest scan report of `digest` in `repo`; false when the manifest is gone. */
  putScanReport(repo: RepoName, digest: string, spec: ScanReportSpec): Promise<boolean> {
    return withRetry(() =>
      this.store.transaction(async (tx) => {
        if (!(await tx.tryGet(MANIFEST_KIND, repo.full, digest))) return false;
        const old = await tx.tryGet<ScanReportRecord>(SCAN_REPORT_KIND, repo.full, digest);
        if (old) await tx.update<ScanReportRecord>({ ...old, metadata: { ...old.metadata, resourceVersion: undefined }, spec });
        else await tx.create(internal(SCAN_REPORT_KIND, repo.full, digest, spec));
        return true;
      }),
    );
  }

  async resolveTag(repo: RepoName, tag: string): Promise<string | undefined> {
    return (await this.store.tryGet<TagRecord>(TAG_KIND, repo.full, tag))?.spec?.digest;
  }

  async tags(repo: RepoName): Promise<string[]> {
    const res = await this.store.list<TagRecord>(TAG_KIND, { namespace: repo.full });
    return res.items.map((t) => t.metadata.name).sort();
  }

  /** Every repository, as `<project>/<path>`, sorted. */
  async repositories(): Promise<string[]> {
    const res = await this.store.list(REPOSITORY_KIND, {});
    return res.items.map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name}`).sort();
  }

  async manifests(repo: RepoName): Promise<ManifestRecord[]> {
    return (await this.store.list<ManifestRecord>(MANIFEST_KIND, { namespace: repo.full })).items;
  }

  /** Makes a committed blob visible in `repo`, counting it against the project quota once. */
  linkBlob(repo: RepoName, digest: string, size: number): Promise<void> {
    return withRetry(() => this.store.transaction(async (tx) => this.linkIn(tx, repo, digest, size)));
  }

  private async projectIn(tx: StoreOps, repo: RepoName): Promise<Project> {
    const p = await tx.tryGet<Project>('Project', '', repo.project);
    if (!p) throw new OciError(404, 'NAME_UNKNOWN', `project "${repo.project}" does not exist`);
    return p;
  }

  private async setUsage(tx: StoreOps, p: Project, usage: ProjectUsage): Promise<void> {
    await tx.update<Project>({ ...p, metadata: { ...p.metadata, resourceVersion: undefined }, status: { ...p.status, usage } }, { subresource: 'status' });
  }

  private async linkIn(tx: StoreOps, repo: RepoName, digest: string, size: number): Promise<void> {
    if (await tx.tryGet(BLOB_LINK_KIND, repo.full, digest)) return;
    const project = await this.projectIn(tx, repo);
    const pb = await tx.tryGet<ProjectBlob>(PROJECT_BLOB_KIND, repo.project, digest);
    if (pb?.spec) {
      await tx.update<ProjectBlob>({ ...pb, spec: { ...pb.spec, refs: pb.spec.refs + 1 } });
    } else {
      const usage = usageOf(project);
      const limit = project.spec?.quota?.storageBytes;
      if (limit !== undefined && usage.storageBytes + size > limit) throw quotaError(repo.project, 'bytes of storage', usage.storageBytes, size, limit);
      await tx.create(internal(PROJECT_BLOB_KIND, repo.project, digest, { size, refs: 1 }));
      await this.setUsage(tx, project, { ...usage, storageBytes: usage.storageBytes + size });
    }
    await tx.create(internal(BLOB_LINK_KIND, repo.full, digest, { size }));
    if (!(await tx.tryGet(REPOSITORY_KIND, repo.project, repo.path))) await tx.create(internal(REPOSITORY_KIND, repo.project, repo.path, {}));
  }

  private async unlinkIn(tx: StoreOps, repo: RepoName, digest: string): Promise<boolean> {
    const link = await tx.tryGet<BlobLink>(BLOB_LINK_KIND, repo.full, digest);
    if (!link) return false;
    await tx.delete(BLOB_LINK_KIND, repo.full, digest);
    const pb = await tx.tryGet<ProjectBlob>(PROJECT_BLOB_KIND, repo.project, digest);
    if (!pb?.spec) return true;
    if (pb.spec.refs > 1) {
      await tx.update<ProjectBlob>({ ...pb, spec: { ...pb.spec, refs: pb.spec.refs - 1 } });
      return true;
    }
    await tx.delete(PROJECT_BLOB_KIND, repo.project, digest);
    const project = await tx.tryGet<Project>('Project', '', repo.project);
    if (project) {
      const usage = usageOf(project);
      await this.setUsage(tx, project, { ...usage, storageBytes: Math.max(0, usage.storageBytes - pb.spec.size) });
    }
    return true;
  }

  /**
   * Records a manifest (bytes already in the blob store) and optionally tags it. Checks that every
   * referenced blob and child manifest is in the repository (MANIFEST_BLOB_UNKNOWN) and the quotas.
   */
  putManifest(repo: RepoName, digest: string, spec: ManifestSpec, tag: string | undefined, immutable?: TagGuard): Promise<void> {
    return withRetry(() =>
      this.store.transaction(async (tx) => {
        for (const b of spec.blobs) {
          if (!(await tx.tryGet(BLOB_LINK_KIND, repo.full, b))) throw new OciError(400, 'MANIFEST_BLOB_UNKNOWN', `blob ${b} is not in repository ${repo.full}`, { digest: b });
        }
        for (const m of spec.manifests) {
          if (!(await tx.tryGet(MANIFEST_KIND, repo.full, m))) throw new OciError(400, 'MANIFEST_BLOB_UNKNOWN', `manifest ${m} is not in repository ${repo.full}`, { digest: m });
        }
        if (!(await tx.tryGet(MANIFEST_KIND, repo.full, digest))) {
          const project = await this.projectIn(tx, repo);
          const usage = usageOf(project);
          const limit = project.spec?.quota?.artifacts;
          if (limit !== undefined && usage.artifacts + 1 > limit) throw quotaError(repo.project, 'artifact(s)', usage.artifacts, 1, limit);
          await this.linkIn(tx, repo, digest, spec.size);
          const after = await this.projectIn(tx, repo);
          await this.setUsage(tx, after, { ...usageOf(after), artifacts: usageOf(after).artifacts + 1 });
          await tx.create(internal(MANIFEST_KIND, repo.full, digest, spec));
        }
        if (tag !== undefined) {
          const old = await tx.tryGet<TagRecord>(TAG_KIND, repo.full, tag);
          if (old && old.spec?.digest !== digest && immutable?.(tag)) throw immutableTagError(repo, tag, `it points at ${old.spec?.digest ?? '?'} and cannot be moved to ${digest}`);
          if (old) await tx.update<TagRecord>({ ...old, spec: { digest } });
          else await tx.create(internal(TAG_KIND, repo.full, tag, { digest }));
        }
      }),
    );
  }

  /** Deletes a tag; false when there was none. */
  async deleteTag(repo: RepoName, tag: string, immutable?: TagGuard): Promise<boolean> {
    return withRetry(() =>
      this.store.transaction(async (tx) => {
        if (!(await tx.tryGet(TAG_KIND, repo.full, tag))) return false;
        if (immutable?.(tag)) throw immutableTagError(repo, tag, 'it cannot be deleted');
        await tx.delete(TAG_KIND, repo.full, tag);
        return true;
      }),
    );
  }

  /** Deletes a manifest and every tag pointing at it; its bytes stay until garbage collection. */
  async deleteManifest(repo: RepoName, digest: string, immutable?: TagGuard): Promise<boolean> {
    return withRetry(() =>
      this.store.transaction(async (tx) => {
        if (!(await tx.tryGet(MANIFEST_KIND, repo.full, digest))) return false;
        const tags = await tx.list<TagRecord>(TAG_KIND, { namespace: repo.full });
        const locked = immutable ? tags.items.find((t) => t.spec?.digest === digest && immutable(t.metadata.name)) : undefined;
        if (locked) throw immutableTagError(repo, locked.metadata.name, `its artifact ${digest} cannot be deleted`);
        for (const t of tags.items) if (t.spec?.digest === digest) await tx.delete(TAG_KIND, repo.full, t.metadata.name);
        await tx.delete(MANIFEST_KIND, repo.full, digest);
        if (await tx.tryGet(SCAN_REPORT_KIND, repo.full, digest)) await tx.delete(SCAN_REPORT_KIND, repo.full, digest);
        await this.unlinkIn(tx, repo, digest);
        const project = await tx.tryGet<Project>('Project', '', repo.project);
        if (project) await this.setUsage(tx, project, { ...usageOf(project), artifacts: Math.max(0, usageOf(project).artifacts - 1) });
        return true;
      }),
    );
  }

  /** Removes a blob from a repository; a manifest's own blob cannot be removed this way. */
  async deleteBlob(repo: RepoName, digest: string): Promise<boolean> {
    return withRetry(() =>
      this.store.transaction(async (tx) => {
        if (await tx.tryGet(MANIFEST_KIND, repo.full, digest)) throw denied(`${digest} is a manifest; delete it through /manifests/`);
        return this.unlinkIn(tx, repo, digest);
      }),
    );
  }
}
