/**
 * What garbage collection does to one repository's metadata, decided from a snapshot (pure):
 *   - with `deleteUntagged`, manifests that no tag keeps: not tagged, not listed by a kept index,
 *     not an accessory of a kept manifest, and older than the protection window (a child pushed by
 *     digest just before its index must survive until the index arrives). An accessory follows its
 *     subject even when tagged (`sha256-<hex>.sig`); one whose subject is not there stays if tagged;
 *   - blob links no remaining manifest references and older than the window: a layer whose
 *     manifest was deleted, or an upload whose manifest never came. Unlinking them (through the
 *     registry's own bookkeeping) releases quota and lets their files be swept.
 */
import { buildArtifactGraph, closeOver, deletionOrder, type KeepReason } from '../retention/artifact-graph.js';
import type { RepoSnapshot } from './repo-snapshot.js';

export interface RepoPlan {
  /** Manifest digests to delete, in a safe order. */
  readonly manifests: readonly string[];
  /** Blob links to remove (not manifests). */
  readonly links: readonly { readonly digest: string; readonly size: number }[];
}

export interface PlanOptions {
  readonly deleteUntagged: boolean;
  readonly now: number;
  /** Objects created less than this long ago are never touched. */
  readonly windowMs: number;
}

const createdAt = (iso: string | undefined, now: number): number => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : now;
};

export function planRepository(snap: RepoSnapshot, opts: PlanOptions): RepoPlan {
  const old = (iso: string | undefined) => opts.now - createdAt(iso, opts.now) >= opts.windowMs;
  let manifests: string[] = [];
  if (opts.deleteUntagged) {
    const graph = buildArtifactGraph(snap.manifests, snap.tags, opts.now);
    const roots = new Map<string, KeepReason[]>();
    for (const m of snap.manifests) {
      const a = graph.byDigest.get(m.metadata.name);
      if (!a) continue;
      const orphanAccessory = a.role === 'accessory' && a.subject !== undefined && !graph.byDigest.has(a.subject);
      if (a.tags.length > 0 && (a.role === 'artifact' || orphanAccessory)) roots.set(a.digest, ['tagged']);
      else if (!old(m.metadata.creationTimestamp)) roots.set(a.digest, ['pushed within the window']);
    }
    const kept = closeOver(graph, roots);
    manifests = deletionOrder(graph, new Set([...graph.byDigest.keys()].filter((d) => !kept.has(d))));
  }
  const gone = new Set(manifests);
  const allManifests = new Set(snap.manifests.map((m) => m.metadata.name));
  const referenced = new Set<string>();
  for (const m of snap.manifests) {
    if (gone.has(m.metadata.name)) continue;
    for (const b of m.spec?.blobs ?? []) referenced.add(b);
  }
  const links = snap.links
    .filter((l) => !allManifests.has(l.metadata.name) && !referenced.has(l.metadata.name) && old(l.metadata.creationTimestamp))
    .map((l) => ({ digest: l.metadata.name, size: l.spec?.size ?? 0 }))
    .sort((a, b) => a.digest.localeCompare(b.digest));
  return { manifests, links };
}
