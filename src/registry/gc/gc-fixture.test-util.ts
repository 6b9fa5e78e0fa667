/**
 * A registry without HTTP for maintenance tests: a real SQLite store and a real FsBlobStore in a
 * temp directory, on a VirtualClock that starts at wall time. The store stamps objects with the
 * virtual clock; the filesystem stamps files with wall time, so after `clock.advance` every file
 * already on disk looks that much older, and a file that must look new is stamped at the virtual
 * now with `stampNow` (its mtime; changedAt is the later of mtime and ctime).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { Project } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { FsBlobStore } from '../fs-blob-store.js';
import { parseManifest } from '../manifest.js';
import { MANIFEST_KIND, PROJECT_BLOB_KIND, type ManifestRecord, type ProjectBlob } from '../metadata-kinds.js';
import { RegistryMetadata } from '../metadata.js';
import type { RepoName } from '../names.js';
import { blobFilePath } from './disk.js';
import type { GcDeps } from './run-gc.js';

export const HOUR = 3_600_000;
export const WINDOW = 2 * HOUR;
export const TTL = 24 * HOUR;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export function repo(full: string): RepoName {
  const [project = '', ...rest] = full.split('/');
  return { full, project, path: rest.join('/') };
}

export interface Image {
  readonly digest: string;
  /** Config and layers. */
  readonly blobs: readonly string[];
  readonly bytes: Buffer;
}

export class GcFixture {
  private constructor(
    readonly root: string,
    readonly clock: VirtualClock,
    readonly store: Store,
    readonly blobs: FsBlobStore,
    readonly meta: RegistryMetadata,
  ) {}

  static async create(projects: readonly string[] = ['p']): Promise<GcFixture> {
    const root = await mkdtemp(join(tmpdir(), 'bulkhead-gc-'));
    const clock = new VirtualClock(Date.now());
    const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
    for (const name of projects) await store.create<Project>({ apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name }, spec: { tenant: 't' } });
    return new GcFixture(root, clock, store, new FsBlobStore(root), new RegistryMetadata(store));
  }

  async close(): Promise<void> {
    await this.store.close();
    await rm(this.root, { recursive: true, force: true });
  }

  deps(extra: Partial<GcDeps> = {}): GcDeps {
    return { store: this.store, blobs: this.blobs, root: this.root, clock: this.clock, windowMs: WINDOW, uploadTtlMs: TTL, ...extra };
  }

  /** Uploads and commits `bytes` (no link yet), as the first half of a blob push. */
  async commit(bytes: Buffer): Promise<string> {
    const digest = digestOf(bytes);
    const up = await this.blobs.startUpload('p/any', 'sha256');
    await this.blobs.append(up.id, Readable.from([bytes]));
    await this.blobs.commit(up.id, digest);
    return digest;
  }

  /** A whole blob push: commit, then link in `repoName`. */
  async pushBlob(repoName: string, bytes: Buffer): Promise<string> {
    const digest = await this.commit(bytes);
    await this.meta.linkBlob(repo(repoName), digest, bytes.length);
    return digest;
  }

  /** Pushes layers (shared ones by passing the same bytes), a config and a manifest. */
  async pushImage(repoName: string, tag: string | undefined, layers: readonly Buffer[] = [randomBytes(300)], extra: Record<string, unknown> = {}): Promise<Image> {
    const config = Buffer.from(JSON.stringify({ nonce: randomBytes(6).toString('hex') }));
    const all = [config, ...layers];
    for (const b of all) await this.pushBlob(repoName, b);
    const doc = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(l), size: l.length })),
      ...extra,
    };
    return this.pushManifest(repoName, tag, Buffer.from(JSON.stringify(doc)), OCI_MANIFEST, all.map(digestOf));
  }

  /** An index of `children` (already pushed to the repository). */
  async pushIndex(repoName: string, tag: string | undefined, children: readonly Image[]): Promise<Image> {
    const type = 'application/vnd.oci.image.index.v1+json';
    const doc = { schemaVersion: 2, mediaType: type, manifests: children.map((c) => ({ mediaType: OCI_MANIFEST, digest: c.digest, size: c.bytes.length })) };
    return this.pushManifest(repoName, tag, Buffer.from(JSON.stringify(doc)), type, []);
  }

  private async pushManifest(repoName: string, tag: string | undefined, bytes: Buffer, type: string, blobs: readonly string[]): Promise<Image> {
    const digest = digestOf(bytes);
    await this.blobs.putBytes(digest, bytes);
    await this.meta.putManifest(repo(repoName), digest, { ...parseManifest(bytes, type), size: bytes.length }, tag);
    return { digest, blobs, bytes };
  }

  /** Sets a blob's mtime to the virtual now: "written just now" in the clock's time. */
  async stampNow(digest: string): Promise<void> {
    const t = this.clock.now() / 1000;
    await utimes(blobFilePath(this.root, digest), t, t);
  }

  /** The same for an upload's directory and files. */
  async stampUploadNow(id: string): Promise<void> {
    const t = this.clock.now() / 1000;
    const dir = join(this.root, 'uploads', id);
    for (const p of [join(dir, 'data'), join(dir, 'info.json'), dir]) await utimes(p, t, t);
  }

  async exists(digest: string): Promise<boolean> {
    return (await this.blobs.stat(digest)) !== undefined;
  }

  /**
   * The invariants a crash or a race must never break: every blob a project counts has its file,
   * every manifest's blobs are linked in its repository and on disk, and each project's usage is
   * the sum of what it counts.
   */
  async assertConsistent(): Promise<void> {
    const pbs = (await this.store.list<ProjectBlob>(PROJECT_BLOB_KIND)).items;
    for (const pb of pbs) expect(await this.exists(pb.metadata.name), `file of counted blob ${pb.metadata.name}`).toBe(true);
    for (const m of (await this.store.list<ManifestRecord>(MANIFEST_KIND)).items) {
      const r = repo(m.metadata.namespace ?? '');
      for (const b of [m.metadata.name, ...(m.spec?.blobs ?? [])]) {
        expect(await this.meta.link(r, b), `link of ${b} in ${r.full}`).toBeDefined();
        expect(await this.exists(b), `file of ${b}`).toBe(true);
      }
    }
    for (const p of (await this.store.list<Project>('Project')).items) {
      const counted = pbs.filter((pb) => pb.metadata.namespace === p.metadata.name).reduce((n, pb) => n + (pb.spec?.size ?? 0), 0);
      const manifests = (await this.store.list<ManifestRecord>(MANIFEST_KIND)).items.filter((m) => m.metadata.namespace?.startsWith(`${p.metadata.name}/`)).length;
      expect(p.status?.usage ?? { storageBytes: 0, artifacts: 0 }).toEqual({ storageBytes: counted, artifacts: manifests });
    }
  }
}
