// Image signatures in the cosign format against the real platform and the real CLI: keygen, sign
// (client side, pushed through /v2 as `sha256-<hex>.sig` with a subject), verify against the
// project's trusted keys or a given key, the cases that must not verify (untrusted key, tampered
// payload, signature copied from another image), appending a second signature, the audit trail;
// then skopeo (containers/image) reading the signatures we push and pushing its own copies that we
// verify; skipped with a note when skopeo is not installed. (Debian's skopeo 1.9.3 is built with
// sigstore verification disabled, so a `sigstoreSigned` policy cannot be exercised with it.)
import { verify as cryptoVerify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/store/index.js';
import { signatureLayersOf } from '../../src/registry/signing/signature-manifest.js';
import { buildPayload, signatureTag } from '../../src/registry/signing/simple-signing.js';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { V1, startTestPlatform, type Running } from './harness.js';
import { OCI_INDEX, OCI_MANIFEST, Oci, createProject, createUser, digestOf } from './registry-client.js';
import { hasSkopeo, runSkopeo } from './skopeo.js';

const VERIFY = '/registry/v1/verify';
const PASSWORD = 'release-passphrase-1';

interface Verdict {
  readonly verified: boolean;
  readonly digest: string;
  readonly keyName?: string;
  readonly reason: string;
  readonly signatures: readonly { readonly valid: boolean; readonly keyName?: string; readonly reason: string }[];
}

let run: Running;
let work: string;
let env: Record<string, string>;
let admin: Oci;
let host: string;
const images = new Map<string, string>();

const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra } });
const key = (name: string) => join(work, name);

async function sigManifest(repo: string, digest: string): Promise<{ bytes: Buffer; doc: { layers: { digest: string; annotations: Record<string, string> }[]; subject?: { digest: string; mediaType: string; size: number } } }> {
  const res = await admin.fetch('GET', `/v2/${repo}/manifests/${signatureTag(digest)}`, undefined, { accept: OCI_MANIFEST });
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, doc: JSON.parse(bytes.toString()) as never };
}

async function setTrustedKeys(keys: { name: string; publicKey: string }[]): Promise<void> {
  const p = await run.admin.get<{ spec: Record<string, unknown>; metadata: Record<string, unknown> }>(`${V1}/projects/signed`);
  const res = await run.admin.put(`${V1}/projects/signed`, { ...p.body, spec: { ...p.body.spec, trustedKeys: keys } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform({ logLevel: 'error' }); // scan on push warns about the random layers
  work = await mkdtemp(join(tmpdir(), 'bulkhead-signing-'));
  host = run.platform.url.replace(/^http:\/\//, '');
  env = { BULKHEAD_CONFIG: join(work, 'config.json'), BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '' };
  admin = Oci.bearer(run.platform.url, run.platform.adminToken);
  await createProject(run, 'signed', 'acme');
  for (const tag of ['v1', 'v2', 'v3', 'v4', 'unsigned']) images.set(tag, (await admin.pushImage('signed/app', tag, 1)).digest);
}, 120_000);
afterAll(async () => {
  await run?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('bulkhead image keygen', () => {
  it('writes an encrypted PKCS#8 private key (0600) and an SPKI public key', async () => {
    const r = await cli(['image', 'keygen', '--out', key('release')], { BULKHEAD_SIGNING_PASSWORD: PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`private key written to ${key('release')}.key (encrypted)`);
    expect(await readFile(`${key('release')}.key`, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect((await stat(`${key('release')}.key`)).mode & 0o777).toBe(0o600);
    expect(await readFile(`${key('release')}.pub`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  });

  it('writes an unencrypted key without a passphrase (with a note), and refuses to overwrite', async () => {
    const r = await cli(['image', 'keygen', '--out', key('other')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('is not encrypted');
    expect(await readFile(`${key('other')}.key`, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const again = await cli(['image', 'keygen', '--out', key('other')]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`error: ${key('other')}.key already exists; pass --force to replace it or --out to choose another name`);
  });

  it('takes the passphrase from --passphrase-file', async () => {
    await writeFile(key('pass.txt'), 'from-a-file-pw\n');
    const r = await cli(['image', 'keygen', '--out', key('filed'), '--passphrase-file', key('pass.txt')]);
    expect(r.code, r.stderr).toBe(0);
    const s = await cli(['image', 'sign', 'signed/app:unsigned', '--key', `${key('filed')}.key`], { BULKHEAD_SIGNING_PASSWORD: 'wrong' });
    expect(s.code).toBe(1);
    expect(s.stderr.trim()).toBe('error: cannot decrypt the private key: wrong passphrase?');
  });
});

describe('bulkhead image sign and verify', () => {
  it('signs by tag: the .sig manifest holds the simple-signing payload, a subject, and shows in referrers', async () => {
    await setTrustedKeys([{ name: 'release', publicKey: await readFile(`${key('release')}.pub`, 'utf8') }]);
    const digest = images.get('v1') ?? '';
    const r = await cli(['image', 'sign', 'signed/app:v1', '--key', `${key('release')}.key`], { BULKHEAD_SIGNING_PASSWORD: PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`signed ${host}/signed/app@${digest} (1 signature(s) in ${signatureTag(digest)})`);
    const { bytes, doc } = await sigManifest('signed/app', digest);
    expect(doc.layers).toHaveLength(1);
    expect(doc.subject).toMatchObject({ digest, mediaType: OCI_MANIFEST });
    const payload = Buffer.from(await (await admin.fetch('GET', `/v2/signed/app/blobs/${doc.layers[0]?.digest}`)).arrayBuffer());
    expect(payload.equals(buildPayload(`${host}/signed/app`, digest))).toBe(true);
    const refs = await admin.fetch('GET', `/v2/signed/app/referrers/${digest}`);
    const index = (await refs.json()) as { mediaType: string; manifests: { digest: string }[] };
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests.map((m) => m.digest)).toEqual([digestOf(bytes)]);
  });

  it('verifies against the project trusted key (CLI and API)', async () => {
    const digest = images.get('v1') ?? '';
    const r = await cli(['image', 'verify', 'signed/app:v1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`verified: signed/app@${digest}: signed by trusted key "release"\n`);
    const api = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/app', reference: digest });
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ verified: true, digest, keyName: 'release', signatures: [{ valid: true, keyName: 'release' }] });
  });

  it('does not verify against an untrusted key, and exits 1', async () => {
    const digest = images.get('v1') ?? '';
    const r = await cli(['image', 'verify', 'signed/app:v1', '--key', `${key('other')}.pub`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`NOT verified: signed/app@${digest}: none of 1 signature(s) verifies: does not verify against any trusted key (other.pub)\n`);
    const json = await cli(['image', 'verify', 'signed/app:v1', '--key', `${key('other')}.pub`, '-o', 'json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Verdict).verified).toBe(false);
  });

  it('does not verify an unsigned image', async () => {
    const r = await cli(['image', 'verify', 'signed/app:unsigned']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`NOT verified: signed/app@${images.get('unsigned')}: no signatures found for ${images.get('unsigned')}\n`);
  });

  it('needs the passphrase of an encrypted key, in one line', async () => {
    const r = await cli(['image', 'sign', 'signed/app:v2', '--key', `${key('release')}.key`]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: the private key is encrypted and no passphrase was given (give --passphrase-file or set BULKHEAD_SIGNING_PASSWORD)');
  });

  it('says so when the image does not exist', async () => {
    const r = await cli(['image', 'sign', 'signed/app:nope', '--key', `${key('other')}.key`]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: signed/app:nope does not exist in the registry');
  });

  it('appends a second signature and keeps the first', async () => {
    const digest = images.get('v1') ?? '';
    const before = (await sigManifest('signed/app', digest)).doc.layers;
    const r = await cli(['image', 'sign', `signed/app@${digest}`, '--key', `${key('other')}.key`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(2 signature(s) in');
    const after = (await sigManifest('signed/app', digest)).doc;
    expect(after.layers).toHaveLength(2);
    expect(after.layers[0]).toEqual(before[0]);
    expect(after.subject?.digest).toBe(digest);
    // Both keys now verify it; the project still trusts only release.
    expect((await cli(['image', 'verify', 'signed/app:v1', '--key', `${key('other')}.pub`])).code).toBe(0);
    const project = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/app', reference: 'v1' });
    expect(project.body.signatures.map((s) => s.valid)).toEqual([true, false]);
    expect(project.body.keyName).toBe('release');
  });

  it('does not verify a tampered payload', async () => {
    const digest = images.get('v2') ?? '';
    expect((await cli(['image', 'sign', 'signed/app:v2', '--key', `${key('release')}.key`], { BULKHEAD_SIGNING_PASSWORD: PASSWORD })).code).toBe(0);
    expect((await run.admin.post<Verdict>(VERIFY, { repository: 'signed/app', reference: 'v2' })).body.verified).toBe(true);
    // Replace the signature manifest (deleting the original, which referrers would still list).
    const { bytes, doc } = await sigManifest('signed/app', digest);
    expect((await admin.fetch('DELETE', `/v2/signed/app/manifests/${digestOf(bytes)}`)).status).toBe(202);
    const tampered = Buffer.from(buildPayload(`${host}/signed/evil`, digest));
    expect((await admin.pushBlob('signed/app', { bytes: tampered, digest: digestOf(tampered) })).status).toBe(201);
    const layers = doc.layers.map((l) => ({ ...l, digest: digestOf(tampered), size: tampered.length }));
    expect((await admin.pushManifest('signed/app', signatureTag(digest), Buffer.from(JSON.stringify({ ...doc, layers })))).status).toBe(201);
    const v = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/app', reference: 'v2' });
    expect(v.body.verified).toBe(false);
    expect(v.body.signatures).toEqual([expect.objectContaining({ valid: false, reason: 'does not verify against any trusted key (release)' })]);
  });

  it('does not verify a signature copied from another image', async () => {
    const v1 = images.get('v1') ?? '';
    const v3 = images.get('v3') ?? '';
    const { bytes } = await sigManifest('signed/app', v1);
    expect((await admin.pushManifest('signed/app', signatureTag(v3), bytes)).status).toBe(201);
    const r = await cli(['image', 'verify', 'signed/app:v3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`signed payload names ${v1}, not this image`);
    const api = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/app', reference: v3 });
    expect(api.body.signatures.map((s) => [s.valid, s.keyName])).toEqual([
      [false, 'release'],
      [false, undefined],
    ]);
  });
});

describe('POST /registry/v1/verify', () => {
  it('refuses a caller who may not pull, and bad input', async () => {
    await createUser(run, 'zed', 'zed-password-12');
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: 'zed', password: 'zed-password-12' });
    expect((await run.anon.as(login.body.token).post(VERIFY, { repository: 'signed/app', reference: 'v1' })).status).toBe(403);
    expect((await run.anon.post(VERIFY, { repository: 'signed/app', reference: 'v1' })).status).toBe(401);
    expect((await run.admin.post(VERIFY, { repository: 'signed/app' })).status).toBe(400);
    expect((await run.admin.post(VERIFY, { repository: 'signed/app', reference: 'v1', publicKey: 'not a key' })).status).toBe(400);
    expect((await run.admin.post(VERIFY, { repository: 'signed/app', reference: 'missing' })).status).toBe(404);
    expect((await run.admin.post(VERIFY, { repository: 'nope/app', reference: 'v1' })).status).toBe(404);
  });

  it('audits each verification as verb verify with the verdict', async () => {
    const items: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await run.admin.get<{ items: AuditEntry[] }>(`/audit/log?after=${after}&limit=1000`);
      items.push(...page.body.items);
      if (page.body.items.length < 1000) break;
      after = page.body.items.at(-1)?.seq ?? after;
    }
    const verifies = items.filter((e) => e.verb === 'verify');
    expect(verifies).toContainEqual(expect.objectContaining({ name: `signed/app@${images.get('v1')}`, decision: 'allow', code: 200, reason: 'verified: signed by trusted key "release"', tenant: 'acme' }));
    expect(verifies).toContainEqual(expect.objectContaining({ name: `signed/app@${images.get('unsigned')}`, code: 200, reason: `not verified: no signatures found for ${images.get('unsigned')}` }));
    expect(verifies).toContainEqual(expect.objectContaining({ user: 'zed', decision: 'deny', code: 403 }));
  });
});

const SKOPEO = hasSkopeo();
if (!SKOPEO) console.warn('registry-signing.test.ts: skopeo is not installed; skipping the sigstore interop check (apt-get install -y skopeo)');

/** skopeo with its state in the test folder (no --insecure-policy: each call names its policy). */
const skopeo = (args: string[]) => runSkopeo(work, args);

describe.skipIf(!SKOPEO)('skopeo and our signatures (sigstore attachments)', () => {
  let registriesD: string;
  let acceptAnything: string;

  /** `skopeo copy` with sigstore attachments on (registries.d) and a policy that accepts any image. */
  const copy = (src: string, dest: string) =>
    skopeo(['--policy', acceptAnything, '--registries.d', registriesD, 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--src-registry-token', run.platform.adminToken ?? '', '--dest-registry-token', run.platform.adminToken ?? '', src, dest]);

  beforeAll(async () => {
    await mkdir(join(work, 'tmp'), { recursive: true });
    registriesD = join(work, 'registries.d');
    await mkdir(registriesD, { recursive: true });
    await writeFile(join(registriesD, 'default.yaml'), 'default-docker:\n  use-sigstore-attachments: true\n');
    acceptAnything = join(work, 'accept.policy.json');
    await writeFile(acceptAnything, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const s = await cli(['image', 'sign', 'signed/app:v4', '--key', `${key('release')}.key`], { BULKHEAD_SIGNING_PASSWORD: PASSWORD });
    expect(s.code, s.stderr).toBe(0);
  });

  it('reads the signatures we pushed: the exact payload, and signatures that verify with our public keys', async () => {
    const digest = images.get('v1') ?? '';
    const out = join(work, 'skopeo-v1');
    const r = await copy(`docker://${host}/signed/app@${digest}`, `dir:${out}`);
    expect(r.code, r.stderr).toBe(0);
    // c/image stores each sigstore signature as "\0sigstore-json\n" + {mimeType, payload (base64), annotations}.
    const signers: string[] = [];
    for (const n of [1, 2]) {
      const raw = await readFile(join(out, `signature-${n}`));
      const prefix = Buffer.from('\0sigstore-json\n');
      expect(raw.subarray(0, prefix.length).equals(prefix)).toBe(true);
      const sig = JSON.parse(raw.subarray(prefix.length).toString()) as { mimeType: string; payload: string; annotations: Record<string, string> };
      expect(sig.mimeType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
      const payload = Buffer.from(sig.payload, 'base64');
      expect(payload.equals(buildPayload(`${host}/signed/app`, digest))).toBe(true);
      const der = Buffer.from(sig.annotations['dev.cosignproject.cosign/signature'] ?? '', 'base64');
      for (const k of ['release', 'other']) if (cryptoVerify('sha256', payload, await readFile(`${key(k)}.pub`, 'utf8'), der)) signers.push(k);
    }
    expect(signers.sort()).toEqual(['other', 'release']);
    await expect(stat(join(out, 'signature-3'))).rejects.toThrow();
  });

  it('writes signatures we verify: a copy to another repository carries them, re-pushed by skopeo', async () => {
    const digest = images.get('v4') ?? '';
    const r = await copy(`docker://${host}/signed/app:v4`, `docker://${host}/signed/mirror:v4`);
    expect(r.code, r.stderr).toBe(0);
    const { bytes } = await sigManifest('signed/mirror', digest);
    const written = JSON.parse(bytes.toString()) as { subject?: unknown };
    expect(written.subject).toBeUndefined(); // skopeo's own manifest: found through the tag, not referrers
    expect(signatureLayersOf(bytes)).toHaveLength(1);
    const v = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/mirror', reference: 'v4' });
    expect(v.body).toMatchObject({ verified: true, digest, keyName: 'release' });
    const untrusted = await run.admin.post<Verdict>(VERIFY, { repository: 'signed/mirror', reference: 'v4', publicKey: await readFile(`${key('other')}.pub`, 'utf8') });
    expect(untrusted.body.verified).toBe(false);
  });
});
