/** Bitset primitives, above all the 32x32 transpose the matrix relies on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { andNotInto, andTo, clearBit, forEachBit, hasBit, orInto, popcount, resized, setBit, transpose32 } from './bitset.js';

describe('bitset', () => {
  it('sets, clears and reads bits, treating bits past the end as 0', () => {
    const b = new Uint32Array(2);
    setBit(b, 0);
    setBit(b, 31);
    setBit(b, 63);
    expect([hasBit(b, 0), hasBit(b, 1), hasBit(b, 31), hasBit(b, 63), hasBit(b, 64), hasBit(b, 1000)]).toEqual([true, false, true, true, false, false]);
    clearBit(b, 31);
    expect(hasBit(b, 31)).toBe(false);
    expect(popcount(b)).toBe(2);
    expect(hasBit(resized(b, 4), 63)).toBe(true);
  });

  it('property: set operations agree with Set<number>', () => {
    const bits = fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { maxLength: 60 });
    fc.assert(
      fc.property(bits, bits, (xs, ys) => {
        const a = new Uint32Array(4);
        const b = new Uint32Array(4);
        xs.forEach((i) => setBit(a, i));
        ys.forEach((i) => setBit(b, i));
        const or = Uint32Array.from(a);
        orInto(or, b);
        const and = new Uint32Array(4);
        andTo(and, a, b);
        const diff = Uint32Array.from(a);
        andNotInto(diff, b);
        const list = (x: Uint32Array): number[] => {
          const out: number[] = [];
          forEachBit(x, (i) => out.push(i));
          return out;
        };
        const sort = (l: number[]): number[] => [...l].sort((p, q) => p - q);
        expect(list(or)).toEqual(sort([...new Set([...xs, ...ys])]));
        expect(list(and)).toEqual(sort(xs.filter((x) => ys.includes(x))));
        expect(list(diff)).toEqual(sort(xs.filter((x) => !ys.includes(x))));
        expect(popcount(a)).toBe(xs.length);
      }),
    );
  });

  it('property: transpose32 moves bit i of row k to bit k of row i', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 32, maxLength: 32 }), (rows) => {
        const a = Uint32Array.from(rows);
        transpose32(a);
        for (let i = 0; i < 32; i++) for (let k = 0; k < 32; k++) expect(((a[i]! >>> k) & 1) === 1).toBe((((rows[k] as number) >>> i) & 1) === 1);
      }),
      { numRuns: 50 },
    );
  });
});
