/**
 * Deterministic data for the registry benchmark: a plan of images (config + layers, tagged) whose
 * blobs add up to the requested size in an explicit mix of small, medium and large blobs, and a
 * realistic image to scan (gzip'd tar layers holding a dpkg status file, an os-release,
 * npm and Python package metadata, and many files). Blob bytes come from an AES-CTR keystream
 * (fast and the same on every run); sizes and shapes come from a seeded PRNG.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export const KiB = 1024;
export const MiB = 1024 * KiB;

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** mulberry32: a small seeded PRNG, enough for sizes and shapes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` deterministic pseudo-random bytes (AES-128-CTR keystream under a key derived from `label`). */
export function keystream(label: string, n: number): Buffer {
  const key = createHash('sha256').update(label).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const out = Buffer.allocUnsafe(n);
  const zeros = Buffer.alloc(Math.min(n, 16 * MiB));
  for (let off = 0; off < n; off += zeros.length) {
    const len = Math.min(zeros.length, n - off);
    cipher.update(zeros.subarray(0, len)).copy(out, off);
  }
  return out;
}

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The size classes of the mix: name, byte share of the total, size range (log-uniform). */
export const SIZE_CLASSES = [
  { name: 'small', share: 0.1, min: 4 * KiB, max: 1 * MiB },
  { name: 'medium', share: 0.3, min: 1 * MiB, max: 10 * MiB },
  { name: 'large', share: 0.6, min: 10 * MiB, max: 100 * MiB },
] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number]['name'];

/** One blob to push: its bytes (a view into the shared keystream), digest and class. */
export interface PlanBlob {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly cls: SizeClass | 'config';
}

export interface PlanImage {
  readonly repo: string;
  readonly tag: string;
  readonly config: PlanBlob;
  readonly layers: readonly PlanBlob[];
  readonly manifest: Buffer;
  readonly manifestDigest: string;
}

export interface Plan {
  readonly images: readonly PlanImage[];
  /** Every blob once (configs and layers), in push order. */
  readonly blobs: readonly PlanBlob[];
  readonly totalBytes: number;
  /** Per class: count, bytes, smallest, largest. */
  readonly mix: readonly { cls: string; count: number; bytes: number; min: number; max: number }[];
}

/** The images of the throughput runs: about `totalMiB` of blobs in the SIZE_CLASSES mix. */
export function makePlan(totalMiB: number, repos: number, project: string, seed = 42): Plan {
  const rand = prng(seed);
  const total = totalMiB * MiB;
  const sizes: { size: number; cls: SizeClass }[] = [];
  for (const c of SIZE_CLASSES) {
    let budget = Math.round(total * c.share);
    const lo = Math.log(c.min);
    const hi = Math.log(c.max);
    while (budget >= c.min) {
      const want = Math.round(Math.exp(lo + rand() * (hi - lo)));
      const size = Math.min(want, budget);
      sizes.push({ size, cls: c.name });
      budget -= size;
    }
  }
  // Shuffle (Fisher-Yates) so images mix classes, then group into images of 1-8 layers.
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j]!, sizes[i]!];
  }
  const layerBytes = sizes.reduce((s, x) => s + x.size, 0);
  const pool = keystream(`bench-registry-${seed}`, layerBytes);
  let off = 0;
  const layers: PlanBlob[] = sizes.map(({ size, cls }) => {
    const bytes = pool.subarray(off, off + size);
    off += size;
    return { bytes, digest: sha256(bytes), cls };
  });
  const images: PlanImage[] = [];
  const blobs: PlanBlob[] = [];
  for (let i = 0, at = 0; at < layers.length; i++) {
    const n = 1 + Math.floor(rand() * 8);
    const ls = layers.slice(at, at + n);
    at += n;
    const configJson = {
      architecture: 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `IMAGE=${i}`], Cmd: ['/bin/sh'], WorkingDir: '/' },
      rootfs: { type: 'layers', diff_ids: ls.map((l) => `sha256:${createHash('sha256').update(l.digest).digest('hex')}`) },
      history: ls.map((_, k) => ({ created: '2024-01-01T00:00:00Z', created_by: `/bin/sh -c #(nop) step ${k} of image ${i}`.padEnd(200, ' ') })),
    };
    const cfgBytes = Buffer.from(JSON.stringify(configJson));
    const config: PlanBlob = { bytes: cfgBytes, digest: sha256(cfgBytes), cls: 'config' };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: config.digest, size: cfgBytes.length },
        layers: ls.map((l) => ({ mediaType: OCI_LAYER, digest: l.digest, size: l.bytes.length })),
      }),
    );
    images.push({ repo: `${project}/app${i % repos}`, tag: `v${i}`, config, layers: ls, manifest, manifestDigest: sha256(manifest) });
    blobs.push(config, ...ls);
  }
  const mix = [...SIZE_CLASSES.map((c) => c.name), 'config'].map((cls) => {
    const of = blobs.filter((b) => b.cls === cls).map((b) => b.bytes.length);
    return { cls, count: of.length, bytes: of.reduce((s, x) => s + x, 0), min: of.length ? Math.min(...of) : 0, max: of.length ? Math.max(...of) : 0 };
  });
  return { images, blobs, totalBytes: blobs.reduce((s, b) => s + b.bytes.length, 0), mix };
}

// ---------------------------------------------------------------------------------------------
// The image to scan.

function tarHeader(name: string, size: number, flag: string): Buffer {
  const h = Buffer.alloc(512);
  let path = name;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', 154);
    prefix = path.slice(0, cut);
    path = path.slice(cut + 1);
  }
  h.write(path, 0, 100, 'utf8');
  h.write(flag === '5' ? '0000755\0' : '0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(flag, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** A ustar archive of `entries` (dirs have no content); two zero blocks at the end. */
function tar(entries: readonly { path: string; content?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.content ?? Buffer.alloc(0);
    parts.push(tarHeader(e.path, body.length, e.content ? '0' : '5'), body);
    const rem = body.length % 512;
    if (rem) parts.push(Buffer.alloc(512 - rem));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const WORDS = 'the of and to in is that for it as with was on be by at this from or an are which have not but had they you were their one all we can her has there been if more when will would who so no'.split(' ');

/** Text that gzip compresses about 3-4x, like scripts, docs and locale data. */
function text(rand: () => number, n: number): Buffer {
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const line = Array.from({ length: 4 + Math.floor(rand() * 12) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ') + '\n';
    parts.push(line);
    len += line.length;
  }
  return Buffer.from(parts.join('').slice(0, n));
}

function dpkgStatus(rand: () => number, packages: number): Buffer {
  const out: string[] = [];
  const known = [
    ['libssl3', 'openssl', '3.0.11-1~deb12u1'],
    ['zlib1g', 'zlib', '1:1.2.13.dfsg-1'],
    ['libc6', 'glibc', '2.36-9+deb12u3'],
  ];
  for (let i = 0; i < packages; i++) {
    const [name, source, version] = known[i] ?? [`lib-bench-${i}`, `bench-src-${i % 97}`, `${1 + (i % 5)}.${i % 13}.${i % 7}-${1 + Math.floor(rand() * 4)}`];
    out.push(
      [
        `Package: ${name}`,
        'Status: install ok installed',
        'Priority: optional',
        'Section: libs',
        `Installed-Size: ${100 + Math.floor(rand() * 5000)}`,
        'Maintainer: Debian Maintainers <debian@example.org>',
        'Architecture: amd64',
        `Source: ${source}`,
        `Version: ${version}`,
        'Depends: libc6 (>= 2.34)',
        `Description: benchmark package ${i}`,
        ` ${text(rand, 120).toString().replace(/\n/g, ' ')}`,
        '',
      ].join('\n'),
    );
  }
  return Buffer.from(out.join('\n'));
}

export interface ScanImage {
  readonly layers: readonly { bytes: Buffer; digest: string; uncompressed: number; files: number }[];
  readonly config: Buffer;
  readonly manifest: Buffer;
  readonly manifestDigest: string;
}

/**
 * An image of about `totalMiB` compressed: 4 gzip'd layers; the base holds the dpkg status
 * (`packages` entries) and os-release, an app layer a package-lock.json and a Python dist-info;
 * every layer many files (100 B - 256 KiB, one in 200 of 1-8 MiB), about half incompressible (binaries), half text.
 */
export async function makeScanImage(totalMiB: number, seed = 7): Promise<ScanImage> {
  const rand = prng(seed);
  // Measured: this content compresses to about 0.66 of its size at gzip level 6.
  const uncompressedTarget = Math.round((totalMiB * MiB) / 0.66);
  const shares = [0.4, 0.3, 0.2, 0.1];
  const layers: ScanImage['layers'][number][] = [];
  const random = keystream(`bench-scan-${seed}`, Math.ceil(uncompressedTarget / 2) + 8 * MiB);
  let rOff = 0;
  for (let li = 0; li < shares.length; li++) {
    const entries: { path: string; content?: Buffer }[] = [];
    let size = 0;
    const target = Math.round(uncompressedTarget * shares[li]!);
    if (li === 0) {
      entries.push({ path: 'etc' }, { path: 'etc/os-release', content: Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n') });
      entries.push({ path: 'var' }, { path: 'var/lib' }, { path: 'var/lib/dpkg' }, { path: 'var/lib/dpkg/status', content: dpkgStatus(rand, 400) });
    }
    if (li === 2) {
      const lock = { name: 'app', lockfileVersion: 3, packages: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`node_modules/bench-${i}`, { version: `1.${i % 10}.${i % 7}` }]).concat([['node_modules/lodash', { version: '4.17.20' }]])) };
      entries.push({ path: 'app' }, { path: 'app/package-lock.json', content: Buffer.from(JSON.stringify(lock, null, 2)) });
      entries.push({ path: 'usr/lib/python3/dist-packages/requests-2.30.0.dist-info/METADATA', content: Buffer.from('Metadata-Version: 2.1\nName: requests\nVersion: 2.30.0\n') });
    }
    let dirN = 0;
    for (let fi = 0; size < target; fi++) {
      if (fi % 40 === 0) {
        dirN++;
        entries.push({ path: `usr/share/bench${li}/d${dirN}` });
      }
      // Mostly small files (100 B - 256 KiB), one in 200 a large one (1-8 MiB): like a distro's /usr.
      const [lo, hi] = rand() < 0.005 ? [MiB, 8 * MiB] : [100, 256 * KiB];
      const n = Math.min(target - size, Math.round(Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo)))));
      let content: Buffer;
      if (rand() < 0.5 && rOff + n <= random.length) {
        content = random.subarray(rOff, rOff + n);
        rOff += n;
      } else content = text(rand, n);
      entries.push({ path: `usr/share/bench${li}/d${dirN}/file-${fi}.bin`, content });
      size += n;
    }
    const raw = tar(entries);
    const gz = await gzipAsync(raw, { level: 6 });
    layers.push({ bytes: gz, digest: sha256(gz), uncompressed: raw.length, files: entries.filter((e) => e.content).length });
  }
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.bytes)) }, config: {} }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER, digest: l.digest, size: l.bytes.length })),
    }),
  );
  return { layers, config, manifest, manifestDigest: sha256(manifest) };
}
