/**
 * Signs an image in a registry, client side (the private key never leaves the caller): resolves
 * the reference to a manifest digest, signs the simple-signing payload, uploads it and a config
 * blob, and pushes the `sha256-<hex>.sig` manifest with the new layer appended to the signatures
 * already there and `subject` set to the signed manifest (so the referrers API lists it).
 *
 *   GET manifest REF ─▶ digest ─▶ payload ─▶ sign ─▶ GET .sig (existing layers)
 *     ─▶ push payload blob ─▶ push config blob ─▶ PUT manifests/sha256-<hex>.sig
 *
 * Two signers racing on one tag can lose a layer from the tag (the last PUT wins), as with cosign;
 * both manifests stay as referrers of the image, which the server-side verifier also reads.
 */
import type { KeyObject } from 'node:crypto';
import { OciHttp, OciHttpError } from './oci-http.js';
import { signPayload } from './signature-crypto.js';
import { OCI_CONFIG_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, signatureConfig, signatureLayer, signatureLayersOf, signatureManifest, type OciDescriptor } from './signature-manifest.js';
import { buildPayload, signatureTag } from './simple-signing.js';

/** What to sign and with which key. */
export interface SignImageRequest {
  /** `project/repo`. */
  readonly repository: string;
  /** A tag or a digest. */
  readonly reference: string;
  readonly privateKey: KeyObject;
}

/** What was pushed. */
export interface SignImageResult {
  readonly repository: string;
  /** The signed manifest's digest. */
  readonly digest: string;
  /** `host/repository`, as written in the payload. */
  readonly dockerReference: string;
  readonly tag: string;
  /** Digest of the new signature manifest. */
  readonly signatureManifest: string;
  /** Digest of the payload blob the new signature covers. */
  readonly payload: string;
  /** Signatures under the tag now, the new one included. */
  readonly signatures: number;
}

/** Signs `repository:reference` in the registry at `registry` (a client with URL and token). */
export async function signImage(registry: OciHttp, req: SignImageRequest): Promise<SignImageResult> {
  const { repository, reference } = req;
  const target = await registry.getManifest(repository, reference);
  if (!target) throw new OciHttpError('not-found', `${repository}${reference.includes(':') ? '@' : ':'}${reference} does not exist in the registry`, 404);
  const subject: OciDescriptor = { mediaType: target.mediaType, digest: target.digest, size: target.bytes.length };
  const dockerReference = `${registry.host}/${repository}`;
  const payload = buildPayload(dockerReference, target.digest);
  const signature = signPayload(payload, req.privateKey);

  const tag = signatureTag(target.digest);
  const existing = await registry.getManifest(repository, tag);
  const kept = existing ? signatureLayersOf(existing.bytes).map((l) => l.descriptor) : [];
  const payloadDigest = await registry.pushBlob(repository, payload);
  const added = signatureLayer(payloadDigest, payload.length, signature);
  const layers = [...kept, added];
  const config = signatureConfig(layers);
  const configDigest = await registry.pushBlob(repository, config);
  const manifest = signatureManifest({ mediaType: OCI_CONFIG_MEDIA_TYPE, digest: configDigest, size: config.length }, layers, subject);
  const signatureManifestDigest = await registry.putManifest(repository, tag, manifest, OCI_MANIFEST_MEDIA_TYPE);
  return { repository, digest: target.digest, dockerReference, tag, signatureManifest: signatureManifestDigest, payload: payloadDigest, signatures: layers.length };
}
