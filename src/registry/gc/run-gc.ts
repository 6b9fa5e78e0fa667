/**
 * One garbage-collection run, online (pushes and pulls continue):
 *
 *   expire uploads ─▶ per repository, in one transaction each: delete untagged manifests (option),
 *   release dangling blob links ─▶ mark: every digest a RegistryProjectBlob names ─▶ sweep: blob
 *   files not marked and unchanged for the window, re-checked inside a transaction (sweep.ts)
 *
 * Metadata is the source of truth and changes only through the registry's own transactional
 * operations; the only files removed are unmarked ones. A run that stops half-way (crash, error)
 * leaves a consistent store, and the next run finishes the job. A dry run reads the same inputs,
 * simulates the metadata phase, and reports what would go.
 */
import type { Clock } from '../../clock/index.js';
import type { Store } from '../../store/index.js';
import type { BlobStore } from '../blob-store.js';
import type { RegistryEvents } from '../events.js';
import { PROJECT_BLOB_KIND } from '../metadata-kinds.js';
import type { RepoName } from '../names.js';
import { listBlobFiles, type BlobFile } from './disk.js';
import { expireUploads } from './expire-uploads.js';
import { planRepository, type RepoPlan } from './repo-plan.js';
import { listRepositories, readRepository, type RepoSnapshot } from './repo-snapshot.js';
import { sweep, sweepCandidates, type SweepHooks } from './sweep.js';
import { metadataIn } from './tx-metadata.js';
import { RESULT_LIST_LIMIT, type ExpiredUpload, type GcRequest, type GcResult } from './types.js';

/** Test seams: run code between the mark and the sweep, or before each removal. */
export interface GcHooks extends SweepHooks {
  readonly afterMark?: () => Promise<void>;
}

export interface GcDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  /** The blob store's root directory (`<data>/registry`). */
  readonly root: string;
  readonly clock: Clock;
  readonly windowMs: number;
  readonly uploadTtlMs: number;
  /** Deleted manifests are announced here after their transaction commits. */
  readonly events?: RegistryEvents;
  readonly hooks?: GcHooks;
}

/** Counts and lists of a run, filled in as it goes so a failed run still reports what it did. */
class Tally {
  blobsDeleted = 0;
  bytesFreed = 0;
  readonly blobs: { digest: string; size: number }[] = [];
  manifestsDeleted = 0;
  readonly manifests: string[] = [];
  linksRemoved = 0;
  blobsProtected = 0;
  readonly uploads: ExpiredUpload[] = [];

  blob(f: BlobFile): void {
    this.blobsDeleted++;
    this.bytesFreed += f.size;
    if (this.blobs.length < RESULT_LIST_LIMIT) this.blobs.push({ digest: f.digest, size: f.size });
  }

  plan(repo: RepoName, plan: RepoPlan): void {
    this.manifestsDeleted += plan.manifests.length;
    for (const d of plan.manifests) if (this.manifests.length < RESULT_LIST_LIMIT) this.manifests.push(`${repo.full}@${d}`);
    this.linksRemoved += plan.links.length;
  }
}

const isEmpty = (p: RepoPlan) => p.manifests.length === 0 && p.links.length === 0;

/** Digests still linked in a repository once `plan` is applied (the dry run's mark). */
function remainingDigests(snap: RepoSnapshot, plan: RepoPlan): string[] {
  const gone = new Set([...plan.manifests, ...plan.links.map((l) => l.digest)]);
  return snap.links.map((l) => l.metadata.name).filter((d) => !gone.has(d));
}

/** Applies one repository's plan, re-deciding it inside the transaction against current metadata. */
async function collectRepository(deps: GcDeps, repo: RepoName, req: GcRequest): Promise<RepoPlan> {
  const opts = () => ({ deleteUntagged: req.deleteUntagged, now: deps.clock.now(), windowMs: deps.windowMs });
  if (isEmpty(planRepository(await readRepository(deps.store, repo), opts()))) return { manifests: [], links: [] };
  const plan = await deps.store.transaction(async (tx) => {
    const fresh = planRepository(await readRepository(tx, repo), opts());
    const meta = metadataIn(tx);
    for (const d of fresh.manifests) await meta.deleteManifest(repo, d);
    for (const l of fresh.links) await meta.deleteBlob(repo, l.digest);
    return fresh;
  });
  for (const d of plan.manifests) deps.events?.emit('deleted', { repo, reference: d, user: 'system:gc' });
  return plan;
}

export async function runGc(deps: GcDeps, req: GcRequest, run: { readonly id: string; readonly user: string }): Promise<GcResult> {
  const started = deps.clock.now();
  const t = new Tally();
  let error: string | undefined;
  try {
    await expireUploads({ blobs: deps.blobs, root: deps.root, clock: deps.clock, ttlMs: deps.uploadTtlMs }, req.dryRun, (u) => t.uploads.push(u));
    const dryMarks = new Set<string>();
    for (const repo of await listRepositories(deps.store)) {
      if (req.dryRun) {
        const snap = await readRepository(deps.store, repo);
        const plan = planRepository(snap, { deleteUntagged: req.deleteUntagged, now: deps.clock.now(), windowMs: deps.windowMs });
        t.plan(repo, plan);
        for (const d of remainingDigests(snap, plan)) dryMarks.add(d);
      } else {
        t.plan(repo, await collectRepository(deps, repo, req));
      }
    }
    const marked = req.dryRun ? dryMarks : new Set((await deps.store.list(PROJECT_BLOB_KIND)).items.map((pb) => pb.metadata.name));
    await deps.hooks?.afterMark?.();
    const { candidates, protectedCount } = sweepCandidates(await listBlobFiles(deps.root), marked, deps.clock.now(), deps.windowMs);
    t.blobsProtected = protectedCount;
    if (req.dryRun) for (const c of candidates) t.blob(c);
    else await sweep({ store: deps.store, blobs: deps.blobs, root: deps.root, clock: deps.clock, windowMs: deps.windowMs, ...(deps.hooks ? { hooks: deps.hooks } : {}) }, candidates, (f) => t.blob(f));
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const finished = deps.clock.now();
  return {
    id: run.id,
    status: error === undefined ? 'Succeeded' : 'Failed',
    ...(error !== undefined ? { error } : {}),
    user: run.user,
    dryRun: req.dryRun,
    deleteUntagged: req.deleteUntagged,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    windowSeconds: Math.floor(deps.windowMs / 1000),
    uploadTtlSeconds: Math.floor(deps.uploadTtlMs / 1000),
    blobsDeleted: t.blobsDeleted,
    bytesFreed: t.bytesFreed,
    blobs: t.blobs,
    manifestsDeleted: t.manifestsDeleted,
    manifests: t.manifests,
    linksRemoved: t.linksRemoved,
    blobsProtected: t.blobsProtected,
    uploadsCancelled: t.uploads.length,
    uploads: t.uploads,
  };
}
