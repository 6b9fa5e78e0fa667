import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseEcosystem, comparatorFor, compareAlpine, compareDebian, comparePep440, compareSemver, type Comparator } from './index.js';

/** Each row: a < b. */
const LESS: Record<string, readonly (readonly [string, string])[]> = {
  debian: [
    ['1.0~rc1', '1.0'],
    ['1.0~~', '1.0~'],
    ['1.0~~a', '1.0~'],
    ['1.0~', '1.0'],
    ['1.0', '1.0a'],
    ['2.0', '1:0.9'],
    ['1.0', '1.0-1'],
    ['1.0-1', '1.0-2'],
    ['1.0-9', '1.0-10'],
    ['1.2.1-2.2+wheezy2', '1.2.1-2.2+wheezy3'],
    ['1.2.1-2.2', '1.2.1-2.2+wheezy3'],
    ['1.0a', '1.0+'],
    ['1.0a', '1.0.'],
    ['1.0-1', '1.0.1-1'],
    ['2.36-9', '2.36-9+deb12u4'],
    ['2.36-9+deb12u3', '2.36-9+deb12u10'],
    ['1:1.0', '2:0.1'],
    ['0.9-a-1', '0.9-b-1'],
    ['3.0.11-1~deb12u1', '3.0.11-1'],
  ],
  alpine: [
    ['1.2.3_rc1-r0', '1.2.3-r0'],
    ['1.2.3_rc1', '1.2.3'],
    ['1.2.3', '1.2.3_p1'],
    ['1.2.3-r0', '1.2.3-r1'],
    ['1.2.3-r9', '1.2.3-r10'],
    ['1.0a', '1.0b'],
    ['1.0', '1.0a'],
    ['1.0_alpha', '1.0_beta'],
    ['1.0_beta', '1.0_pre'],
    ['1.0_pre', '1.0_rc'],
    ['1.0_rc', '1.0'],
    ['1.0', '1.0_cvs'],
    ['1.0_cvs', '1.0_svn'],
    ['1.0_svn', '1.0_git'],
    ['1.0_git', '1.0_hg'],
    ['1.0_hg', '1.0_p'],
    ['1.0_rc1', '1.0_rc2'],
    ['1.0_rc2', '1.0_rc10'],
    ['1.9', '1.10'],
    ['1.01', '1.1'],
    ['3.1.4-r5', '3.1.4_p1-r0'],
    ['1.0_alpha1_p1', '1.0_alpha2'],
    ['2.0-r0', '10.0-r0'],
    ['1.0_foo', '1.0'],
    ['1.36.1-r15', '1.36.1-r29'],
  ],
  semver: [
    ['1.0.0-alpha', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '1.0.0-beta'],
    ['1.0.0-beta', '1.0.0-beta.2'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['1.0.0-beta.11', '1.0.0-rc.1'],
    ['1.0.0-rc.1', '1.0.0'],
    ['1.0.0', '1.0.1'],
    ['1.9.0', '1.10.0'],
    ['1.10.0', '2.0.0'],
    ['4.17.20', '4.17.21'],
    ['0.0.1', 'v0.0.2'],
    ['not-a-version', '0.0.0'],
  ],
  pep440: [
    ['1.0.dev0', '1.0a1'],
    ['1.0a1', '1.0a2.dev1'],
    ['1.0a2.dev1', '1.0a2'],
    ['1.0a2', '1.0b1'],
    ['1.0b1', '1.0rc1'],
    ['1.0rc1', '1.0'],
    ['1.0', '1.0.post1.dev0'],
    ['1.0.post1.dev0', '1.0.post1'],
    ['1.0.post1', '1.0.1'],
    ['1.0', '1.0+local.1'],
    ['1.9', '1.10'],
    ['2.0', '1!0.1'],
    ['2.31.0', '2.32.0'],
    ['1.0c1', '1.0'],
  ],
};

const EQUAL: Record<string, readonly (readonly [string, string])[]> = {
  debian: [
    ['1.0', '0:1.0'],
    ['1.0-0', '1.0-0'],
    ['1.00', '1.0'],
  ],
  alpine: [
    ['1.2.3~abc123-r1', '1.2.3-r1'],
    ['1.2', '1.2.0'],
  ],
  semver: [
    ['1.0.0+build.1', '1.0.0+build.2'],
    ['v1.2.3', '1.2.3'],
    ['1.2', '1.2.0'],
  ],
  pep440: [
    ['1.0', '1.0.0'],
    ['1.0alpha1', '1.0a1'],
    ['1.0-1', '1.0.post1'],
    ['1.0RC1', '1.0rc1'],
    ['v1.0', '1.0'],
  ],
};

const CMP: Record<string, Comparator> = { debian: compareDebian, alpine: compareAlpine, semver: compareSemver, pep440: comparePep440 };

describe('version ordering', () => {
  for (const [name, compare] of Object.entries(CMP)) {
    it.each(LESS[name]!)(`${name}: %s < %s`, (a, b) => {
      expect(Math.sign(compare(a, b))).toBe(-1);
      expect(Math.sign(compare(b, a))).toBe(1);
    });
    it.each(EQUAL[name]!)(`${name}: %s == %s`, (a, b) => {
      expect(compare(a, b)).toBe(0);
      expect(compare(b, a)).toBe(0);
    });
  }

  it('dispatches on the ecosystem prefix', () => {
    expect(baseEcosystem('Debian:12')).toBe('Debian');
    expect(baseEcosystem('Alpine:v3.19')).toBe('Alpine');
    expect(comparatorFor('Debian:12')).toBe(compareDebian);
    expect(comparatorFor('Alpine:v3.19')).toBe(compareAlpine);
    expect(comparatorFor('PyPI')).toBe(comparePep440);
    expect(comparatorFor('npm')).toBe(compareSemver);
  });
});

const digits = fc.constantFrom('0', '1', '2', '9', '10', '01', '00');
const GEN: Record<string, fc.Arbitrary<string>> = {
  debian: fc
    .tuple(
      fc.constantFrom('', '1:', '0:', '2:'),
      fc.array(fc.oneof(digits, fc.constantFrom('.', '~', '+', 'a', 'b', 'Z', '~rc')), { minLength: 0, maxLength: 5 }),
      fc.constantFrom('', '-1', '-0', '-1~deb12u1', '-2+b1', '-a'),
    )
    .map(([e, up, rev]) => `${e}1${up.join('')}${rev}`),
  alpine: fc
    .tuple(
      fc.array(digits, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('', 'a', 'b'),
      fc.array(fc.tuple(fc.constantFrom('_alpha', '_beta', '_pre', '_rc', '_p', '_git', '_cvs'), fc.constantFrom('', '1', '2', '10')), { maxLength: 2 }),
      fc.constantFrom('', '~abc1', '-r0', '-r1', '-r10', 'x'),
    )
    .map(([n, l, s, r]) => `${n.join('.')}${l}${s.map(([a, b]) => a + b).join('')}${r}`),
  semver: fc
    .tuple(
      fc.array(fc.constantFrom('0', '1', '2', '10'), { minLength: 3, maxLength: 3 }),
      fc.array(fc.constantFrom('alpha', 'beta', 'rc', '1', '2', '11', 'x-y'), { maxLength: 3 }),
      fc.constantFrom('', '+b1', 'junk'),
    )
    .map(([c, p, b]) => `${c.join('.')}${p.length ? `-${p.join('.')}` : ''}${b}`),
  pep440: fc
    .tuple(
      fc.constantFrom('', '1!'),
      fc.array(fc.constantFrom('0', '1', '2', '10'), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('', 'a1', 'b2', 'rc1', 'rc10'),
      fc.constantFrom('', '.post1', '.post2', '-1'),
      fc.constantFrom('', '.dev0', '.dev3'),
      fc.constantFrom('', '+ubuntu1', '+1', '!bad'),
    )
    .map(([e, r, pre, post, dev, local]) => `${e}${r.join('.')}${pre}${post}${dev}${local}`),
};

describe('comparators are total orders (property)', () => {
  for (const [name, compare] of Object.entries(CMP)) {
    it(`${name}: reflexive, antisymmetric, transitive`, () => {
      fc.assert(
        fc.property(GEN[name]!, GEN[name]!, GEN[name]!, (a, b, c) => {
          expect(compare(a, a)).toBe(0);
          expect(Math.sign(compare(a, b)) + Math.sign(compare(b, a))).toBe(0);
          const sorted = [a, b, c].sort(compare);
          expect(compare(sorted[0]!, sorted[1]!)).toBeLessThanOrEqual(0);
          expect(compare(sorted[1]!, sorted[2]!)).toBeLessThanOrEqual(0);
          expect(compare(sorted[0]!, sorted[2]!)).toBeLessThanOrEqual(0);
          if (compare(a, b) <= 0 && compare(b, c) <= 0) expect(compare(a, c)).toBeLessThanOrEqual(0);
          if (compare(a, b) === 0) expect(Math.sign(compare(a, c)) - Math.sign(compare(b, c))).toBe(0);
        }),
        { numRuns: 500 },
      );
    });
  }
});

const hasDpkg = (() => {
  try {
    execFileSync('dpkg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('Debian ordering against dpkg --compare-versions (oracle)', () => {
  it.skipIf(!hasDpkg)('agrees on generated pairs', () => {
    const pairs = fc.sample(fc.tuple(GEN.debian!, GEN.debian!), { numRuns: 60, seed: 42 });
    for (const [a, b] of pairs) {
      const c = Math.sign(compareDebian(a, b));
      const op = c < 0 ? 'lt' : c > 0 ? 'gt' : 'eq';
      let ok = true;
      try {
        execFileSync('dpkg', ['--compare-versions', a, op, b], { stdio: 'ignore' });
      } catch {
        ok = false;
      }
      expect({ a, b, op, ok }).toEqual({ a, b, op, ok: true });
    }
  });
});
