/**
 * The cosign "simple signing" format, shared by the CLI (which signs) and the server (which
 * verifies): annotation and media type names, the `sha256-<hex>.sig` tag, and building and parsing
 * the payload a signature covers. Imports nothing, so the CLI can load it at no cost.
 */

/** Layer media type of one cosign signature (the layer blob is the payload). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** Layer annotation holding the base64 signature over the payload bytes. */
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/** `critical.type` of an image signature payload. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** What a simple-signing payload says: which image (by manifest digest) under which name. */
export interface SimpleSigningPayload {
  readonly type: string;
  readonly dockerReference: string;
  readonly manifestDigest: string;
}

/** A payload that parsed, or why it did not (an expected outcome, not an exception). */
export type PayloadParse = { readonly ok: true; readonly payload: SimpleSigningPayload } | { readonly ok: false; readonly reason: string };

/** The tag cosign stores the signatures of `digest` under (`sha256:abc` → `sha256-abc.sig`). */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/**
 * The payload bytes for `manifestDigest`, exactly as cosign writes them (`optional: null`).
 * `dockerReference` is `<registry host>/<repository>`; cosign's verifier ignores it, skopeo's
 * `signedIdentity` checks it.
 */
export function buildPayload(dockerReference: string, manifestDigest: string): Buffer {
  const doc = {
    critical: {
      identity: { 'docker-reference': dockerReference },
      image: { 'docker-manifest-digest': manifestDigest },
      type: COSIGN_SIGNATURE_TYPE,
    },
    optional: null,
  };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj[key]` with the key matched case-insensitively, as Go's encoding/json does when cosign reads it. */
function field(obj: Json, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Parses payload bytes; keys are matched case-insensitively (the spec's example spells `Docker-manifest-digest`). */
export function parsePayload(bytes: Buffer | string): PayloadParse {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `payload is not JSON: ${(err as Error).message}` };
  }
  if (!isObject(doc)) return { ok: false, reason: 'payload is not a JSON object' };
  const critical = field(doc, 'critical');
  if (!isObject(critical)) return { ok: false, reason: 'payload has no "critical" object' };
  const type = field(critical, 'type');
  if (typeof type !== 'string') return { ok: false, reason: 'payload has no critical.type' };
  const image = field(critical, 'image');
  const manifestDigest = isObject(image) ? field(image, 'docker-manifest-digest') : undefined;
  if (typeof manifestDigest !== 'string' || manifestDigest === '') return { ok: false, reason: 'payload has no critical.image.docker-manifest-digest' };
  const identity = field(critical, 'identity');
  const ref = isObject(identity) ? field(identity, 'docker-reference') : undefined;
  return { ok: true, payload: { type, manifestDigest, dockerReference: typeof ref === 'string' ? ref : '' } };
}
