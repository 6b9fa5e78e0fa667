/**
 * This platform's registry as one side of a copy, through the blob store and metadata directly
 * (no HTTP, no credentials). Writes go through the same checks as a /v2 push: blobs verified on
 * commit and linked against the project quota, manifests parsed and their references checked in
 * one transaction, immutable tags kept where they are (412); a manifest stored here emits `pushed`
 * and is scanned like any other push.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Store } from '../../store/index.js';
import type { BlobStore } from '../blob-store.js';
import { OciError } from '../errors.js';
import type { RegistryEvents } from '../events.js';
import { parseManifest } from '../manifest.js';
import { PROJECT_BLOB_KIND, REPOSITORY_KIND } from '../metadata-kinds.js';
import type { RegistryMetadata } from '../metadata.js';
import { isDigest, parseDigest, parseRepoName, type RepoName } from '../names.js';
import { immutableTagGuard } from '../policy/immutability.js';
import type { BackgroundScanner } from '../scan/reports.js';
import type { FetchedManifest, ManifestRef, RegistryEndpoint } from './endpoint.js';
import { ReplicationError } from './errors.js';

export interface LocalEndpointDeps {
  readonly blobs: BlobStore;
  readonly meta: RegistryMetadata;
  readonly store: Store;
  readonly events?: RegistryEvents;
  readonly scanner?: BackgroundScanner;
  /** Whom pushes made by replication are attributed to (events, scans). */
  readonly user: string;
}

/** Registry errors (quota, invalid manifest, missing blob) as replication errors; only 5xx is retried. */
async function local<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OciError) throw new ReplicationError(`local registry: ${err.code}: ${err.message}`, err.status >= 500, { cause: err });
    throw err;
  }
}

function repoName(repo: string): RepoName {
  try {
    return parseRepoName(repo.split('/'));
  } catch (err) {
    throw new ReplicationError(`invalid local repository name "${repo}": ${(err as Error).message}`, false);
  }
}

export class LocalEndpoint implements RegistryEndpoint {
  readonly name = 'local';

  constructor(private readonly deps: LocalEndpointDeps) {}

  async repositories(namespace?: string): Promise<string[]> {
    const res = await this.deps.store.list(REPOSITORY_KIND, namespace !== undefined ? { namespace } : {});
    return res.items.map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name}`).sort();
  }

  async tags(repo: string): Promise<string[]> {
    return this.deps.meta.tags(repoName(repo));
  }

  private async resolve(repo: RepoName, ref: string): Promise<ManifestRef | undefined> {
    const digest = isDigest(ref) ? ref : await this.deps.meta.resolveTag(repo, ref);
    const rec = digest ? await this.deps.meta.manifest(repo, digest) : undefined;
    if (!digest || !rec?.spec) return undefined;
    return { digest, mediaType: rec.spec.mediaType, size: rec.spec.size };
  }

  headManifest(repo: string, ref: string): Promise<ManifestRef | undefined> {
    return this.resolve(repoName(repo), ref);
  }

  async getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined> {
    const m = await this.resolve(repoName(repo), ref);
    return m && { ...m, bytes: await this.deps.blobs.readBytes(m.digest) };
  }

  async referrers(repo: string, digest: string): Promise<ManifestRef[]> {
    const all = await this.deps.meta.manifests(repoName(repo));
    return all
      .filter((m) => m.spec?.subject === digest)
      .map((m) => ({ digest: m.metadata.name, mediaType: m.spec?.mediaType ?? '', size: m.spec?.size ?? 0 }))
      .sort((a, b) => (a.digest < b.digest ? -1 : 1));
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    return (await this.deps.meta.link(repoName(repo), digest)) !== undefined && (await this.deps.blobs.stat(digest)) !== undefined;
  }

  async readBlob(repo: string, digest: string): Promise<AsyncIterable<Uint8Array>> {
    if (!(await this.hasBlob(repo, digest))) throw new ReplicationError(`local registry: blob ${digest} is not in ${repo}`, false);
    return this.deps.blobs.read(digest);
  }

  writeBlob(repo: string, digest: string, _size: number, open: () => Promise<AsyncIterable<Uint8Array>>): Promise<void> {
    const name = repoName(repo);
    return local(async () => {
      const up = await this.deps.blobs.startUpload(name.full, parseDigest(digest).alg);
      try {
        await this.deps.blobs.append(up.id, Readable.from(await open()));
      } catch (err) {
        await this.deps.blobs.cancel(up.id).catch(() => undefined);
        throw err;
      }
      const info = await this.deps.blobs.commit(up.id, digest);
      await this.deps.meta.linkBlob(name, digest, info.size);
    });
  }

  /** Links a blob another repository of the same project already has (never across projects). */
  async mountBlob(repo: string, digest: string, from: string): Promise<boolean> {
    const to = repoName(repo);
    const src = repoName(from);
    if (src.project !== to.project) return false;
    const known = await this.deps.store.tryGet(PROJECT_BLOB_KIND, to.project, digest);
    const info = known && (await this.deps.meta.link(src, digest)) ? await this.deps.blobs.stat(digest) : undefined;
    if (!info) return false;
    await local(() => this.deps.meta.linkBlob(to, digest, info.size));
    return true;
  }

  putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<void> {
    const name = repoName(repo);
    return local(async () => {
      const alg = isDigest(ref) ? parseDigest(ref).alg : 'sha256';
      const digest = `${alg}:${createHash(alg).update(bytes).digest('hex')}`;
      if (isDigest(ref) && ref !== digest) throw new ReplicationError(`manifest bytes hash to ${digest}, not ${ref}`, false);
      const parsed = parseManifest(bytes, mediaType);
      await this.deps.blobs.putBytes(digest, bytes);
      const tag = isDigest(ref) ? undefined : ref;
      const project = await this.deps.meta.project(name.project);
      // Replication never moves an immutable tag (Harbor: "cannot be replicated over").
      await this.deps.meta.putManifest(name, digest, { ...parsed, size: bytes.length }, tag, immutableTagGuard(project, name));
      const tenant = project?.spec?.tenant;
      const user = this.deps.user;
      this.deps.events?.emit('pushed', {
        repo: name,
        digest,
        mediaType: parsed.mediaType,
        user,
        ...(tag !== undefined ? { tag } : {}),
        ...(parsed.subject ? { subject: parsed.subject } : {}),
        ...(tenant ? { tenant } : {}),
      });
      if (this.deps.scanner && !parsed.subject) this.deps.scanner.start(name, digest, { user, ...(tenant ? { tenant } : {}) });
    });
  }

  async deleteManifest(repo: string, ref: string): Promise<boolean> {
    const name = repoName(repo);
    return local(async () => {
      const guard = immutableTagGuard(await this.deps.meta.project(name.project), name);
      return isDigest(ref) ? this.deps.meta.deleteManifest(name, ref, guard) : this.deps.meta.deleteTag(name, ref, guard);
    });
  }
}
