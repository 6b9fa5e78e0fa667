/**
 * What a manifest points at, with sizes (the copier needs them to stream and chunk): the config
 * and layers of an image, or the child manifests of an index. Layers that are never pushed
 * (non-distributable types, or content served from `urls`) are left out, as the registry does.
 */
import { INDEX_TYPES, isNonDistributable } from '../media-types.js';
import { isDigest } from '../names.js';
import { ReplicationError } from './errors.js';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface ManifestReferences {
  readonly blobs: readonly Descriptor[];
  /** Child manifests of an index (copied before the index). */
  readonly manifests: readonly Descriptor[];
  /** The `subject` digest, when the manifest is a referrer (signature, SBOM). */
  readonly subject?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function descriptor(v: unknown, field: string): Descriptor & { external: boolean } {
  if (!isObject(v) || typeof v.digest !== 'string' || !isDigest(v.digest) || typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0)
    throw new ReplicationError(`manifest ${field} is not a valid descriptor`, false);
  const external = Array.isArray(v.urls) && v.urls.length > 0;
  return { mediaType: typeof v.mediaType === 'string' ? v.mediaType : '', digest: v.digest, size: v.size, external };
}

function list(v: unknown, field: string): (Descriptor & { external: boolean })[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ReplicationError(`manifest ${field} is not an array`, false);
  return v.map((d, i) => descriptor(d, `${field}[${i}]`));
}

/** The blobs and child manifests `bytes` (of `mediaType`) references. */
export function referencesOf(bytes: Buffer, mediaType: string): ManifestReferences {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ReplicationError('manifest is not JSON', false);
  }
  if (!isObject(doc)) throw new ReplicationError('manifest is not a JSON object', false);
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject').digest;
  const common = subject ? { subject } : {};
  if (INDEX_TYPES.has(mediaType) || (doc.manifests !== undefined && doc.config === undefined)) {
    return { ...common, blobs: [], manifests: list(doc.manifests, 'manifests').map(({ external: _e, ...d }) => d) };
  }
  const config = descriptor(doc.config, 'config');
  const layers = list(doc.layers, 'layers').filter((l) => !l.external && !isNonDistributable(l.mediaType));
  return { ...common, manifests: [], blobs: [config, ...layers].map(({ external: _e, ...d }) => d) };
}

/** Tags cosign keeps next to an image (`sha256-<hex>.sig|.att|.sbom`) and the OCI referrers fallback tag. */
export function accessoryTags(digest: string): string[] {
  const base = digest.replace(':', '-');
  return [`${base}.sig`, `${base}.att`, `${base}.sbom`, base];
}

const ACCESSORY = /^(sha256-[a-f0-9]{64}|sha512-[a-f0-9]{128})(\.sig|\.att|\.sbom)?$/;

/** The subject digest an accessory tag belongs to, or undefined for an ordinary tag. */
export function accessorySubject(tag: string): string | undefined {
  const m = ACCESSORY.exec(tag);
  return m?.[1]?.replace('-', ':');
}
