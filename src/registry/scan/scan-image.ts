/**
 * Scans an image stored in the registry: reads its manifest and layers from the blob store, applies
 * the layers in order, extracts installed packages and matches them against the advisory store.
 * An index (or Docker manifest list) is scanned child by child and the summary aggregates them,
 * as Harbor does. Artifacts without tar layers (signatures, other OCI artifacts) are reported as
 * not scannable.
 */
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../blob-store.js';
import { INDEX_TYPES } from '../media-types.js';
import { emptySummary, type AdvisoryStore, type ScanReport, type SeveritySummary } from './osv.js';
import { extractPackages, LayeredFiles, packagesOf, parseTarStream } from './packages/extract.js';
import { compressionOf, decompressor, ZSTD_SUPPORTED, type TarEntry } from './packages/tar.js';
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
  /** Largest (compressed) layer scanned, in bytes; bigger layers fail the scan. Default 2 GiB. */
  readonly maxLayerBytes?: number;
  /** Child manifests of an index scanned at most. Default 64. */
  readonly maxChildren?: number;
  /** Layers decompressed at once (each on a thread-pool thread). Default 2. */
  readonly parallelLayers?: number;
}

export class ScanError extends Error {}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Layer media types whose content is a (possibly gzip- or zstd-compressed) tar. */
export function isTarLayer(mediaType: string): boolean {
  return /^application\/vnd\.(oci\.image\.layer\.v1\.tar(\+gzip|\+zstd)?|docker\.image\.rootfs\.diff\.tar\.gzip)$/.test(mediaType);
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
  if (!ZSTD_SUPPORTED) {
    for (const l of layers) {
      if (typeof l.mediaType === 'string' && /zstd/.test(l.mediaType)) throw new ScanError(`layer ${String(l.digest)}: zstd layers are not supported (this Node.js has no zstd in zlib; Node 22.15+ does)`);
    }
  }
  const max = opts.maxLayerBytes ?? 2 * 1024 * 1024 * 1024;
  const sized: { digest: string; size: number }[] = [];
  for (const l of tarLayers) {
    const layerDigest = l.digest as string;
    const info = await blobs.stat(layerDigest);
    if (!info) throw new ScanError(`layer ${layerDigest} is not in the blob store`);
    if (info.size > max) throw new ScanError(`layer ${layerDigest} is ${info.size} bytes, over the scan limit of ${max}`);
    sized.push({ digest: layerDigest, size: info.size });
  }
  const fs = new LayeredFiles();
  await applyLayers(fs, blobs, sized, Math.max(1, opts.parallelLayers ?? 2));
  const { packages, os } = packagesOf(fs);
  return { digest, ...(platform ? { platform } : {}), scannable: tarLayers.length > 0, layers: tarLayers.length, report: advisories.scan(packages, os) };
}

/**
 * Applies the layers in order while decompressing up to `parallel` of them at once: the layer being
 * applied streams straight into `fs`; entries of later layers wait in their queue (paths, and the
 * content of package databases only) until the layers before them are done.
 */
async function applyLayers(fs: LayeredFiles, blobs: BlobStore, layers: readonly { digest: string; size: number }[], parallel: number): Promise<void> {
  let current = 0;
  let apply = layers.length > 0 ? fs.beginLayer() : undefined;
  const queues: TarEntry[][] = layers.map(() => []);
  const done: boolean[] = layers.map(() => false);
  const advance = (): void => {
    while (current < layers.length && done[current]) {
      current++;
      if (current < layers.length) {
        apply = fs.beginLayer();
        for (const e of queues[current]!) apply(e);
        queues[current] = [];
      }
    }
  };
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < layers.length) {
      const i = next++;
      const { digest, size } = layers[i]!;
      try {
        await streamLayer(blobs, digest, size, (e) => (i === current ? apply!(e) : queues[i]!.push(e)));
      } catch (err) {
        failed = true;
        throw new ScanError(`layer ${digest}: ${(err as Error).message}`);
      }
      done[i] = true;
      advance();
    }
  };
  // Settle every worker before reporting, so no layer stream outlives the scan.
  const results = await Promise.allSettled(Array.from({ length: Math.min(parallel, layers.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * Streams one layer blob through its decompressor (sniffed from the first bytes, as clients push
 * gzip under plain-tar media types and the reverse) and the tar parser: constant memory, and
 * decompression on the thread pool, off the event loop.
 */
async function streamLayer(blobs: BlobStore, digest: string, size: number, onEntry: (e: TarEntry) => void): Promise<void> {
  const head: Buffer[] = [];
  if (size > 0) for await (const c of blobs.read(digest, { start: 0, end: Math.min(size, 4) - 1 })) head.push(c as Buffer);
  const inflate = decompressor(compressionOf(Buffer.concat(head)));
  const source = size > 0 ? blobs.read(digest, { start: 0, end: size - 1 }) : blobs.read(digest);
  const sink = (tar: AsyncIterable<Buffer>) => parseTarStream(tar, onEntry);
  await (inflate ? pipeline(source, inflate, sink) : pipeline(source, sink));
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
