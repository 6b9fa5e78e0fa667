/**
 * Server-side verification of cosign signatures of one image: finds the signature manifests (the
 * `sha256-<hex>.sig` tag and referrers carrying simple-signing layers), and counts a signature only
 * when its payload names this digest and it verifies against one of the trusted keys. Used by
 * `POST /registry/v1/verify` and by the deploy-time policy (`policy.requireSignature`).
 */
import type { KeyObject } from 'node:crypto';
import type { TrustedKey } from '../../api/index.js';
import type { BlobStore } from '../blob-store.js';
import type { RegistryMetadata } from '../metadata.js';
import type { RepoName } from '../names.js';
import { loadPublicKey, verifyPayload } from './signature-crypto.js';
import { signatureLayersOf, type SignatureLayer } from './signature-manifest.js';
import { COSIGN_SIGNATURE_TYPE, SIGNATURE_ANNOTATION, parsePayload, signatureTag } from './simple-signing.js';

/** Payloads are a few hundred bytes; anything far larger is not a signature payload. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/** What verification reads: manifests and payload blobs (a RegistryContext's `blobs` and `meta` fit). */
export interface SignatureSources {
  readonly blobs: Pick<BlobStore, 'readBytes'>;
  readonly meta: Pick<RegistryMetadata, 'resolveTag' | 'manifests'>;
}

/** The outcome for one signature (one simple-signing layer). */
export interface SignatureCheck {
  /** Digest of the signature manifest holding the layer. */
  readonly manifest: string;
  /** Digest of the payload blob. */
  readonly payload: string;
  /** The trusted key the signature verified against (set even when the payload names another image). */
  readonly keyName?: string;
  /** Counts toward `verified`: the payload names this digest and a trusted key verifies it. */
  readonly valid: boolean;
  readonly reason: string;
}

/** Whether an image is signed by a trusted key, with each signature's outcome and a one-line reason. */
export interface SignatureVerdict {
  readonly verified: boolean;
  readonly digest: string;
  /** The key of the first valid signature. */
  readonly keyName?: string;
  readonly reason: string;
  readonly signatures: readonly SignatureCheck[];
}

interface UsableKey {
  readonly name: string;
  readonly key: KeyObject;
}

function usableKeys(keys: readonly TrustedKey[]): { usable: UsableKey[]; broken: string[] } {
  const usable: UsableKey[] = [];
  const broken: string[] = [];
  for (const k of keys) {
    try {
      usable.push({ name: k.name, key: loadPublicKey(k.publicKey) });
    } catch (err) {
      broken.push(`${k.name}: ${(err as Error).message}`);
    }
  }
  return { usable, broken };
}

/** Digests of manifests that may hold signatures of `digest`: the `.sig` tag first, then referrers. */
async function signatureManifests(meta: SignatureSources['meta'], repo: RepoName, digest: string): Promise<string[]> {
  const found = new Set<string>();
  const tagged = await meta.resolveTag(repo, signatureTag(digest));
  if (tagged) found.add(tagged);
  for (const m of await meta.manifests(repo)) if (m.spec?.subject === digest) found.add(m.metadata.name);
  return [...found];
}

async function readPayload(blobs: SignatureSources['blobs'], layer: SignatureLayer): Promise<Buffer | string> {
  if (layer.descriptor.size > MAX_PAYLOAD_BYTES) return `payload of ${layer.descriptor.size} bytes exceeds ${MAX_PAYLOAD_BYTES}`;
  try {
    return await blobs.readBytes(layer.descriptor.digest);
  } catch (err) {
    return `payload blob cannot be read: ${(err as Error).message}`;
  }
}

async function checkLayer(blobs: SignatureSources['blobs'], manifest: string, layer: SignatureLayer, digest: string, keys: readonly UsableKey[]): Promise<SignatureCheck> {
  const base = { manifest, payload: layer.descriptor.digest };
  if (layer.signature === undefined) return { ...base, valid: false, reason: `no ${SIGNATURE_ANNOTATION} annotation` };
  const bytes = await readPayload(blobs, layer);
  if (typeof bytes === 'string') return { ...base, valid: false, reason: bytes };
  const parsed = parsePayload(bytes);
  if (!parsed.ok) return { ...base, valid: false, reason: parsed.reason };
  if (parsed.payload.type !== COSIGN_SIGNATURE_TYPE) return { ...base, valid: false, reason: `payload type "${parsed.payload.type}" is not "${COSIGN_SIGNATURE_TYPE}"` };
  const signature = layer.signature;
  const signer = keys.find((k) => verifyPayload(bytes, signature, k.key));
  if (!signer) return { ...base, valid: false, reason: keys.length === 0 ? 'no trusted key to verify against' : `does not verify against any trusted key (${keys.map((k) => k.name).join(', ')})` };
  if (parsed.payload.manifestDigest !== digest) return { ...base, keyName: signer.name, valid: false, reason: `signed payload names ${parsed.payload.manifestDigest}, not this image` };
  return { ...base, keyName: signer.name, valid: true, reason: `verified by trusted key "${signer.name}"` };
}

function summarise(digest: string, checks: readonly SignatureCheck[], usable: readonly UsableKey[], broken: readonly string[]): SignatureVerdict {
  const good = checks.find((c) => c.valid);
  if (good) return { verified: true, digest, ...(good.keyName ? { keyName: good.keyName } : {}), reason: `signed by trusted key "${good.keyName ?? ''}"`, signatures: checks };
  let reason: string;
  if (usable.length === 0) reason = broken.length > 0 ? `no usable trusted key (${broken.join('; ')})` : 'no trusted keys to verify against';
  else if (checks.length === 0) reason = `no signatures found for ${digest}`;
  else reason = `none of ${checks.length} signature(s) verifies: ${[...new Set(checks.map((c) => c.reason))].join('; ')}`;
  return { verified: false, digest, reason, signatures: checks };
}

/**
 * Verifies the cosign signatures of manifest `digest` in `repo` against `keys` (a project's
 * `spec.trustedKeys`). A signature counts only if its payload names `digest` and one of the keys
 * verifies it over the payload bytes as stored; unparseable keys are skipped (and named in the
 * reason when none is usable).
 */
export async function verifyImageSignatures(deps: SignatureSources, repo: RepoName, digest: string, keys: readonly TrustedKey[]): Promise<SignatureVerdict> {
  const { usable, broken } = usableKeys(keys);
  const checks: SignatureCheck[] = [];
  const seen = new Set<string>();
  for (const manifest of await signatureManifests(deps.meta, repo, digest)) {
    let bytes: Buffer;
    try {
      bytes = await deps.blobs.readBytes(manifest);
    } catch {
      continue; // deleted between listing and reading
    }
    for (const layer of signatureLayersOf(bytes)) {
      const id = `${layer.descriptor.digest} ${layer.signature ?? ''}`;
      if (seen.has(id)) continue;
      seen.add(id);
      checks.push(await checkLayer(deps.blobs, manifest, layer, digest, usable));
    }
  }
  return summarise(digest, checks, usable, broken);
}
