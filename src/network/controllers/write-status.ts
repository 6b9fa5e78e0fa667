/**
 * Status writes of the network's controllers. Other controllers write the same objects' status
 * (the kubelet a pod's phase, the endpoints controller a Service's ready count), so every write
 * carries the resourceVersion it was computed from: a stale write is a ConflictError, retried by
 * the work queue after the informer has caught up, never a silent overwrite of someone's field.
 */
import { ConflictError, NotFoundError, type Resource } from '../../api/index.js';
import type { ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';

/** Writes `status` over `obj` at its resourceVersion; false when the object is gone. */
export async function writeStatus<T extends Resource>(store: Store, obj: T, status: T['status']): Promise<boolean> {
  try {
    await store.update({ ...obj, status }, { subresource: 'status' });
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}

/** How soon a reconcile that lost a write race looks again (the informer has the newer object by then). */
export const CONFLICT_RETRY_MS = 20;

/** Runs a reconcile, turning a lost write race into a quick, quiet retry instead of a logged failure. */
export async function retryOnConflict(fn: () => Promise<ReconcileResult | void>): Promise<ReconcileResult | void> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ConflictError) return { requeueAfter: CONFLICT_RETRY_MS };
    throw e;
  }
}
