import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryStore, OsvFormatError, parseOsv, rangeAffects, releaseMatches } from './osv.js';
import type { InstalledPackage } from './packages/parsers.js';
import { cvss2BaseScore, cvss3BaseScore, severityFromOsv } from './severity.js';
import { compareDebian, compareSemver } from './versions/index.js';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/osv');

function pkg(ecosystem: InstalledPackage['ecosystem'], name: string, version: string, source?: { name: string; version: string }): InstalledPackage {
  return { ecosystem, name, version, location: '/x', ...(source ? { source } : {}) };
}

describe('CVSS scoring', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('v3 %s = %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it('v2 and malformed vectors', () => {
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toBe(7.5);
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toBe(10);
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L')).toBeUndefined();
    expect(severityFromOsv([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }])).toBeUndefined();
    expect(severityFromOsv([{ type: 'Ubuntu', score: 'medium' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }])).toBe('Critical');
  });
});

describe('OSV range evaluation', () => {
  it('introduced/fixed, last_affected, several intervals, limit', () => {
    const r1 = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] };
    expect(rangeAffects('1.0-1', r1, compareDebian)).toEqual({ affected: true, fixed: '1.0-2' });
    expect(rangeAffects('1.0-2', r1, compareDebian).affected).toBe(false);
    expect(rangeAffects('1.0~rc1-5', r1, compareDebian).affected).toBe(true);
    const r2 = { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] };
    expect(rangeAffects('0.9.0', r2, compareSemver).affected).toBe(false);
    expect(rangeAffects('1.4.0', r2, compareSemver)).toEqual({ affected: true });
    expect(rangeAffects('1.4.1', r2, compareSemver).affected).toBe(false);
    // events out of order in the file still evaluate in version order
    const r3 = { type: 'SEMVER', events: [{ fixed: '3.0.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }] };
    expect(['0.1.0', '1.2.0', '1.5.0', '2.1.0', '3.0.0'].map((v) => rangeAffects(v, r3, compareSemver))).toEqual([
      { affected: false },
      { affected: true, fixed: '1.5.0' },
      { affected: false },
      { affected: true, fixed: '3.0.0' },
      { affected: false },
    ]);
    const r4 = { type: 'SEMVER', events: [{ introduced: '0' }, { limit: '2.0.0' }] };
    expect(rangeAffects('1.9.9', r4, compareSemver).affected).toBe(true);
    expect(rangeAffects('2.0.0', r4, compareSemver).affected).toBe(false);
  });

  it('release-qualified ecosystems match the image OS', () => {
    expect(releaseMatches('Debian:12', { id: 'debian', versionId: '12' })).toBe(true);
    expect(releaseMatches('Debian:11', { id: 'debian', versionId: '12' })).toBe(false);
    expect(releaseMatches('Debian:11', undefined)).toBe(true);
    expect(releaseMatches('Alpine:v3.18', { id: 'alpine', versionId: '3.18.4' })).toBe(true);
    expect(releaseMatches('Alpine:v3.19', { id: 'alpine', versionId: '3.18.4' })).toBe(false);
    expect(releaseMatches('Debian', { id: 'debian', versionId: '12' })).toBe(true);
  });
});

describe('AdvisoryStore with the fixture set', () => {
  const store = new AdvisoryStore();
  beforeAll(async () => {
    expect(await store.importPath(FIXTURES)).toBe(15);
  });

  it('Debian 12 image: source packages, release filter, last_affected, fixed at exactly the installed version', () => {
    const os = { id: 'debian', versionId: '12' };
    const report = store.scan(
      [
        pkg('Debian', 'libc6', '2.36-9+deb12u3', { name: 'glibc', version: '2.36-9+deb12u3' }),
        pkg('Debian', 'libssl3', '3.0.11-1~deb12u1', { name: 'openssl', version: '3.0.11-1~deb12u1' }),
        pkg('Debian', 'zlib1g', '1:1.2.13.dfsg-1', { name: 'zlib', version: '1:1.2.13.dfsg-1' }),
        pkg('Debian', 'bash', '5.2.15-2+b2', { name: 'bash', version: '5.2.15-2' }),
        pkg('Debian', 'openssl', '3.0.11-1~deb12u2'),
      ],
      os,
    );
    const flat = report.packages.flatMap((p) => p.vulnerabilities.map((v) => [p.name, v.id, v.severity, v.fixedVersions]));
    expect(flat).toEqual([
      ['libc6', 'DEBIAN-CVE-2024-2961', 'High', ['2.36-9+deb12u7']],
      ['libssl3', 'DEBIAN-CVE-2023-5363', 'High', ['3.0.11-1~deb12u2']],
      ['zlib1g', 'DEBIAN-CVE-2023-45853', 'Critical', []],
    ]);
    expect(report.summary).toEqual({ Critical: 1, High: 2, Medium: 0, Low: 0, Unknown: 0 });
    expect(report.highest).toBe('Critical');
    expect(report.scannedPackages).toBe(5);
    expect(report.packages[0]!.vulnerabilities[0]!.aliases).toEqual(['CVE-2024-2961']);
  });

  it('Debian 11 image sees only Debian:11 entries; unknown OS sees every release', () => {
    const libc = pkg('Debian', 'libc6', '2.31-13+deb11u5', { name: 'glibc', version: '2.31-13+deb11u5' });
    expect(store.match(libc, { id: 'debian', versionId: '11' }).map((v) => [v.id, v.fixedVersions])).toEqual([['DEBIAN-CVE-2023-4911', ['2.31-13+deb11u7']]]);
    expect(store.match(libc).map((v) => v.id).sort()).toEqual(['DEBIAN-CVE-2023-4911', 'DEBIAN-CVE-2024-2961']);
    expect(store.match(pkg('Debian', 'bash', '5.1-2'), { id: 'debian', versionId: '12' }).map((v) => [v.id, v.severity])).toEqual([['DEBIAN-CVE-2022-3715', 'Low']]);
  });

  it('Alpine 3.18 image: origin packages, apk suffix ordering', () => {
    const os = { id: 'alpine', versionId: '3.18.4' };
    const report = store.scan(
      [
        pkg('Alpine', 'libcrypto3', '3.1.4-r0', { name: 'openssl', version: '3.1.4-r0' }),
        pkg('Alpine', 'busybox', '1.36.1-r2'),
        pkg('Alpine', 'ssl_client', '1.36.0-r9', { name: 'busybox', version: '1.36.0-r9' }),
        pkg('Alpine', 'musl', '1.2.4-r1'),
      ],
      os,
    );
    expect(report.packages.flatMap((p) => p.vulnerabilities.map((v) => [p.name, v.id, v.severity, v.fixedVersions]))).toEqual([
      ['libcrypto3', 'ALPINE-CVE-2023-5678', 'Medium', ['3.1.4-r1']],
      ['ssl_client', 'ALPINE-CVE-2022-28391', 'High', ['1.36.1_rc1-r0']],
    ]);
  });

  it('npm: database severity, several ranges, prereleases, withdrawn ignored', () => {
    const report = store.scan([
      pkg('npm', 'lodash', '4.17.20'),
      pkg('npm', 'lodash', '4.17.21'),
      pkg('npm', 'minimist', '1.2.5'),
      pkg('npm', 'minimist', '0.1.0'),
      pkg('npm', 'minimist', '0.2.4'),
      pkg('npm', '@scope/pkg', '2.0.0-beta.3'),
      pkg('npm', '@scope/pkg', '2.0.0-alpha'),
      pkg('npm', '@scope/pkg', '2.0.0'),
    ]);
    expect(report.packages.flatMap((p) => p.vulnerabilities.map((v) => [`${p.name}@${p.version}`, v.id, v.severity, v.fixedVersions]))).toEqual([
      ['lodash@4.17.20', 'GHSA-35jh-r3h4-6jhm', 'High', ['4.17.21']],
      ['minimist@1.2.5', 'GHSA-xvch-5gv4-984h', 'Critical', ['1.2.6']],
      ['minimist@0.1.0', 'GHSA-xvch-5gv4-984h', 'Critical', ['0.2.4']],
      ['@scope/pkg@2.0.0-beta.3', 'GHSA-9x9x-pre9-rel9', 'High', ['2.0.0']],
    ]);
    expect(report.summary).toEqual({ Critical: 2, High: 2, Medium: 0, Low: 0, Unknown: 0 });
  });

  it('PyPI: PEP 440 ranges, explicit versions, normalised names, Unknown severity', () => {
    const report = store.scan([pkg('PyPI', 'requests', '2.31.0'), pkg('PyPI', 'Requests', '2.30.0'), pkg('PyPI', 'urllib3', '2.0.5'), pkg('PyPI', 'zope.interface', '5.4.0'), pkg('PyPI', 'zope.interface', '5.4.1')]);
    expect(report.packages.flatMap((p) => p.vulnerabilities.map((v) => [`${p.name}@${p.version}`, v.id, v.severity, v.fixedVersions]))).toEqual([
      ['Requests@2.30.0', 'GHSA-j8r2-6x86-q33q', 'Medium', ['2.31.0']],
      ['urllib3@2.0.5', 'PYSEC-2023-192', 'Medium', ['2.0.6']],
      ['zope.interface@5.4.0', 'PYSEC-2024-0001', 'Unknown', []],
    ]);
  });
});

describe('OSV import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'osv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects malformed advisories and non-JSON', () => {
    const s = new AdvisoryStore();
    expect(() => s.importJson('{')).toThrow(OsvFormatError);
    expect(() => parseOsv({ summary: 'no id' })).toThrow(/needs a string id/);
    expect(() => parseOsv({ id: 'X-1', affected: [{ package: { name: 'a' } }] })).toThrow(/ecosystem and name/);
    expect(() => parseOsv({ id: 'X-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER' }] }] })).toThrow(/ranges/);
    expect(parseOsv({ vulns: [{ id: 'A-1' }, { id: 'A-2' }] }).map((a) => a.id)).toEqual(['A-1', 'A-2']);
  });

  it('re-importing an id replaces the old record', () => {
    const s = new AdvisoryStore();
    const adv = (fixed: string) => ({ id: 'X-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }] });
    s.add([adv('1.0.0')]);
    s.add([adv('2.0.0')]);
    expect(s.size).toBe(1);
    expect(s.match(pkg('npm', 'a', '1.5.0')).map((v) => v.fixedVersions)).toEqual([['2.0.0']]);
  });

  it('reads OSV zip exports (stored and deflated entries)', async () => {
    const files: [string, Buffer, number][] = [
      ['GHSA-aaaa.json', Buffer.from(JSON.stringify({ id: 'GHSA-aaaa', affected: [{ package: { ecosystem: 'npm', name: 'z' }, versions: ['1.0.0'] }] })), 0],
      ['GHSA-bbbb.json', Buffer.from(JSON.stringify([{ id: 'GHSA-bbbb' }, { id: 'GHSA-cccc' }])), 8],
      ['notes.txt', Buffer.from('ignored'), 0],
    ];
    const locals: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const [name, content, method] of files) {
      const data = method === 8 ? deflateRawSync(content) : content;
      const nameBuf = Buffer.from(name);
      const loc = Buffer.alloc(30);
      loc.writeUInt32LE(0x04034b50, 0);
      loc.writeUInt16LE(method, 8);
      loc.writeUInt32LE(data.length, 18);
      loc.writeUInt32LE(content.length, 22);
      loc.writeUInt16LE(nameBuf.length, 26);
      const cen = Buffer.alloc(46);
      cen.writeUInt32LE(0x02014b50, 0);
      cen.writeUInt16LE(method, 10);
      cen.writeUInt32LE(data.length, 20);
      cen.writeUInt32LE(content.length, 24);
      cen.writeUInt16LE(nameBuf.length, 28);
      cen.writeUInt32LE(offset, 42);
      locals.push(loc, nameBuf, data);
      central.push(cen, nameBuf);
      offset += 30 + nameBuf.length + data.length;
    }
    const cd = Buffer.concat(central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(files.length, 8);
    eocd.writeUInt16LE(files.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(offset, 16);
    await writeFile(join(dir, 'all.zip'), Buffer.concat([...locals, cd, eocd]));
    const s = new AdvisoryStore();
    expect(await s.importPath(join(dir, 'all.zip'))).toBe(3);
    expect(s.match(pkg('npm', 'z', '1.0.0')).map((v) => v.id)).toEqual(['GHSA-aaaa']);
  });
});
