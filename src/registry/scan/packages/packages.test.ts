import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { extractPackages, LayeredFiles, packagesOf } from './extract.js';
import { normalisePyPIName, parseApkInstalled, parseDpkgStatus, parsePackageLock } from './parsers.js';
import { TarError, TarParser, decompressLayer, readTar, type TarEntry } from './tar.js';
import { makeTar } from './tar-writer.test-util.js';

const DPKG = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u3
Description: GNU C Library: Shared libraries
 Contains the standard libraries.

Package: removed-pkg
Status: deinstall ok config-files
Version: 1.0-1

Package: libssl3
Status: install ok installed
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.11-1~deb12u2

Package: bash
Status: install ok installed
Version: 5.2.15-2+b2
Source: bash (5.2.15-2)
`;

const APK = `C:Q1abc=
P:musl
V:1.2.4-r1
A:x86_64
o:musl

P:libcrypto3
V:3.1.3-r0
o:openssl
`;

const LOCK = JSON.stringify({
  name: 'app',
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', version: '1.0.0' },
    'node_modules/lodash': { version: '4.17.20' },
    'node_modules/@scope/pkg': { version: '2.0.0' },
    'node_modules/a/node_modules/minimist': { version: '1.2.5' },
    'node_modules/linked': { resolved: '../linked', link: true },
  },
});

const METADATA = `Metadata-Version: 2.1
Name: Requests
Version: 2.31.0
Summary: Python HTTP for Humans.

Name: not-a-header-body
`;

describe('tar reader', () => {
  it('reads plain and gzip archives, pax long paths, dirs and links', () => {
    const long = `usr/lib/python3/site-packages/${'x'.repeat(120)}/pkg-1.0.dist-info/METADATA`;
    const entries = [
      { path: './etc/', type: 'dir' as const },
      { path: './etc/hostname', content: 'box\n' },
      { path: long, content: 'Name: x\n' },
      { path: 'etc/alias', type: 'symlink' as const, linkname: 'hostname' },
    ];
    for (const gzip of [false, true]) {
      const got = [...readTar(decompressLayer(makeTar(entries, { gzip })))];
      expect(got.map((e) => [e.path, e.type])).toEqual([
        ['etc', 'dir'],
        ['etc/hostname', 'file'],
        [long, 'file'],
        ['etc/alias', 'symlink'],
      ]);
      expect(got[1]!.data.toString()).toBe('box\n');
      expect(got[3]!.linkname).toBe('hostname');
    }
  });

  it('rejects corrupt headers and truncated entries', () => {
    const tar = makeTar([{ path: 'a', content: 'x'.repeat(1000) }]);
    const bad = Buffer.from(tar);
    bad[10] = 0x41;
    expect(() => [...readTar(bad)]).toThrow(TarError);
    expect(() => [...readTar(tar.subarray(0, 900))]).toThrow(/truncated/);
  });
});

/** Feeds `tar` to a TarParser cut at `cuts` (offsets), keeping data for every entry or none. */
function parseInChunks(tar: Buffer, cuts: readonly number[], keep = true): TarEntry[] {
  const out: TarEntry[] = [];
  const parser = new TarParser(() => keep, (e) => out.push(e));
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b).concat(tar.length)) {
    parser.write(tar.subarray(prev, c));
    prev = c;
  }
  parser.end();
  return out;
}

describe('streaming tar parser', () => {
  const long = `usr/lib/python3/site-packages/${'y'.repeat(150)}/pkg-1.0.dist-info/METADATA`;
  const tar = makeTar([
    { path: './etc/', type: 'dir' },
    { path: 'etc/hostname', content: 'box\n' },
    { path: long, content: 'Name: y\n' },
    { path: 'big.bin', content: Buffer.alloc(5000, 7) },
    { path: 'empty' },
    { path: 'etc/alias', type: 'symlink', linkname: 'hostname' },
    { path: 'etc/hard', type: 'hardlink', linkname: 'etc/hostname' },
  ]);
  const whole = [...readTar(tar)].map((e) => ({ ...e, data: Buffer.from(e.data) }));

  it('yields what readTar yields, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: tar.length }), { maxLength: 12 }), (cuts) => {
        expect(parseInChunks(tar, cuts)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
    // Byte by byte too.
    expect(parseInChunks(tar, Array.from({ length: tar.length }, (_, i) => i))).toEqual(whole);
  });

  it('keeps no data for unwanted entries, but still reports them', () => {
    const got = parseInChunks(tar, [700, 1900]);
    expect(got.map((e) => e.path)).toEqual(whole.map((e) => e.path));
    expect(parseInChunks(tar, [], false).every((e) => e.data.length === 0)).toBe(true);
  });

  it('rejects truncated streams, corrupt headers and oversized kept entries', () => {
    const cut = (n: number) => () => parseInChunks(tar.subarray(0, n), []);
    expect(cut(900)).toThrow(/truncated/);
    expect(cut(100)).toThrow(/truncated/);
    const bad = Buffer.from(tar);
    bad[10] = 0x41;
    expect(() => parseInChunks(bad, [])).toThrow(TarError);
    const small = new TarParser(
      () => true,
      () => undefined,
      1000,
    );
    expect(() => small.write(tar)).toThrow(/over the limit of 1000/);
  });

  it('LayeredFiles gives the same packages from streamed and in-memory layers', async () => {
    const base = makeTar([{ path: 'var/lib/dpkg/status', content: DPKG }, { path: 'app/package-lock.json', content: LOCK }], { gzip: false });
    const upper = makeTar([{ path: 'app/.wh.package-lock.json' }]);
    const streamed = new LayeredFiles();
    for (const layer of [base, upper]) await streamed.applyLayerStream(Readable.from([layer.subarray(0, 1000), layer.subarray(1000)]));
    expect(packagesOf(streamed)).toEqual(extractPackages([base, upper]));
    expect(packagesOf(streamed).packages.map((p) => p.name)).toEqual(['libc6', 'libssl3', 'bash']);
  });
});

describe('package database parsers', () => {
  it('dpkg: installed only, with source packages', () => {
    const pkgs = parseDpkgStatus(DPKG, '/var/lib/dpkg/status');
    expect(pkgs.map((p) => [p.name, p.version, p.source])).toEqual([
      ['libc6', '2.36-9+deb12u3', { name: 'glibc', version: '2.36-9+deb12u3' }],
      ['libssl3', '3.0.11-1~deb12u2', { name: 'openssl', version: '3.0.11-1~deb12u2' }],
      ['bash', '5.2.15-2+b2', { name: 'bash', version: '5.2.15-2' }],
    ]);
  });

  it('apk: P/V with origin', () => {
    const pkgs = parseApkInstalled(APK, '/lib/apk/db/installed');
    expect(pkgs.map((p) => [p.ecosystem, p.name, p.version, p.source?.name])).toEqual([
      ['Alpine', 'musl', '1.2.4-r1', undefined],
      ['Alpine', 'libcrypto3', '3.1.3-r0', 'openssl'],
    ]);
  });

  it('npm lockfile v3 packages and v1 dependencies', () => {
    expect(parsePackageLock(LOCK, '/app/package-lock.json').map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20', '@scope/pkg@2.0.0', 'minimist@1.2.5']);
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } } } });
    expect(parsePackageLock(v1, '/x').map((p) => `${p.name}@${p.version}`)).toEqual(['a@1.0.0', 'b@2.0.0']);
    expect(parsePackageLock('{not json', '/x')).toEqual([]);
  });

  it('normalises PyPI names', () => {
    expect(normalisePyPIName('Zope.Interface__x')).toBe('zope-interface-x');
  });
});

describe('extractPackages over layers', () => {
  it('finds every database kind and applies later layers and whiteouts', () => {
    const base = makeTar(
      [
        { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { path: 'var/lib/dpkg/status', content: DPKG },
        { path: 'lib/apk/db/installed', content: APK },
        { path: 'app/package-lock.json', content: LOCK },
        { path: 'old/package-lock.json', content: LOCK },
        { path: 'opt/venv/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', content: METADATA },
        { path: 'opt/venv/lib/python3.11/site-packages/urllib3-2.0.0.dist-info/METADATA', content: 'Name: urllib3\nVersion: 2.0.0\n' },
      ],
      { gzip: true },
    );
    const upper = makeTar([
      // dpkg database replaced by a newer one
      { path: 'var/lib/dpkg/status', content: 'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\n' },
      // file whiteout, directory whiteout, opaque directory
      { path: 'lib/apk/db/.wh.installed' },
      { path: '.wh.old' },
      { path: 'opt/venv/lib/python3.11/site-packages/.wh..wh..opq' },
      { path: 'opt/venv/lib/python3.11/site-packages/urllib3-2.2.0.dist-info/METADATA', content: 'Name: urllib3\nVersion: 2.2.0\n' },
    ]);
    const { packages, os } = extractPackages([base, upper]);
    expect(os).toEqual({ id: 'debian', versionId: '12' });
    expect(packages.map((p) => `${p.ecosystem}:${p.name}@${p.version} ${p.location}`).sort()).toEqual(
      [
        'Debian:zlib1g@1:1.2.13.dfsg-1 /var/lib/dpkg/status',
        'npm:lodash@4.17.20 /app/package-lock.json',
        'npm:@scope/pkg@2.0.0 /app/package-lock.json',
        'npm:minimist@1.2.5 /app/package-lock.json',
        'PyPI:urllib3@2.2.0 /opt/venv/lib/python3.11/site-packages/urllib3-2.2.0.dist-info/METADATA',
      ].sort(),
    );
  });

  it('a whiteout in the same layer order removes a file added by an earlier layer only', () => {
    const l1 = makeTar([{ path: 'var/lib/dpkg/status', content: DPKG }]);
    const l2 = makeTar([{ path: 'var/lib/.wh.dpkg' }]);
    const l3 = makeTar([{ path: 'var/lib/dpkg/status', content: 'Package: a\nStatus: install ok installed\nVersion: 1\n' }]);
    expect(extractPackages([l1, l2]).packages).toEqual([]);
    expect(extractPackages([l1, l2, l3]).packages.map((p) => p.name)).toEqual(['a']);
  });
});
