/**
 * Scans an image stored in the registry: reads its manifest and layers from the blob store, applies
 * the layers in order, extracts installed packages and matches them against the advisory store.
 * An index (or Docker manifest list) is scanned child by child and the summary aggregates them,
 * as Harbor does. Artifacts without tar layers (signatures, other OCI artifacts) are reported as
 * not scannable.
 */
import type { BlobStore } from '../blob-store.js';
import { INDEX_TYPES } from '../media-types.js';
import { emptySummary, type AdvisoryStore, type ScanReport, type SeveritySummary } from './osv.js';
import { extractPackages, LayeredFiles, packagesOf } from './packages/extract.js';
import { SEVERITIES, type Severity } from './severity.js';

export { extractPackages };

export interface ManifestScan {
  readonly digest: string;
  readonly platform?: string;
  readonly scannable: boolean;
  readonly layers: number;
  readonly report: ScanReport;
}

export interface ImageScanResult {
  readonly digest: string;
  readonly mediaType: string;
  readonly scannable: boolean;
  readonly manifests: readonly ManifestScan[];
  /** Findings per severity over every scanned manifest. */
  readonly summary: SeveritySummary;
  readonly highest?: Severity;
  readonly scannedAt: string;
}

export interface ScanOptions {
  /** Largest layer read into memory (bytes); bigger layers fail the scan. Default 2 GiB. */
  readonly maxLayerBytes?: number;
  /** Child manifests of an index scanned at most. Default 64. */
  readonly maxChildren?: number;
}

export class ScanError extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Layer media types whose content is a (possibly gzip-compressed) tar. */
export function isTarLayer(mediaType: string): boolean {
  return /^application\/vnd\.(oci\.image\.layer\.v1\.tar(\+gzip)?|docker\.image\.rootfs\.diff\.tar\.gzip)$/.test(mediaType);
}

function mediaTypeOf(doc: Json): string {
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  return Array.isArray(doc.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
}

async function readManifest(blobs: BlobStore, digest: string): Promise<Json> {
  if (!(await blobs.stat(digest))) throw new ScanError(`manifest ${digest} is not in the blob store`);
  let doc: unknown;
  try {
    doc = JSON.parse((await blobs.readBytes(digest)).toString('utf8'));
  } catch {
    throw new ScanError(`manifest ${digest} is not JSON`);
  }
  if (!isObject(doc)) throw new ScanError(`manifest ${digest} is not a JSON object`);
  return doc;
}

async function scanSingle(blobs: BlobStore, advisories: AdvisoryStore, digest: string, doc: Json, opts: ScanOptions, platform?: string): Promise<ManifestScan> {
  const layers = Array.isArray(doc.layers) ? doc.layers.filter(isObject) : [];
  const tarLayers = layers.filter((l) => typeof l.mediaType === 'string' && typeof l.digest === 'string' && isTarLayer(l.mediaType));
  for (const l of layers) {
    if (typeof l.mediaType === 'string' && /zstd/.test(l.mediaType)) throw new ScanError(`layer ${String(l.digest)}: zstd layers are not supported`);
  }
  const fs = new LayeredFiles();
  const max = opts.maxLayerBytes ?? 2 * 1024 * 1024 * 1024;
  for (const l of tarLayers) {
    const layerDigest = l.digest as string;
    const info = await blobs.stat(layerDigest);
    if (!info) throw new ScanError(`layer ${layerDigest} is not in the blob store`);
    if (info.size > max) throw new ScanError(`layer ${layerDigest} is ${info.size} bytes, over the scan limit of ${max}`);
    try {
      fs.applyLayer(await blobs.readBytes(layerDigest));
    } catch (err) {
      throw new ScanError(`layer ${layerDigest}: ${(err as Error).message}`);
    }
  }
  const { packages, os } = packagesOf(fs);
  return { digest, ...(platform ? { platform } : {}), scannable: tarLayers.length > 0, layers: tarLayers.length, report: advisories.scan(packages, os) };
}

function platformOf(d: Json): string | undefined {
  const p = d.platform;
  if (!isObject(p) || typeof p.os !== 'string' || typeof p.architecture !== 'string') return undefined;
  return `${p.os}/${p.architecture}${typeof p.variant === 'string' ? `/${p.variant}` : ''}`;
}

/** Scans the image whose manifest (or index) has `digest` in `blobs`. */
export async function scanImage(blobs: BlobStore, digest: string, advisories: AdvisoryStore, opts: ScanOptions = {}): Promise<ImageScanResult> {
  const doc = await readManifest(blobs, digest);
  const mediaType = mediaTypeOf(doc);
  const manifests: ManifestScan[] = [];
  if (INDEX_TYPES.has(mediaType)) {
    const children = (Array.isArray(doc.manifests) ? doc.manifests.filter(isObject) : []).slice(0, opts.maxChildren ?? 64);
    for (const child of children) {
      if (typeof child.digest !== 'string') continue;
      // Attestation manifests (buildx `unknown/unknown`) and nested indexes carry no packages.
      if (typeof child.mediaType === 'string' && INDEX_TYPES.has(child.mediaType)) continue;
      const platform = platformOf(child);
      if (platform === 'unknown/unknown') continue;
      manifests.push(await scanSingle(blobs, advisories, child.digest, await readManifest(blobs, child.digest), opts, platform));
    }
  } else {
    manifests.push(await scanSingle(blobs, advisories, digest, doc, opts));
  }
  const summary = emptySummary();
  for (const m of manifests) for (const s of SEVERITIES) summary[s] += m.report.summary[s];
  const highest = SEVERITIES.find((s) => summary[s] > 0);
  return { digest, mediaType, scannable: manifests.some((m) => m.scannable), manifests, summary, ...(highest ? { highest } : {}), scannedAt: new Date().toISOString() };
}
