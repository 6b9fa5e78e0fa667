import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../audit-chain.js';
import { sameJson } from './object-rules.js';

describe('sameJson', () => {
  it('agrees with comparing canonical JSON on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameJson(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
        expect(sameJson(a, structuredClone(a))).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
  it('ignores key order and undefined-valued keys, not values', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});
