/**
 * The RegistryEndpoint contract, run against every implementation (this platform's registry
 * directly, docker-registry and Bulkhead over OCI distribution): what the copier relies on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCI_INDEX, OCI_MANIFEST } from '../media-types.js';
import type { RegistryEndpoint } from './endpoint.js';

export interface EndpointUnderTest {
  readonly endpoint: RegistryEndpoint;
  /** Repository names the endpoint can write, all in one namespace (project). */
  readonly namespace: string;
  /** A blob larger than this goes through the chunked path (0: no chunking to test). */
  readonly chunkBytes: number;
  close(): Promise<void>;
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function* chunks(b: Buffer, size = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of it) out.push(Buffer.from(p));
  return Buffer.concat(out);
}

function image(config: Buffer, layers: readonly Buffer[], extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(l), size: l.length })),
      ...extra,
    }),
  );
}

export function runEndpointConformance(name: string, factory: () => Promise<EndpointUnderTest>): void {
  describe(`RegistryEndpoint conformance: ${name}`, () => {
    let t: EndpointUnderTest;
    let ep: RegistryEndpoint;
    const run = randomBytes(4).toString('hex');
    const repo = (s: string) => `${t.namespace}/c${run}-${s}`;
    const write = async (r: string, b: Buffer) => ep.writeBlob(r, sha(b), b.length, async () => chunks(b));
    const pushImage = async (r: string, ref: string, extra: Record<string, unknown> = {}) => {
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n: randomBytes(4).toString('hex') }));
      const layer = randomBytes(2000);
      await write(r, config);
      await write(r, layer);
      const m = image(config, [layer], extra);
      await ep.putManifest(r, ref, m, OCI_MANIFEST);
      return { manifest: m, digest: sha(m), layer };
    };

    beforeAll(async () => {
      t = await factory();
      ep = t.endpoint;
    }, 60_000);
    afterAll(async () => t?.close());

    it('stores a blob and streams the same bytes back; hasBlob tells before from after', async () => {
      const r = repo('blob');
      const b = randomBytes(50_000);
      expect(await ep.hasBlob(r, sha(b))).toBe(false);
      await write(r, b);
      expect(await ep.hasBlob(r, sha(b))).toBe(true);
      expect((await readAll(await ep.readBlob(r, sha(b)))).equals(b)).toBe(true);
    });

    it('stores a blob larger than the chunk size whole', async () => {
      if (t.chunkBytes === 0) return;
      const r = repo('big');
      const b = randomBytes(t.chunkBytes * 2 + 123);
      await write(r, b);
      expect((await readAll(await ep.readBlob(r, sha(b)))).equals(b)).toBe(true);
    });

    it('refuses a blob whose bytes do not match its digest', async () => {
      const r = repo('bad');
      const b = randomBytes(1000);
      const wrong = sha(Buffer.from('something else'));
      await expect(ep.writeBlob(r, wrong, b.length, async () => chunks(b))).rejects.toThrow();
      expect(await ep.hasBlob(r, wrong)).toBe(false);
    });

    it('stores a manifest under a tag: head, get (exact bytes), tags; absent ones are undefined', async () => {
      const r = repo('img');
      const { manifest, digest } = await pushImage(r, 'v1');
      expect(await ep.headManifest(r, 'v1')).toEqual({ digest, mediaType: OCI_MANIFEST, size: manifest.length });
      const got = await ep.getManifest(r, digest);
      expect(got?.bytes.equals(manifest)).toBe(true);
      expect(got?.digest).toBe(digest);
      expect(await ep.tags(r)).toEqual(['v1']);
      expect(await ep.headManifest(r, 'nope')).toBeUndefined();
      expect(await ep.getManifest(r, sha(Buffer.from('x')))).toBeUndefined();
      expect(await ep.tags(repo('never-pushed'))).toEqual([]);
    });

    it('stores an index after its children', async () => {
      const r = repo('multi');
      const a = await pushImage(r, 'amd64');
      const b = await pushImage(r, 'arm64');
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [a, b].map((x) => ({ mediaType: OCI_MANIFEST, digest: x.digest, size: x.manifest.length })) }));
      await ep.putManifest(r, 'multi', index, OCI_INDEX);
      expect(await ep.headManifest(r, 'multi')).toMatchObject({ digest: sha(index), mediaType: OCI_INDEX });
    });

    it('mounts a blob from another repository of the same registry', async () => {
      const from = repo('mount-src');
      const to = repo('mount-dst');
      const b = randomBytes(3000);
      await write(from, b);
      expect(await ep.mountBlob(to, sha(b), from)).toBe(true);
      expect(await ep.hasBlob(to, sha(b))).toBe(true);
      expect(await ep.mountBlob(to, sha(randomBytes(10)), from)).toBe(false);
    });

    it('lists referrers of a subject, or says it cannot', async () => {
      const r = repo('refs');
      const subject = await pushImage(r, 'app');
      const sig = await pushImage(r, 'unused-tag', { subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length }, artifactType: 'application/example' });
      const refs = await ep.referrers(r, subject.digest);
      if (refs !== undefined) expect(refs.map((x) => x.digest)).toEqual([sig.digest]);
    });

    it('deletes a manifest by digest', async () => {
      const r = repo('del');
      const { digest } = await pushImage(r, 'gone');
      expect(await ep.deleteManifest(r, digest)).toBe(true);
      expect(await ep.headManifest(r, digest)).toBeUndefined();
      expect(await ep.deleteManifest(r, digest)).toBe(false);
    });

    it('lists the repositories of its namespace, or says it cannot', async () => {
      const names = await ep.repositories(t.namespace);
      if (names !== undefined) expect(names).toEqual(expect.arrayContaining([repo('img'), repo('multi')]));
    });
  });
}
