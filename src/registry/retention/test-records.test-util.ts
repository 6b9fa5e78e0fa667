/** Builders of stored manifest and tag records for retention and GC unit tests. */
import type { ManifestRecord, TagRecord } from '../metadata-kinds.js';

export const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;

/** A valid-looking sha256 digest numbered `n`. */
export function dg(n: number): string {
  return `sha256:${n.toString(16).padStart(64, '0')}`;
}

export interface ManifestInit {
  readonly digest: string;
  /** Store revision of its creation (push order). */
  readonly rev: number;
  readonly ageDays?: number;
  readonly children?: readonly string[];
  readonly blobs?: readonly string[];
  readonly subject?: string;
  readonly size?: number;
}

export function manifest(m: ManifestInit): ManifestRecord {
  return {
    apiVersion: 'registry.bulkhead.dev/v1',
    kind: 'RegistryManifest',
    metadata: { name: m.digest, namespace: 'p/app', resourceVersion: String(m.rev), creationTimestamp: new Date(NOW - (m.ageDays ?? 0) * DAY).toISOString() },
    spec: {
      mediaType: m.children ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json',
      size: m.size ?? 100,
      blobs: m.blobs ?? [],
      manifests: m.children ?? [],
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
    },
  };
}

export function tag(name: string, digest: string, rev: number, ageDays = 0): TagRecord {
  return {
    apiVersion: 'registry.bulkhead.dev/v1',
    kind: 'RegistryTag',
    metadata: { name, namespace: 'p/app', resourceVersion: String(rev), creationTimestamp: new Date(NOW - ageDays * DAY).toISOString() },
    spec: { digest },
  };
}

/** The cosign legacy signature tag of `digest`. */
export function sigTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}
