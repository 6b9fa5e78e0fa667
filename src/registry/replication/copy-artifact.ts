/**
 * Copies one artifact between two endpoints, the way a registry must receive it: an index's
 * children before the index, an image's config and layers before its manifest. Blobs the
 * destination already has are skipped (HEAD), blobs this execution already placed in another
 * destination repository are mounted from there (cross-repository mount within the destination
 * registry), the rest stream from source to destination and are hashed
 * on the way. Manifests are fetched by digest and verified. The artifact's signatures and other
 * referrers follow it: cosign's `sha256-<hex>.sig|.att|.sbom` tags and OCI 1.1 referrers.
 */
import type { FetchedManifest, RegistryEndpoint } from './endpoint.js';
import { ReplicationError } from './errors.js';
import { accessoryTags, referencesOf, type Descriptor } from './references.js';
import { verified } from './streams.js';

/** An index nested deeper than this is refused (a cycle cannot exist, but a hostile remote can nest). */
const MAX_DEPTH = 8;

export interface CopyCounters {
  manifests: number;
  blobs: number;
  blobsSkipped: number;
  bytes: number;
}

export class ArtifactCopier {
  /** Blob digest → a destination repository it is known to be in (mount source). */
  private readonly placed = new Map<string, string>();
  readonly counters: CopyCounters = { manifests: 0, blobs: 0, blobsSkipped: 0, bytes: 0 };

  constructor(
    private readonly src: RegistryEndpoint,
    private readonly dst: RegistryEndpoint,
  ) {}

  /**
   * Makes `dstRepo` hold the source artifact `digest` under every tag in `tags`, with its
   * accessories. True when anything was written, false when the destination was already current.
   */
  async copy(srcRepo: string, dstRepo: string, digest: string, tags: readonly string[]): Promise<boolean> {
    let changed = false;
    const stale: string[] = [];
    for (const tag of tags) if ((await this.dst.headManifest(dstRepo, tag))?.digest !== digest) stale.push(tag);
    if (stale.length > 0 || tags.length === 0) {
      const m = await this.fetch(srcRepo, digest);
      changed = (await this.tree(srcRepo, dstRepo, m, 0)) || changed;
      for (const tag of stale) await this.dst.putManifest(dstRepo, tag, m.bytes, m.mediaType);
      changed = changed || stale.length > 0;
    }
    return (await this.accessories(srcRepo, dstRepo, digest)) || changed;
  }

  /** Signature tags and referrers of `digest` (present at the source) into the destination. */
  private async accessories(srcRepo: string, dstRepo: string, digest: string): Promise<boolean> {
    let changed = false;
    for (const tag of accessoryTags(digest)) {
      const ref = await this.src.headManifest(srcRepo, tag);
      if (!ref || (await this.dst.headManifest(dstRepo, tag))?.digest === ref.digest) continue;
      const m = await this.fetch(srcRepo, ref.digest);
      await this.tree(srcRepo, dstRepo, m, 0);
      await this.dst.putManifest(dstRepo, tag, m.bytes, m.mediaType);
      changed = true;
    }
    for (const r of (await this.src.referrers(srcRepo, digest)) ?? []) {
      changed = (await this.tree(srcRepo, dstRepo, await this.fetch(srcRepo, r.digest), 0)) || changed;
    }
    return changed;
  }

  private async fetch(repo: string, digest: string): Promise<FetchedManifest> {
    const m = await this.src.getManifest(repo, digest);
    if (!m) throw new ReplicationError(`${this.src.name}: manifest ${repo}@${digest} is gone`, false);
    return m;
  }

  /** Puts `m` (by digest) and everything it references into the destination; false when it was there. */
  private async tree(srcRepo: string, dstRepo: string, m: FetchedManifest, depth: number): Promise<boolean> {
    if (depth > MAX_DEPTH) throw new ReplicationError(`index nesting deeper than ${MAX_DEPTH} at ${srcRepo}@${m.digest}`, false);
    if (await this.dst.headManifest(dstRepo, m.digest)) return false;
    const refs = referencesOf(m.bytes, m.mediaType);
    for (const child of refs.manifests) await this.tree(srcRepo, dstRepo, await this.fetch(srcRepo, child.digest), depth + 1);
    const seen = new Set<string>();
    for (const b of refs.blobs) {
      if (seen.has(b.digest)) continue;
      seen.add(b.digest);
      await this.blob(srcRepo, dstRepo, b);
    }
    await this.dst.putManifest(dstRepo, m.digest, m.bytes, m.mediaType);
    this.counters.manifests++;
    return true;
  }

  private async blob(srcRepo: string, dstRepo: string, d: Descriptor): Promise<void> {
    if (await this.dst.hasBlob(dstRepo, d.digest)) {
      this.counters.blobsSkipped++;
      return;
    }
    // A layer shared by several repositories crosses the network once, then is mounted.
    const from = this.placed.get(d.digest);
    if (from !== undefined && from !== dstRepo && (await this.dst.mountBlob(dstRepo, d.digest, from))) {
      this.counters.blobsSkipped++;
      return;
    }
    await this.dst.writeBlob(dstRepo, d.digest, d.size, async () => verified(await this.src.readBlob(srcRepo, d.digest), d.digest, d.size));
    this.placed.set(d.digest, dstRepo);
    this.counters.blobs++;
    this.counters.bytes += d.size;
  }
}
