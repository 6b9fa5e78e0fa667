/**
 * The Kubernetes object rules both stores share, as pure functions: what a create, update or
 * delete turns the stored object into (uid, resourceVersion, generation, timestamps, finalizers).
 */
import { ConflictError, ValidationError, formatKey, keyOf, type ObjectKey, type ObjectMeta, type Resource } from '../../api/index.js';
import { randomUUID } from 'node:crypto';
import type { DeleteOptions, UpdateOptions } from '../store.js';

/** Mutable view used while building the next version of an object. */
type Meta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** What an update or delete does to the stored object. */
export type Outcome =
  | { readonly kind: 'noop' }
  | { readonly kind: 'write'; readonly obj: Resource }
  | { readonly kind: 'remove'; readonly obj: Resource };

/** The store key of an object, after checking the parts the store relies on. */
export function checkedKey(obj: Resource): ObjectKey {
  if (typeof obj !== 'object' || obj === null) throw ValidationError.field('', 'object required');
  if (typeof obj.kind !== 'string' || obj.kind === '') throw ValidationError.field('kind', 'required');
  if (typeof obj.metadata !== 'object' || obj.metadata === null) throw ValidationError.field('metadata', 'required', { kind: obj.kind });
  if (typeof obj.metadata.name !== 'string' || obj.metadata.name === '') throw ValidationError.field('metadata.name', 'required', { kind: obj.kind });
  const ns = obj.metadata.namespace;
  if (ns !== undefined && typeof ns !== 'string') throw ValidationError.field('metadata.namespace', 'must be a string', { kind: obj.kind });
  return keyOf(obj);
}

function withMeta(obj: Resource, meta: Meta): Resource {
  const next: Record<string, unknown> = { ...obj, metadata: meta };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  return next as unknown as Resource;
}

function pruneMeta(meta: Meta): Meta {
  const m: Record<string, unknown> = meta;
  for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  return meta;
}

/** The object a create stores at revision `rev`. */
export function prepareCreate(obj: Resource, rev: number, nowIso: string): Resource {
  const meta: Meta = { ...obj.metadata };
  delete meta.deletionTimestamp;
  meta.uid = randomUUID();
  meta.resourceVersion = String(rev);
  meta.generation = 1;
  meta.creationTimestamp = nowIso;
  return withMeta(obj, pruneMeta(meta));
}

function checkVersion(stored: Resource, given: string | undefined): void {
  const have = stored.metadata.resourceVersion;
  if (given !== undefined && given !== have) {
    throw new ConflictError(
      `${formatKey(keyOf(stored))}: the object has been modified; resourceVersion ${given} is stale (stored ${have ?? 'none'}), re-read and retry`,
    );
  }
}

/**
 * Structural equality of JSON values, ignoring key order and keys whose value is undefined (what
 * comparing canonical JSON gives), without building strings: this runs on every update.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // undefined and a missing value serialise alike; NaN/Infinity serialise as null.
    if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, bb[i] ?? null)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    na++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !sameJson(v, bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) if (bo[k] !== undefined) nb++;
  return na === nb;
}

/** What updating `stored` with `arg` at revision `rev` produces. */
export function prepareUpdate(stored: Resource, arg: Resource, opts: UpdateOptions | undefined, rev: number): Outcome {
  checkVersion(stored, arg.metadata.resourceVersion);
  const sub = opts?.subresource;
  const base: Resource =
    sub === 'status' ? { ...stored, status: arg.status } : sub === 'all' ? { ...arg } : { ...arg, status: stored.status };
  const from = sub === 'status' ? stored.metadata : arg.metadata;
  const meta: Meta = {
    ...from,
    namespace: stored.metadata.namespace,
    name: stored.metadata.name,
    uid: stored.metadata.uid,
    creationTimestamp: stored.metadata.creationTimestamp,
    deletionTimestamp: stored.metadata.deletionTimestamp,
    // A status write cannot change spec, so it never bumps generation (and skips the compare).
    generation: (stored.metadata.generation ?? 1) + (sub === 'status' || sameJson(base.spec, stored.spec) ? 0 : 1),
    resourceVersion: stored.metadata.resourceVersion,
  };
  const candidate = withMeta({ ...base, kind: stored.kind }, pruneMeta(meta));
  // For a status write only status can differ from the stored object.
  if (sub === 'status' ? sameJson(arg.status, stored.status) : sameJson(candidate, stored)) return { kind: 'noop' };
  const next = withMeta(candidate, { ...candidate.metadata, resourceVersion: String(rev) });
  const dying = next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers?.length ?? 0) === 0;
  return dying ? { kind: 'remove', obj: next } : { kind: 'write', obj: next };
}

/** What deleting `stored` at revision `rev` produces: marked for deletion while finalizers remain. */
export function prepareDelete(stored: Resource, opts: DeleteOptions | undefined, rev: number, nowIso: string): Outcome {
  checkVersion(stored, opts?.resourceVersion);
  const meta: Meta = { ...stored.metadata, resourceVersion: String(rev) };
  if ((stored.metadata.finalizers?.length ?? 0) > 0) {
    if (stored.metadata.deletionTimestamp !== undefined) return { kind: 'noop' };
    meta.deletionTimestamp = nowIso;
    return { kind: 'write', obj: withMeta(stored, meta) };
  }
  return { kind: 'remove', obj: withMeta(stored, meta) };
}
