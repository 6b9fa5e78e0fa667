/**
 * The artifacts of one repository as retention and garbage collection see them: top-level
 * artifacts (the things rules select), index children (kept with any index that lists them) and
 * accessories — signatures, SBOMs and other referrers — which follow their subject: kept iff the
 * subject is (or, should an index list one, iff that index is: a kept index is never broken).
 * Built from the repository's manifests and tags; pure, no I/O.
 */
import type { ManifestRecord, TagRecord } from '../metadata-kinds.js';

/** Cosign's tag-based accessories: `sha256-<hex>.sig` (signature), `.att` (attestation), `.sbom`. */
const COSIGN_TAG = /^(sha256|sha512)-([a-f0-9]{64}|[a-f0-9]{128})\.(sig|att|sbom)$/;

/** The digest a cosign accessory tag names, or undefined for an ordinary tag. */
export function cosignSubject(tag: string): string | undefined {
  const m = COSIGN_TAG.exec(tag);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

export const ARTIFACT_ROLES = ['artifact', 'child', 'accessory'] as const;
/** How an artifact is kept: selected by rules (artifact), with an index (child), with its subject (accessory). */
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];

export interface Artifact {
  readonly digest: string;
  /** Every tag pointing at it, sorted. */
  readonly tags: readonly string[];
  readonly role: ArtifactRole;
  /** For an accessory: the manifest it belongs to (`subject`, or the digest in a cosign tag). */
  readonly subject?: string;
  /** Manifests an index lists. */
  readonly children: readonly string[];
  /** Indexes in this repository that list it. */
  readonly parents: readonly string[];
  /** When it was pushed (ms): the newest creationTimestamp among the manifest and its tags. */
  readonly pushedAt: number;
  /**
   * Order of its last push: the highest store revision among the manifest and its tags (a re-push
   * or retag rewrites the tag and moves the artifact to the front). Revisions are gapless and
   * totally ordered, so pushes within one millisecond still order.
   */
  readonly pushOrder: number;
  /** Stored size of the manifest itself. */
  readonly size: number;
}

export interface ArtifactGraph {
  readonly byDigest: ReadonlyMap<string, Artifact>;
  /** Accessories per subject digest. */
  readonly accessoriesOf: ReadonlyMap<string, readonly string[]>;
}

const time = (iso: string | undefined, fallback: number): number => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
};
const revision = (rv: string | undefined): number => (rv === undefined ? 0 : Number(rv) || 0);

/**
 * Classifies every manifest of a repository. `now` stands in for a missing timestamp (an object
 * written without one counts as just pushed, the safe side for both retention and GC).
 */
export function buildArtifactGraph(manifests: readonly ManifestRecord[], tags: readonly TagRecord[], now: number): ArtifactGraph {
  const tagsOf = new Map<string, TagRecord[]>();
  for (const t of tags) {
    const d = t.spec?.digest;
    if (d === undefined) continue;
    const list = tagsOf.get(d) ?? [];
    list.push(t);
    tagsOf.set(d, list);
  }
  const present = new Set(manifests.map((m) => m.metadata.name));
  const parentsOf = new Map<string, string[]>();
  for (const m of manifests) {
    for (const c of m.spec?.manifests ?? []) {
      if (!present.has(c)) continue;
      const list = parentsOf.get(c) ?? [];
      list.push(m.metadata.name);
      parentsOf.set(c, list);
    }
  }
  const byDigest = new Map<string, Artifact>();
  const accessoriesOf = new Map<string, string[]>();
  for (const m of manifests) {
    const digest = m.metadata.name;
    const own = tagsOf.get(digest) ?? [];
    const tagNames = own.map((t) => t.metadata.name).sort();
    const subject = m.spec?.subject ?? tagNames.map(cosignSubject).find((s) => s !== undefined);
    const parents = (parentsOf.get(digest) ?? []).sort();
    const role: ArtifactRole = subject !== undefined ? 'accessory' : tagNames.length === 0 && parents.length > 0 ? 'child' : 'artifact';
    const created = time(m.metadata.creationTimestamp, now);
    byDigest.set(digest, {
      digest,
      tags: tagNames,
      role,
      ...(subject !== undefined ? { subject } : {}),
      children: [...new Set(m.spec?.manifests ?? [])].filter((c) => present.has(c) && c !== digest),
      parents,
      pushedAt: Math.max(created, ...own.map((t) => time(t.metadata.creationTimestamp, created))),
      pushOrder: Math.max(revision(m.metadata.resourceVersion), ...own.map((t) => revision(t.metadata.resourceVersion))),
      size: m.spec?.size ?? 0,
    });
    if (subject !== undefined) {
      const list = accessoriesOf.get(subject) ?? [];
      list.push(digest);
      accessoriesOf.set(subject, list);
    }
  }
  return { byDigest, accessoriesOf };
}

/** Why an artifact is kept: a rule, an index that lists it, the subject it belongs to, or a protection. */
export type KeepReason = string;

/**
 * Everything kept when `roots` are: the roots, every manifest a kept index lists and every
 * accessory of a kept manifest, to a fixpoint. Reasons say which link kept each follower.
 */
export function closeOver(graph: ArtifactGraph, roots: ReadonlyMap<string, readonly KeepReason[]>): Map<string, KeepReason[]> {
  const kept = new Map<string, KeepReason[]>();
  const queue: string[] = [];
  const keep = (digest: string, reason: KeepReason) => {
    if (!graph.byDigest.has(digest)) return;
    const have = kept.get(digest);
    if (have) {
      if (!have.includes(reason)) have.push(reason);
      return;
    }
    kept.set(digest, [reason]);
    queue.push(digest);
  };
  for (const [d, reasons] of roots) for (const r of reasons) keep(d, r);
  while (queue.length > 0) {
    const d = queue.shift() as string;
    const a = graph.byDigest.get(d);
    for (const c of a?.children ?? []) keep(c, `listed by index ${d}`);
    for (const acc of graph.accessoriesOf.get(d) ?? []) keep(acc, `accessory of ${d}`);
  }
  return kept;
}

/**
 * `doomed` in an order safe to delete one by one: a manifest before anything it references (an
 * index before its children, an accessory before its subject), so stopping half-way never leaves
 * an index pointing at a deleted child.
 */
export function deletionOrder(graph: ArtifactGraph, doomed: ReadonlySet<string>): string[] {
  const refs = (d: string): string[] => {
    const a = graph.byDigest.get(d);
    if (!a) return [];
    return [...a.children, ...(a.subject !== undefined ? [a.subject] : [])].filter((r) => doomed.has(r) && r !== d);
  };
  const incoming = new Map<string, number>();
  for (const d of doomed) incoming.set(d, 0);
  for (const d of doomed) for (const r of refs(d)) incoming.set(r, (incoming.get(r) ?? 0) + 1);
  const ready = [...doomed].filter((d) => incoming.get(d) === 0).sort();
  const out: string[] = [];
  while (ready.length > 0) {
    const d = ready.shift() as string;
    out.push(d);
    for (const r of refs(d)) {
      const n = (incoming.get(r) ?? 0) - 1;
      incoming.set(r, n);
      if (n === 0) ready.push(r);
    }
  }
  // Content addressing rules out cycles; anything left (impossible) still goes, last.
  for (const d of [...doomed].sort()) if (!out.includes(d)) out.push(d);
  return out;
}
