/**
 * How workload objects are keyed: store namespace `<cluster>/<namespace>` (a Namespace's own is
 * `<cluster>`), informer keys `<cluster>/<namespace>/<name>`; generated names (pod suffixes,
 * pod-template-hash) in Kubernetes' alphabet.
 */
import { createHash } from 'node:crypto';
import type { Random } from '../clock/index.js';
import { canonicalJson } from '../store/index.js';

/** The store namespace of a workload object. */
export function storeNamespace(cluster: string, ns: string): string {
  return `${cluster}/${ns}`;
}

/** Splits `<cluster>/<ns>` (or `<cluster>` for a Namespace). */
export function splitStoreNamespace(storeNs: string | undefined): { cluster: string; namespace: string } {
  const s = storeNs ?? '';
  const i = s.indexOf('/');
  return i < 0 ? { cluster: s, namespace: '' } : { cluster: s.slice(0, i), namespace: s.slice(i + 1) };
}

/** Splits an informer key `<cluster>/<ns>/<name>` into store namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.lastIndexOf('/');
  return { namespace: key.slice(0, Math.max(0, i)), name: key.slice(i + 1) };
}

export function objectKey(o: { metadata: { namespace?: string; name: string } }): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

// Kubernetes' rand.SafeEncodeString alphabet: no vowels, no confusable characters.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character pod name suffix. */
export function randomSuffix(rng: Random, length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += SAFE[Math.floor(rng.next() * SAFE.length)] as string;
  return s;
}

/** pod-template-hash: a stable short hash of the pod template, in the safe alphabet. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(template ?? null)).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += SAFE[(digest[i] ?? 0) % SAFE.length] as string;
  return s;
}
