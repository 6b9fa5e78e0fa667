/**
 * The cosign signature manifest (`sha256-<hex>.sig`): an OCI image manifest with one
 * simple-signing layer per signature and, here, a `subject` so the OCI 1.1 referrers API lists it.
 * Pure functions shared by the CLI (appending a signature) and the server (reading signatures).
 */
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';

/** An OCI content descriptor (the fields signatures use). */
export interface OciDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One signature: the payload blob's descriptor and the base64 signature from its annotation. */
export interface SignatureLayer {
  readonly descriptor: OciDescriptor;
  /** Base64 of the ASN.1 DER signature; undefined when the annotation is missing. */
  readonly signature: string | undefined;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * The simple-signing layers of a manifest (other layers, and documents that are not image
 * manifests, yield none). The manifest was validated when pushed; this only picks fields.
 */
export function signatureLayersOf(manifest: Buffer | string): SignatureLayer[] {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof manifest === 'string' ? manifest : manifest.toString('utf8'));
  } catch {
    return [];
  }
  if (!isObject(doc) || !Array.isArray(doc.layers)) return [];
  const out: SignatureLayer[] = [];
  for (const l of doc.layers as unknown[]) {
    if (!isObject(l) || l.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
    if (typeof l.digest !== 'string' || typeof l.size !== 'number') continue;
    const annotations = stringMap(l.annotations);
    out.push({
      descriptor: { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: l.digest, size: l.size, ...(annotations ? { annotations } : {}) },
      signature: annotations?.[SIGNATURE_ANNOTATION],
    });
  }
  return out;
}

/** A new signature layer for a payload blob. */
export function signatureLayer(payloadDigest: string, payloadSize: number, signatureBase64: string): OciDescriptor {
  return { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: payloadDigest, size: payloadSize, annotations: { [SIGNATURE_ANNOTATION]: signatureBase64 } };
}

/**
 * The config blob of a signature manifest, as cosign writes it (an empty image whose rootfs lists
 * the payloads; they are uncompressed, so each diff_id is the layer digest).
 */
export function signatureConfig(layers: readonly OciDescriptor[]): Buffer {
  const zero = '0001-01-01T00:00:00Z';
  return Buffer.from(
    JSON.stringify({ architecture: '', created: zero, history: [{ created: zero }], os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} }),
    'utf8',
  );
}

/** The signature manifest over `layers` (config blob given by descriptor), pointing at `subject`. */
export function signatureManifest(config: OciDescriptor, layers: readonly OciDescriptor[], subject: OciDescriptor | undefined): Buffer {
  const doc = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers,
    ...(subject ? { subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest } } : {}),
  };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}
