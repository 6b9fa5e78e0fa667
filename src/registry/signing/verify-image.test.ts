import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TrustedKey } from '../../api/index.js';
import type { ManifestRecord } from '../metadata-kinds.js';
import type { RepoName } from '../names.js';
import { generateSigningKeyPair, loadPrivateKey, signPayload } from './signature-crypto.js';
import { OCI_CONFIG_MEDIA_TYPE, signatureConfig, signatureLayer, signatureManifest, type OciDescriptor } from './signature-manifest.js';
import { SIMPLE_SIGNING_MEDIA_TYPE, buildPayload, signatureTag } from './simple-signing.js';
import { verifyImageSignatures, type SignatureSources } from './verify-image.js';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const REPO: RepoName = { full: 'acme/app', project: 'acme', path: 'app' };
const IMAGE = `sha256:${'1'.repeat(64)}`;
const OTHER = `sha256:${'2'.repeat(64)}`;
const release = generateSigningKeyPair();
const ci = generateSigningKeyPair();
const stranger = generateSigningKeyPair();
const TRUSTED: TrustedKey[] = [
  { name: 'release', publicKey: release.publicKeyPem },
  { name: 'ci', publicKey: ci.publicKeyPem },
];

/** An in-memory repository: blobs by digest, tags, manifests with their subject. */
class FakeRepo implements SignatureSources {
  readonly bytes = new Map<string, Buffer>();
  readonly tagMap = new Map<string, string>();
  readonly subjects = new Map<string, string | undefined>();

  readonly blobs = {
    readBytes: async (digest: string): Promise<Buffer> => {
      const b = this.bytes.get(digest);
      if (!b) throw new Error(`blob ${digest} not found`);
      return b;
    },
  };

  readonly meta = {
    resolveTag: async (_repo: RepoName, tag: string): Promise<string | undefined> => this.tagMap.get(tag),
    manifests: async (repo: RepoName): Promise<ManifestRecord[]> =>
      [...this.subjects].map(([digest, subject]) => ({
        apiVersion: 'registry.bulkhead.dev/v1',
        kind: 'RegistryManifest',
        metadata: { name: digest, namespace: repo.full },
        spec: { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 1, blobs: [], manifests: [], ...(subject ? { subject } : {}) },
      })) as ManifestRecord[],
  };

  put(b: Buffer): string {
    const d = sha(b);
    this.bytes.set(d, b);
    return d;
  }

  /** A signature layer by `pem` over the payload for `names` (default: the image). */
  layer(pem: string, names = IMAGE, payload = buildPayload('reg/acme/app', names)): OciDescriptor {
    return signatureLayer(this.put(payload), payload.length, signPayload(payload, loadPrivateKey(pem)));
  }

  /** Stores a signature manifest with `layers`; tagged as the image's .sig unless `tag` is false. */
  sign(layers: OciDescriptor[], opts: { tag?: boolean; subject?: string } = {}): string {
    const config = signatureConfig(layers);
    const manifest = signatureManifest({ mediaType: OCI_CONFIG_MEDIA_TYPE, digest: this.put(config), size: config.length }, layers, opts.subject ? { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: opts.subject, size: 1 } : undefined);
    const d = this.put(manifest);
    this.subjects.set(d, opts.subject);
    if (opts.tag !== false) this.tagMap.set(signatureTag(IMAGE), d);
    return d;
  }
}

describe('verifyImageSignatures', () => {
  it('verifies a signature by a trusted key and names the key', async () => {
    const r = new FakeRepo();
    r.sign([r.layer(ci.privateKeyPem)]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v).toMatchObject({ verified: true, digest: IMAGE, keyName: 'ci', reason: 'signed by trusted key "ci"' });
    expect(v.signatures).toEqual([expect.objectContaining({ valid: true, keyName: 'ci' })]);
  });

  it('does not count a signature by an untrusted key', async () => {
    const r = new FakeRepo();
    r.sign([r.layer(stranger.privateKeyPem)]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(false);
    expect(v.keyName).toBeUndefined();
    expect(v.signatures).toEqual([expect.objectContaining({ valid: false, reason: 'does not verify against any trusted key (release, ci)' })]);
    expect(v.reason).toBe('none of 1 signature(s) verifies: does not verify against any trusted key (release, ci)');
  });

  it('does not count a tampered payload (the signature covers the stored bytes)', async () => {
    const r = new FakeRepo();
    const good = r.layer(release.privateKeyPem);
    const tampered = Buffer.from(buildPayload('reg/acme/evil', IMAGE));
    const layer = { ...good, digest: r.put(tampered), size: tampered.length };
    r.sign([layer]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(false);
    expect(v.signatures[0]?.reason).toMatch(/does not verify/);
  });

  it('does not count a valid signature of another image copied here', async () => {
    const r = new FakeRepo();
    r.sign([r.layer(release.privateKeyPem, OTHER)]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(false);
    expect(v.signatures).toEqual([expect.objectContaining({ valid: false, keyName: 'release', reason: `signed payload names ${OTHER}, not this image` })]);
  });

  it('is verified when one of several signatures is good', async () => {
    const r = new FakeRepo();
    r.sign([r.layer(stranger.privateKeyPem), r.layer(release.privateKeyPem, OTHER), r.layer(release.privateKeyPem)]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(true);
    expect(v.signatures.map((s) => s.valid)).toEqual([false, false, true]);
  });

  it('finds signatures pushed as referrers (subject) without the .sig tag, once each', async () => {
    const r = new FakeRepo();
    const layer = r.layer(release.privateKeyPem);
    r.sign([layer], { tag: false, subject: IMAGE });
    r.sign([r.layer(ci.privateKeyPem)], { tag: false, subject: OTHER });
    const tagged = r.sign([layer], { subject: IMAGE }); // the same layer again, under the tag
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(true);
    expect(v.signatures).toHaveLength(1);
    expect(v.signatures[0]?.manifest).toBe(tagged);
  });

  it.each([
    ['no signatures', () => new FakeRepo(), TRUSTED, `no signatures found for ${IMAGE}`],
    ['no trusted keys', (r = new FakeRepo()) => (r.sign([r.layer(release.privateKeyPem)]), r), [], 'no trusted keys to verify against'],
    ['only broken keys', (r = new FakeRepo()) => (r.sign([r.layer(release.privateKeyPem)]), r), [{ name: 'junk', publicKey: 'not a key' }], /^no usable trusted key \(junk: not a PEM public key/],
  ])('explains %s', async (_name, make, keys, reason) => {
    const v = await verifyImageSignatures(make(), REPO, IMAGE, keys);
    expect(v.verified).toBe(false);
    if (typeof reason === 'string') expect(v.reason).toBe(reason);
    else expect(v.reason).toMatch(reason);
  });

  it('skips an unparseable trusted key and still uses the others', async () => {
    const r = new FakeRepo();
    r.sign([r.layer(release.privateKeyPem)]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, [{ name: 'junk', publicKey: 'x' }, TRUSTED[0]!]);
    expect(v).toMatchObject({ verified: true, keyName: 'release' });
  });

  it('reports layers without a signature annotation, oversized or missing payloads', async () => {
    const r = new FakeRepo();
    const good = r.layer(release.privateKeyPem);
    r.sign([
      { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, digest: good.digest, size: good.size },
      { ...good, digest: `sha256:${'9'.repeat(64)}` },
      { ...good, size: 1 << 20 },
    ]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.verified).toBe(false);
    expect(v.signatures.map((s) => s.reason)).toEqual([
      'no dev.cosignproject.cosign/signature annotation',
      expect.stringMatching(/^payload blob cannot be read/),
      expect.stringMatching(/exceeds 65536/),
    ]);
  });

  it('refuses a payload of another type', async () => {
    const r = new FakeRepo();
    const payload = Buffer.from(buildPayload('reg/acme/app', IMAGE).toString().replace('cosign container image signature', 'atomic container signature'));
    r.sign([signatureLayer(r.put(payload), payload.length, signPayload(payload, loadPrivateKey(release.privateKeyPem)))]);
    const v = await verifyImageSignatures(r, REPO, IMAGE, TRUSTED);
    expect(v.signatures[0]).toMatchObject({ valid: false, reason: 'payload type "atomic container signature" is not "cosign container image signature"' });
  });
});
