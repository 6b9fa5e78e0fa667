/** Min-max-shares division: worked cases and its invariants over random inputs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waterFill } from './water-fill.js';

const EPS = 1e-6;
const sum = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0);

describe('waterFill', () => {
  it.each([
    { name: 'proportional to weights when nobody is capped', total: 3000, floors: [0, 0], caps: [5000, 5000], weights: [1000, 2000], want: [1000, 2000] },
    { name: 'everyone gets the cap when there is enough', total: 10_000, floors: [0, 0], caps: [1000, 2000], weights: [1, 1], want: [1000, 2000] },
    { name: 'a capped consumer leaves its surplus to the others', total: 4000, floors: [0, 0, 0], caps: [500, 5000, 5000], weights: [1, 1, 1], want: [500, 1750, 1750] },
    { name: 'a floor above the fair share is honoured, the rest shared', total: 4000, floors: [3000, 0], caps: [4000, 4000], weights: [1, 1], want: [3000, 1000] },
    { name: 'a floor below the fair share changes nothing', total: 4000, floors: [1000, 0], caps: [4000, 4000], weights: [1, 1], want: [2000, 2000] },
    { name: 'floors that do not fit are scaled down', total: 1000, floors: [1500, 500], caps: [2000, 2000], weights: [1, 1], want: [750, 250] },
    { name: 'zero weight fills last', total: 1000, floors: [0, 0], caps: [2000, 2000], weights: [0, 1], want: [0, 1000] },
    // 10 + 1e-12 - 10 loses the small weight in plain float sums; the surplus must still go to it.
    { name: 'a tiny weight left alone takes the surplus exactly', total: 1000, floors: [0, 0], caps: [10, 1000], weights: [10, 1e-12], want: [10, 990] },
    { name: 'empty', total: 1000, floors: [], caps: [], weights: [], want: [] },
  ])('$name', ({ total, floors, caps, weights, want }) => {
    const got = Array.from(waterFill(total, floors, caps, weights));
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i] as number, 6));
  });

  const consumers = fc.array(
    fc.record({ floor: fc.integer({ min: 0, max: 5000 }), extra: fc.integer({ min: 0, max: 10_000 }), weight: fc.integer({ min: 1, max: 100_000 }) }),
    { minLength: 1, maxLength: 30 },
  );

  it('stays between floor and cap, and uses min(total, sum of caps) when floors fit', () => {
    fc.assert(
      fc.property(consumers, fc.integer({ min: 0, max: 200_000 }), (cs, total) => {
        const floors = cs.map((c) => c.floor);
        const caps = cs.map((c) => c.floor + c.extra);
        const got = waterFill(total, floors, caps, cs.map((c) => c.weight));
        const sumFloor = sum(floors);
        if (total >= sumFloor) {
          got.forEach((g, i) => {
            expect(g).toBeGreaterThanOrEqual((floors[i] as number) - EPS);
            expect(g).toBeLessThanOrEqual((caps[i] as number) + EPS);
          });
          expect(sum(got)).toBeCloseTo(Math.min(total, sum(caps)), 3);
        } else {
          expect(sum(got)).toBeCloseTo(total, 3);
          got.forEach((g, i) => expect(g).toBeLessThanOrEqual((floors[i] as number) + EPS));
        }
      }),
    );
  });

  it('gives consumers strictly between floor and cap the same amount per weight', () => {
    fc.assert(
      fc.property(consumers, fc.integer({ min: 0, max: 200_000 }), (cs, total) => {
        const floors = cs.map((c) => c.floor);
        const caps = cs.map((c) => c.floor + c.extra);
        const weights = cs.map((c) => c.weight);
        fc.pre(total > sum(floors));
        const got = waterFill(total, floors, caps, weights);
        const free = Array.from(got)
          .map((g, i) => ({ g, i }))
          .filter(({ g, i }) => g > (floors[i] as number) + 1e-6 && g < (caps[i] as number) - 1e-6)
          .map(({ g, i }) => g / (weights[i] as number));
        for (const r of free) expect(r).toBeCloseTo(free[0] as number, 6);
        // Nobody below the common level is above its floor; nobody above it is below its cap.
        if (free.length > 0) {
          const level = free[0] as number;
          got.forEach((g, i) => {
            if (g / (weights[i] as number) < level - 1e-6) expect(g).toBeCloseTo(caps[i] as number, 6);
            if (g / (weights[i] as number) > level + 1e-6) expect(g).toBeCloseTo(floors[i] as number, 6);
          });
        }
      }),
    );
  });

  it('uses exactly min(total, sum of caps) whatever the spread of weights', () => {
    const spread = fc.array(fc.record({ cap: fc.integer({ min: 0, max: 10_000 }), exp: fc.integer({ min: -12, max: 6 }) }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(spread, fc.integer({ min: 0, max: 100_000 }), (cs, total) => {
        const caps = cs.map((c) => c.cap);
        const got = waterFill(total, new Float64Array(cs.length), caps, cs.map((c) => 10 ** c.exp));
        expect(Math.abs(sum(got) - Math.min(total, sum(caps)))).toBeLessThan(1e-6 * Math.max(1, total));
      }),
    );
  });

  it('never takes from anyone when the total grows', () => {
    fc.assert(
      fc.property(consumers, fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (cs, a, b) => {
        const floors = cs.map((c) => c.floor);
        const caps = cs.map((c) => c.floor + c.extra);
        const weights = cs.map((c) => c.weight);
        const lo = waterFill(Math.min(a, b), floors, caps, weights);
        const hi = waterFill(Math.max(a, b), floors, caps, weights);
        lo.forEach((g, i) => expect(hi[i] as number).toBeGreaterThanOrEqual(g - EPS));
      }),
    );
  });
});
