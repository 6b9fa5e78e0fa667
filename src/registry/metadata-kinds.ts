/**
 * Registry metadata kept in the store (internal kinds, not served by the REST API), so SQLite and
 * PostgreSQL both work and several API servers share it. Namespaces make per-repository and
 * per-project listings cheap:
 *   RegistryRepository   ns=<project>  name=<path in project>   a repository exists
 *   RegistryBlobLink     ns=<repo>     name=<digest>            a blob is visible in a repository
 *   RegistryManifest     ns=<repo>     name=<digest>            a manifest (bytes in the blob store)
 *   RegistryTag          ns=<repo>     name=<tag>               tag -> manifest digest
 *   RegistryProjectBlob  ns=<project>  name=<digest>            blob counted once per project (quota), refs = links
 * A blob file is garbage when no RegistryProjectBlob names it and no upload is in flight: GC can
 * mark from these objects and sweep `blobs/`.
 */
import type { Resource } from '../api/index.js';

export const REPOSITORY_KIND = 'RegistryRepository';
export const BLOB_LINK_KIND = 'RegistryBlobLink';
export const MANIFEST_KIND = 'RegistryManifest';
export const TAG_KIND = 'RegistryTag';
export const PROJECT_BLOB_KIND = 'RegistryProjectBlob';
export const ROBOT_SECRET_KIND = 'RegistryRobotSecret';
export const INTERNAL_API_VERSION = 'registry.bulkhead.dev/v1';

export interface BlobLinkSpec {
  readonly size: number;
}

/** What a manifest points at and what the referrers API needs. */
export interface ManifestSpec {
  readonly mediaType: string;
  readonly size: number;
  readonly blobs: readonly string[];
  readonly manifests: readonly string[];
  readonly subject?: string;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface TagSpec {
  readonly digest: string;
}

export interface ProjectBlobSpec {
  readonly size: number;
  readonly refs: number;
}

export type BlobLink = Resource<BlobLinkSpec>;
export type ManifestRecord = Resource<ManifestSpec>;
export type TagRecord = Resource<TagSpec>;
export type ProjectBlob = Resource<ProjectBlobSpec>;

/** A new internal object. */
export function internal<S>(kind: string, namespace: string, name: string, spec: S): Resource<S> {
  return { apiVersion: INTERNAL_API_VERSION, kind, metadata: { name, namespace }, spec };
}
