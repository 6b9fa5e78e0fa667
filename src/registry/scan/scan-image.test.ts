import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../fs-blob-store.js';
import { AdvisoryStore } from './osv.js';
import { makeTar } from './packages/tar-writer.test-util.js';
import { ScanError, scanImage } from './scan-image.js';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/osv');

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('scanImage over the filesystem blob store', () => {
  let dir: string;
  let blobs: FsBlobStore;
  const advisories = new AdvisoryStore();

  async function put(b: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha(b);
    await blobs.putBytes(digest, b);
    return { digest, size: b.length };
  }

  async function image(layers: readonly { bytes: Buffer; mediaType: string }[]): Promise<string> {
    const config = await put(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })));
    const descs = [];
    for (const l of layers) descs.push({ mediaType: l.mediaType, ...(await put(l.bytes)) });
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: descs }));
    return (await put(manifest)).digest;
  }

  const GZ = 'application/vnd.oci.image.layer.v1.tar+gzip';
  const debianBase = makeTar(
    [
      { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
      {
        path: 'var/lib/dpkg/status',
        content:
          'Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u3\n\nPackage: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n\nPackage: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n',
      },
    ],
    { gzip: true },
  );
  const appLayer = makeTar([
    { path: 'srv/app/package-lock.json', content: JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/lodash': { version: '4.17.20' }, 'node_modules/minimist': { version: '1.2.6' } } }) },
    { path: 'usr/lib/python3/dist-packages/requests-2.30.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.30.0\n' },
  ]);
  const upgradeLayer = makeTar([
    { path: 'var/lib/dpkg/status', content: 'Package: libssl3\nStatus: install ok installed\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n\nPackage: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.3.dfsg-3\n\nPackage: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u7\n' },
    { path: 'usr/lib/python3/dist-packages/.wh.requests-2.30.0.dist-info' },
  ]);
  const alpineBase = makeTar(
    [
      { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.18.4\n' },
      { path: 'lib/apk/db/installed', content: 'P:libcrypto3\nV:3.1.4-r0\no:openssl\n\nP:musl\nV:1.2.4-r1\n' },
    ],
    { gzip: true },
  );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scan-'));
    blobs = new FsBlobStore(dir);
    await advisories.importPath(FIXTURES);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports an image by severity with fixed versions', async () => {
    const digest = await image([
      { bytes: debianBase, mediaType: GZ },
      { bytes: appLayer, mediaType: 'application/vnd.oci.image.layer.v1.tar' },
    ]);
    const result = await scanImage(blobs, digest, advisories);
    expect(result.scannable).toBe(true);
    expect(result.manifests).toHaveLength(1);
    const report = result.manifests[0]!.report;
    expect(report.os).toEqual({ id: 'debian', versionId: '12' });
    expect(report.scannedPackages).toBe(6);
    expect(report.packages.flatMap((p) => p.vulnerabilities.map((v) => `${p.name}@${v.installedVersion} ${v.id} ${v.severity} fix=${v.fixedVersions.join(',')}`)).sort()).toEqual(
      [
        'libc6@2.36-9+deb12u3 DEBIAN-CVE-2024-2961 High fix=2.36-9+deb12u7',
        'libssl3@3.0.11-1~deb12u1 DEBIAN-CVE-2023-5363 High fix=3.0.11-1~deb12u2',
        'zlib1g@1:1.2.13.dfsg-1 DEBIAN-CVE-2023-45853 Critical fix=',
        'lodash@4.17.20 GHSA-35jh-r3h4-6jhm High fix=4.17.21',
        'requests@2.30.0 GHSA-j8r2-6x86-q33q Medium fix=2.31.0',
      ].sort(),
    );
    expect(result.summary).toEqual({ Critical: 1, High: 3, Medium: 1, Low: 0, Unknown: 0 });
    expect(result.highest).toBe('Critical');
  });

  it('later layers upgrade packages and whiteouts remove them', async () => {
    const digest = await image([
      { bytes: debianBase, mediaType: GZ },
      { bytes: appLayer, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
      { bytes: upgradeLayer, mediaType: 'application/vnd.oci.image.layer.v1.tar' },
    ]);
    const result = await scanImage(blobs, digest, advisories);
    expect(result.manifests[0]!.report.packages.map((p) => p.name)).toEqual(['lodash']);
    expect(result.summary).toEqual({ Critical: 0, High: 1, Medium: 0, Low: 0, Unknown: 0 });
  });

  it('applies layers in order whatever the number decompressed at once', async () => {
    const digest = await image([
      { bytes: debianBase, mediaType: GZ },
      { bytes: appLayer, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
      { bytes: upgradeLayer, mediaType: 'application/vnd.oci.image.layer.v1.tar' },
      { bytes: makeTar([{ path: 'srv/app/.wh.package-lock.json' }], { gzip: true }), mediaType: GZ },
    ]);
    const names = async (parallelLayers: number) => (await scanImage(blobs, digest, advisories, { parallelLayers })).manifests[0]!.report.packages.map((p) => p.name);
    for (const p of [1, 2, 3, 8]) expect(await names(p), `parallelLayers ${p}`).toEqual([]);
    const withoutLast = await image([
      { bytes: debianBase, mediaType: GZ },
      { bytes: appLayer, mediaType: GZ },
      { bytes: upgradeLayer, mediaType: GZ },
    ]);
    for (const p of [1, 2, 3]) expect((await scanImage(blobs, withoutLast, advisories, { parallelLayers: p })).manifests[0]!.report.packages.map((x) => x.name), `parallelLayers ${p}`).toEqual(['lodash']);
  });

  it('aggregates an index over its platforms, skipping attestations', async () => {
    const deb = await image([{ bytes: debianBase, mediaType: GZ }]);
    const alp = await image([{ bytes: alpineBase, mediaType: GZ }]);
    const att = await image([{ bytes: Buffer.from('{}'), mediaType: 'application/vnd.in-toto+json' }]);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: deb, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: alp, size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: att, size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
        ],
      }),
    );
    const { digest } = await put(index);
    const result = await scanImage(blobs, digest, advisories);
    expect(result.manifests.map((m) => [m.platform, m.report.highest])).toEqual([
      ['linux/amd64', 'Critical'],
      ['linux/arm64/v8', 'Medium'],
    ]);
    expect(result.summary).toEqual({ Critical: 1, High: 2, Medium: 1, Low: 0, Unknown: 0 });
  });

  it('non-image artifacts are not scannable; missing or corrupt layers fail the scan', async () => {
    const sig = await image([{ bytes: Buffer.from('{"critical":{}}'), mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json' }]);
    const r = await scanImage(blobs, sig, advisories);
    expect(r.scannable).toBe(false);
    expect(r.highest).toBeUndefined();

    const missingLayer = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'x', digest: sha(Buffer.from('c')), size: 1 }, layers: [{ mediaType: GZ, digest: sha(Buffer.from('nope')), size: 4 }] }));
    const { digest: m1 } = await put(missingLayer);
    await expect(scanImage(blobs, m1, advisories)).rejects.toThrow(ScanError);

    const corrupt = await image([{ bytes: Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('garbage')]), mediaType: GZ }]);
    await expect(scanImage(blobs, corrupt, advisories)).rejects.toThrow(/layer sha256:/);
    await expect(scanImage(blobs, sha(Buffer.from('absent')), advisories)).rejects.toThrow(/not in the blob store/);
    await expect(scanImage(blobs, sig, advisories, { maxLayerBytes: 2 })).resolves.toMatchObject({ scannable: false });
    const big = await image([{ bytes: debianBase, mediaType: GZ }]);
    await expect(scanImage(blobs, big, advisories, { maxLayerBytes: 10 })).rejects.toThrow(/over the scan limit/);
  });
});
