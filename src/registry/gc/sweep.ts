/**
 * The sweep: blob files no RegistryProjectBlob names (unmarked) and unchanged for the protection
 * window are removed. Each batch is re-checked inside a store transaction, and the files are
 * removed before it commits: while it is open no push can link a blob (links are written in
 * transactions, which wait for it), so a blob linked after the mark is seen and kept, and one
 * committed but not linked yet is kept by its fresh change time.
 */
import type { Clock } from '../../clock/index.js';
import type { Store, StoreOps } from '../../store/index.js';
import type { BlobStore } from '../blob-store.js';
import { PROJECT_BLOB_KIND } from '../metadata-kinds.js';
import { statBlob, type BlobFile } from './disk.js';

/** Seams for tests: observe or interrupt the sweep right before a file goes. */
export interface SweepHooks {
  readonly beforeRemove?: (digest: string) => void | Promise<void>;
}

export interface SweepDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly root: string;
  readonly clock: Clock;
  readonly windowMs: number;
  readonly hooks?: SweepHooks;
}

export interface SweepOutcome {
  readonly deleted: BlobFile[];
  /** Unmarked but changed within the window. */
  readonly protectedCount: number;
}

const BATCH = 64;

/** Whether any project still counts `digest` (read inside the sweep's transaction). */
async function stillReferenced(tx: StoreOps, projects: readonly string[], digest: string): Promise<boolean> {
  for (const p of projects) if (await tx.tryGet(PROJECT_BLOB_KIND, p, digest)) return true;
  return false;
}

/** Files among `files` not in `marked` and older than the window (what the sweep will try). */
export function sweepCandidates(files: readonly BlobFile[], marked: ReadonlySet<string>, now: number, windowMs: number): { candidates: BlobFile[]; protectedCount: number } {
  const candidates: BlobFile[] = [];
  let protectedCount = 0;
  for (const f of files) {
    if (marked.has(f.digest)) continue;
    if (now - f.changedAt < windowMs) protectedCount++;
    else candidates.push(f);
  }
  return { candidates, protectedCount };
}

/**
 * Removes the candidates that are still unreferenced and still old, batch by batch; `onRemoved`
 * sees each file as it goes (so a run that fails half-way still reports what it freed).
 */
export async function sweep(deps: SweepDeps, candidates: readonly BlobFile[], onRemoved: (f: BlobFile) => void): Promise<void> {
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    await deps.store.transaction(async (tx) => {
      const projects = (await tx.list('Project')).items.map((p) => p.metadata.name);
      for (const c of batch) {
        if (await stillReferenced(tx, projects, c.digest)) continue;
        const now = await statBlob(deps.root, c.digest);
        if (!now || deps.clock.now() - now.changedAt < deps.windowMs) continue;
        await deps.hooks?.beforeRemove?.(c.digest);
        await deps.blobs.remove(c.digest);
        onRemoved(now);
      }
    });
  }
}
