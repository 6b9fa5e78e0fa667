/**
 * Registry metadata kept in the store (internal kinds, not served by the REST API), so SQLite and
 * PostgreSQL both work and several API servers share it. Namespaces make per-repository and
 * per-project listings cheap:
 *   RegistryRepository   ns=<project>  name=<path in project>   a repository exists
 *   RegistryBlobLink     ns=<repo>     name=<digest>            a blob is visible in a repository
 *   RegistryManifest     ns=<repo>     name=<digest>            a manifest (bytes in the blob store)
 *   RegistryTag          ns=<repo>     name=<tag>               tag -> manifest digest
 *   RegistryProjectBlob  ns=<project>  name=<digest>            blob counted once per project (quota), refs = links
 *   RegistryScanReport   ns=<repo>     name=<digest>            the latest vulnerability scan of a manifest
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
export const SCAN_REPORT_KIND = 'RegistryScanReport';
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

export type ScanStatus = 'Success' | 'Error' | 'Unsupported';

/** One finding: a package (in one platform's image) affected by one advisory. */
export interface ScanFinding {
  readonly id: string;
  readonly package: string;
  readonly ecosystem: string;
  readonly installed: string;
  /** Fixed versions, comma-separated; empty when no fix is known. */
  readonly fixed: string;
  readonly severity: string;
  readonly summary?: string;
  readonly platform?: string;
}

/** The stored result of the latest scan of a manifest (by digest). */
export interface ScanReportSpec {
  readonly status: ScanStatus;
  readonly digest: string;
  readonly scannedAt: string;
  /** Advisories in the database the scan used. */
  readonly advisories: number;
  /** Findings per severity (Critical, High, Medium, Low, Unknown). */
  readonly summary: Readonly<Record<string, number>>;
  readonly highest?: string;
  readonly vulnerabilities: readonly ScanFinding[];
  /** Why the scan failed (status Error). */
  readonly error?: string;
}

export type BlobLink = Resource<BlobLinkSpec>;
export type ManifestRecord = Resource<ManifestSpec>;
export type TagRecord = Resource<TagSpec>;
export type ProjectBlob = Resource<ProjectBlobSpec>;
export type ScanReportRecord = Resource<ScanReportSpec>;

/** A new internal object. */
export function internal<S>(kind: string, namespace: string, name: string, spec: S): Resource<S> {
  return { apiVersion: INTERNAL_API_VERSION, kind, metadata: { name, namespace }, spec };
}
