/**
 * SemVer 2.0 precedence (npm and OSV `SEMVER` ranges). Lenient like OSV tooling: a leading `v`
 * and missing minor/patch (= 0) are accepted; build metadata is ignored. Text that is not a
 * version sorts below every version (and by string among itself), so the order stays total.
 */

export interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly prerelease: readonly string[];
}

const SEMVER_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]*)?$/;

export function parseSemver(v: string): SemVer | undefined {
  const m = SEMVER_RE.exec(v.trim());
  if (!m) return undefined;
  return {
    major: BigInt(m[1]!),
    minor: BigInt(m[2] ?? '0'),
    patch: BigInt(m[3] ?? '0'),
    prerelease: m[4] ? m[4].split('.') : [],
  };
}

function cmp<T extends bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NUMERIC = /^\d+$/;

function compareIdentifier(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return cmp(BigInt(a), BigInt(b)) || cmp(a, b);
  if (an) return -1;
  if (bn) return 1;
  return cmp(a, b);
}

export function compareSemverParsed(a: SemVer, b: SemVer): number {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.prerelease.length === 0 && b.prerelease.length === 0) return 0;
  if (a.prerelease.length === 0) return 1;
  if (b.prerelease.length === 0) return -1;
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifier(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa && pb) return compareSemverParsed(pa, pb);
  if (pa) return 1;
  if (pb) return -1;
  return cmp(a, b);
}
