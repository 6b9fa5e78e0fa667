/**
 * Keys and signatures with Node's crypto: ECDSA P-256 key pairs in the PEM formats cosign reads
 * (PKCS#8 private key, optionally passphrase-encrypted; SPKI public key like `cosign.pub`), signing
 * a payload (SHA-256, ASN.1 DER, base64) and verifying one. ECDSA on any curve and RSA verify with
 * SHA-256, Ed25519 without a separate hash, as cosign does for `--key` signatures.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const SIGNING_KEY_ERROR_CODES = ['passphrase-required', 'bad-passphrase', 'invalid-key', 'unsupported-key'] as const;
export type SigningKeyErrorCode = (typeof SIGNING_KEY_ERROR_CODES)[number];

/** A key that cannot be used: missing or wrong passphrase, not PEM, or a format we do not read. */
export class SigningKeyError extends Error {
  constructor(
    readonly code: SigningKeyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/** A new key pair in PEM: the private key PKCS#8 (encrypted when a passphrase was given), the public key SPKI. */
export interface SigningKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly encrypted: boolean;
}

/** Generates an ECDSA P-256 key pair; with a passphrase the private key is AES-256-CBC encrypted PKCS#8. */
export function generateSigningKeyPair(passphrase?: string): SigningKeyPair {
  const encrypted = passphrase !== undefined && passphrase !== '';
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: encrypted ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, encrypted };
}

/** Whether a PEM private key needs a passphrase (PKCS#8 encrypted, or a legacy `Proc-Type: 4,ENCRYPTED` key). */
export function isEncryptedPem(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}

/** Reads a PEM private key (PKCS#8, SEC1 or PKCS#1), decrypting it with `passphrase` when it is encrypted. */
export function loadPrivateKey(pem: string, passphrase?: string): KeyObject {
  if (pem.includes('SIGSTORE PRIVATE KEY')) {
    throw new SigningKeyError('unsupported-key', "cosign's own encrypted key format (scrypt + secretbox) is not supported; use a PEM key from `bulkhead image keygen`");
  }
  const encrypted = isEncryptedPem(pem);
  if (encrypted && (passphrase === undefined || passphrase === '')) throw new SigningKeyError('passphrase-required', 'the private key is encrypted and no passphrase was given');
  let key: KeyObject;
  try {
    key = createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch (err) {
    if (encrypted) throw new SigningKeyError('bad-passphrase', 'cannot decrypt the private key: wrong passphrase?', { cause: err });
    throw new SigningKeyError('invalid-key', `not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
  algorithmFor(key);
  return key;
}

/** Reads a PEM public key (SPKI `BEGIN PUBLIC KEY`, as in `cosign.pub`); a private key is refused. */
export function loadPublicKey(pem: string): KeyObject {
  if (pem.includes('PRIVATE KEY')) throw new SigningKeyError('invalid-key', 'expected a public key but got a private key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new SigningKeyError('invalid-key', `not a PEM public key: ${(err as Error).message}`, { cause: err });
  }
  algorithmFor(key);
  return key;
}

/** The SPKI PEM public key of a private key (what to put in a project's trustedKeys). */
export function publicKeyPemOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** The digest algorithm for Node's sign/verify (`null` for Ed25519, which hashes internally). */
function algorithmFor(key: KeyObject): 'sha256' | null {
  switch (key.asymmetricKeyType) {
    case 'ec':
    case 'rsa':
      return 'sha256';
    case 'ed25519':
      return null;
    default:
      throw new SigningKeyError('unsupported-key', `unsupported key type "${key.asymmetricKeyType ?? 'unknown'}" (ECDSA, RSA or Ed25519)`);
  }
}

/** Signs the payload bytes exactly as they will be stored; the signature is base64 (ECDSA: ASN.1 DER). */
export function signPayload(payload: Buffer, privateKey: KeyObject): string {
  return sign(algorithmFor(privateKey), payload, privateKey).toString('base64');
}

/** Whether `signatureBase64` is a valid signature by `publicKey` over exactly `payload`. */
export function verifyPayload(payload: Buffer, signatureBase64: string, publicKey: KeyObject): boolean {
  const sig = Buffer.from(signatureBase64, 'base64');
  if (sig.length === 0) return false;
  try {
    return verify(algorithmFor(publicKey), payload, publicKey, sig);
  } catch {
    // A malformed DER signature makes OpenSSL throw rather than answer false.
    return false;
  }
}
