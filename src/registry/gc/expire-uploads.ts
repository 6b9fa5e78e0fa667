/**
 * Abandoned uploads: an upload with no activity for longer than the TTL is cancelled through the
 * BlobStore (which serialises it with any chunk arriving at that moment). Its activity is
 * re-read right before, so a client that resumed after the listing keeps its upload.
 */
import type { Clock } from '../../clock/index.js';
import type { BlobStore } from '../blob-store.js';
import { OciError } from '../errors.js';
import { listUploads, uploadTouchedAt } from './disk.js';
import type { ExpiredUpload } from './types.js';

export interface ExpireDeps {
  readonly blobs: BlobStore;
  readonly root: string;
  readonly clock: Clock;
  readonly ttlMs: number;
}

/** Uploads idle for longer than the TTL, cancelled unless `dryRun`; each reported as it goes. */
export async function expireUploads(deps: ExpireDeps, dryRun: boolean, onExpired: (u: ExpiredUpload) => void): Promise<void> {
  for (const u of await listUploads(deps.root)) {
    if (deps.clock.now() - u.touchedAt <= deps.ttlMs) continue;
    const state = await deps.blobs.upload(u.id);
    // A directory the store does not recognise (no info.json: a crash inside startUpload) cannot be
    // cancelled through it; it is left alone.
    if (!state) continue;
    const touchedAt = await uploadTouchedAt(deps.root, u.id);
    if (touchedAt === undefined) continue;
    const idleMs = deps.clock.now() - touchedAt;
    if (idleMs <= deps.ttlMs) continue;
    const report: ExpiredUpload = { id: u.id, repository: state.repo, idleSeconds: Math.floor(idleMs / 1000) };
    if (!dryRun) {
      try {
        await deps.blobs.cancel(u.id);
      } catch (err) {
        if (err instanceof OciError && err.code === 'BLOB_UPLOAD_UNKNOWN') continue; // finished or cancelled meanwhile
        throw err;
      }
    }
    onExpired(report);
  }
}
