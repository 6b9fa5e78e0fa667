import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitmap } from './bitmap.js';

describe('Bitmap', () => {
  it('sets, clears and counts, reporting whether anything changed', () => {
    const b = new Bitmap(70);
    expect(b.set(3)).toBe(true);
    expect(b.set(3)).toBe(false);
    expect(b.set(69)).toBe(true);
    expect(b.count).toBe(2);
    expect(b.has(69)).toBe(true);
    expect(b.clear(3)).toBe(true);
    expect(b.clear(3)).toBe(false);
    expect(b.count).toBe(1);
    expect(() => b.set(70)).toThrow(RangeError);
  });

  it('finds the next clear bit forward, wrapping once, and -1 when full', () => {
    const b = new Bitmap(8);
    for (const i of [0, 1, 2, 5, 6, 7]) b.set(i);
    expect(b.nextClear(0)).toBe(3);
    expect(b.nextClear(4)).toBe(4);
    expect(b.nextClear(5)).toBe(3);
    b.set(3);
    b.set(4);
    expect(b.nextClear(0)).toBe(-1);
  });

  it('skips full words in large maps', () => {
    const b = new Bitmap(1 << 16);
    for (let i = 0; i < (1 << 16) - 1; i++) b.set(i);
    expect(b.nextClear(0)).toBe((1 << 16) - 1);
    expect(b.nextClear(100)).toBe((1 << 16) - 1);
  });

  it('property: agrees with a Set model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }).chain((size) =>
          fc.tuple(fc.constant(size), fc.array(fc.tuple(fc.boolean(), fc.nat({ max: size - 1 })), { maxLength: 200, size: 'max' }), fc.nat({ max: size - 1 })),
        ),
        ([size, ops, from]) => {
          const b = new Bitmap(size);
          const model = new Set<number>();
          for (const [set, i] of ops) {
            if (set) {
              expect(b.set(i)).toBe(!model.has(i));
              model.add(i);
            } else {
              expect(b.clear(i)).toBe(model.has(i));
              model.delete(i);
            }
          }
          expect(b.count).toBe(model.size);
          const order = [...Array(size).keys()].map((k) => (from + k) % size);
          expect(b.nextClear(from)).toBe(order.find((k) => !model.has(k)) ?? -1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
