/**
 * Manifest validation: JSON shape of OCI image manifests and indexes and their Docker v2 schema 2
 * equivalents, and what they reference (blobs that must be in the repository, child manifests,
 * the optional `subject`, the artifactType the referrers API reports).
 */
import { manifestInvalid } from './errors.js';
import { INDEX_TYPES, MANIFEST_TYPES, OCI_INDEX, OCI_MANIFEST, isNonDistributable } from './media-types.js';
import { isDigest } from './names.js';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Content served from `urls` elsewhere, never pushed here. */
  readonly external?: boolean;
}

export interface ParsedManifest {
  readonly mediaType: string;
  /** Blobs that must already be in the repository (config and distributable layers). */
  readonly blobs: readonly string[];
  /** Manifests an index lists (must be in the repository). */
  readonly manifests: readonly string[];
  readonly subject?: string;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function annotationsOf(v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) throw manifestInvalid(`${field} must map strings to strings`);
  return v as Record<string, string>;
}

function descriptor(v: unknown, field: string): Descriptor {
  if (!isObject(v)) throw manifestInvalid(`${field} must be a descriptor object`);
  const { mediaType, digest, size } = v;
  if (typeof mediaType !== 'string' || mediaType === '') throw manifestInvalid(`${field}.mediaType is required`);
  if (typeof digest !== 'string' || !isDigest(digest)) throw manifestInvalid(`${field}.digest "${String(digest)}" is not a valid digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw manifestInvalid(`${field}.size must be a non-negative integer`);
  const annotations = annotationsOf(v.annotations, `${field}.annotations`);
  return { mediaType, digest, size, ...(Array.isArray(v.urls) && v.urls.length > 0 ? { external: true } : {}), ...(typeof v.artifactType === 'string' ? { artifactType: v.artifactType } : {}), ...(annotations ? { annotations } : {}) };
}

function descriptors(v: unknown, field: string): Descriptor[] {
  if (!Array.isArray(v)) throw manifestInvalid(`${field} must be an array`);
  return v.map((d, i) => descriptor(d, `${field}[${i}]`));
}

/** Parses and validates manifest bytes sent with `contentType` (parameters ignored). */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw manifestInvalid(`not JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw manifestInvalid('not a JSON object');
  if (doc.schemaVersion !== 2) throw manifestInvalid('schemaVersion must be 2');
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const sniffed = doc.manifests !== undefined ? OCI_INDEX : OCI_MANIFEST;
  const headerType = header && MANIFEST_TYPES.has(header) ? header : undefined;
  const mediaType = declared ?? headerType ?? sniffed;
  if (!MANIFEST_TYPES.has(mediaType)) throw manifestInvalid(`unsupported manifest media type "${mediaType}"`);
  if (declared && headerType && declared !== headerType) throw manifestInvalid(`Content-Type "${headerType}" does not match mediaType "${declared}"`);
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject');
  const annotations = annotationsOf(doc.annotations, 'annotations');
  const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : undefined;
  const common = { mediaType, ...(subject ? { subject: subject.digest } : {}), ...(annotations ? { annotations } : {}) };
  if (INDEX_TYPES.has(mediaType)) {
    const children = descriptors(doc.manifests, 'manifests');
    return { ...common, blobs: [], manifests: children.map((d) => d.digest), ...(artifactType ? { artifactType } : {}) };
  }
  const config = descriptor(doc.config, 'config');
  const layers = doc.layers === undefined ? [] : descriptors(doc.layers, 'layers');
  const pushed = layers.filter((l) => !isNonDistributable(l.mediaType) && !l.external);
  return { ...common, blobs: [config.digest, ...pushed.map((l) => l.digest)], manifests: [], artifactType: artifactType ?? config.mediaType };
}
