import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigningKeyError, generateSigningKeyPair, loadPrivateKey, loadPublicKey, publicKeyPemOf, signPayload, verifyPayload } from './signature-crypto.js';
import { buildPayload } from './simple-signing.js';

const payload = buildPayload('reg/acme/app', `sha256:${'0'.repeat(64)}`);
const alice = generateSigningKeyPair();
const bob = generateSigningKeyPair();

function keyError(fn: () => unknown): SigningKeyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SigningKeyError) return err;
    throw err;
  }
  throw new Error('expected a SigningKeyError');
}

describe('generateSigningKeyPair', () => {
  it('writes PKCS#8 and SPKI PEM for a P-256 key', () => {
    expect(alice.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(alice.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(alice.encrypted).toBe(false);
    const key = loadPrivateKey(alice.privateKeyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(publicKeyPemOf(key)).toBe(alice.publicKeyPem);
  });

  it('encrypts the private key with a passphrase, and needs it back', () => {
    const enc = generateSigningKeyPair('correct horse');
    expect(enc.encrypted).toBe(true);
    expect(enc.privateKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(keyError(() => loadPrivateKey(enc.privateKeyPem)).code).toBe('passphrase-required');
    expect(keyError(() => loadPrivateKey(enc.privateKeyPem, 'wrong')).code).toBe('bad-passphrase');
    const key = loadPrivateKey(enc.privateKeyPem, 'correct horse');
    expect(verifyPayload(payload, signPayload(payload, key), loadPublicKey(enc.publicKeyPem))).toBe(true);
  });
});

describe('sign and verify', () => {
  const sig = signPayload(payload, loadPrivateKey(alice.privateKeyPem));

  it('produces a base64 ASN.1 DER ECDSA signature', () => {
    const der = Buffer.from(sig, 'base64');
    expect(der[0]).toBe(0x30); // DER SEQUENCE
    expect(der.length).toBeGreaterThanOrEqual(68);
    expect(der.length).toBeLessThanOrEqual(72);
  });

  it.each([
    ['the signing key', () => alice.publicKeyPem, () => payload, () => sig, true],
    ['another key', () => bob.publicKeyPem, () => payload, () => sig, false],
    ['a tampered payload', () => alice.publicKeyPem, () => Buffer.from(payload.toString().replace('acme', 'evil')), () => sig, false],
    ['one extra byte of payload', () => alice.publicKeyPem, () => Buffer.concat([payload, Buffer.from('\n')]), () => sig, false],
    ['a flipped signature byte', () => alice.publicKeyPem, () => payload, () => flip(sig), false],
    ['an empty signature', () => alice.publicKeyPem, () => payload, () => '', false],
    ['garbage for a signature', () => alice.publicKeyPem, () => payload, () => Buffer.from('not der').toString('base64'), false],
  ])('with %s', (_name, pub, body, signature, expected) => {
    expect(verifyPayload(body(), signature(), loadPublicKey(pub()))).toBe(expected);
  });

  it('verifies RSA (SHA-256) and Ed25519 keys too', () => {
    for (const type of ['rsa', 'ed25519'] as const) {
      const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
      const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const s = signPayload(payload, pair.privateKey);
      expect(verifyPayload(payload, s, loadPublicKey(pem)), type).toBe(true);
      expect(verifyPayload(payload, s, loadPublicKey(alice.publicKeyPem)), type).toBe(false);
    }
  });
});

function flip(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 0x01;
  return b.toString('base64');
}

describe('loading keys', () => {
  it('refuses a private key where a public key is expected', () => {
    expect(keyError(() => loadPublicKey(alice.privateKeyPem)).code).toBe('invalid-key');
  });

  it('refuses text that is not PEM', () => {
    expect(keyError(() => loadPublicKey('hello')).code).toBe('invalid-key');
    expect(keyError(() => loadPrivateKey('hello')).code).toBe('invalid-key');
  });

  it("explains that cosign's own encrypted key format is not read", () => {
    const cosignKey = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    const err = keyError(() => loadPrivateKey(cosignKey, 'pw'));
    expect(err.code).toBe('unsupported-key');
    expect(err.message).toContain('bulkhead image keygen');
  });

  it('refuses key types cosign does not sign with', () => {
    const { publicKey } = generateKeyPairSync('x25519');
    expect(keyError(() => loadPublicKey(publicKey.export({ type: 'spki', format: 'pem' }).toString())).code).toBe('unsupported-key');
  });
});
