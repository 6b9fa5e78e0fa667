import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { ScaledClock, VirtualClock } from './clock.js';

describe('VirtualClock', () => {
  it('fires timers in time order, ties in creation order, only when advanced past them', async () => {
    const c = new VirtualClock(0);
    const seen: string[] = [];
    c.setTimeout(() => seen.push('b@20'), 20);
    c.setTimeout(() => seen.push('a@10'), 10);
    c.setTimeout(() => seen.push('c@20'), 20);
    await c.advance(15);
    expect(seen).toEqual(['a@10']);
    expect(c.now()).toBe(15);
    await c.advance(5);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
  });

  it('lets async code driven by sleeps make progress within one advance', async () => {
    const c = new VirtualClock(0);
    const stamps: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await c.sleep(100);
        stamps.push(c.now());
      }
    })();
    await c.advance(1000);
    expect(stamps).toEqual([100, 200, 300]);
  });

  it('does not fire cleared timers', async () => {
    const c = new VirtualClock(0);
    let fired = false;
    const h = c.setTimeout(() => (fired = true), 5);
    c.clearTimeout(h);
    await c.advance(10);
    expect(fired).toBe(false);
    expect(c.pending()).toBe(0);
  });

  it('runAll drains timers that schedule further timers', async () => {
    const c = new VirtualClock(0);
    let n = 0;
    const tick = () => {
      if (++n < 5) c.setTimeout(tick, 1000);
    };
    c.setTimeout(tick, 1000);
    await c.runAll();
    expect(n).toBe(5);
    expect(c.now()).toBe(5000);
  });
});

describe('ScaledClock', () => {
  it('runs faster than wall time by its scale', async () => {
    const c = new ScaledClock(100);
    const t0 = c.now();
    await new Promise((r) => setTimeout(r, 50));
    const elapsed = c.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(4000);
    expect(elapsed).toBeLessThan(60_000);
    c.dispose();
  });
  it('rejects a non-positive scale', () => {
    expect(() => new ScaledClock(0)).toThrow(RangeError);
  });
});

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = new Random(seed);
        const b = new Random(seed);
        const c = new Random(seed + 1);
        const xs = Array.from({ length: 8 }, () => a.next());
        expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
        expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
        expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
      }),
    );
  });
  it('shuffles to a permutation and int stays in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { maxLength: 50 }), (seed, items) => {
        const r = new Random(seed);
        expect([...r.shuffle([...items])].sort((x, y) => x - y)).toEqual([...items].sort((x, y) => x - y));
        const v = r.int(3, 7);
        expect(v).toBeGreaterThanOrEqual(3);
        expect(v).toBeLessThanOrEqual(7);
      }),
    );
  });
});

describe('VirtualClock stepping', () => {
  it('advances in steps, firing each step’s timers before the next step', async () => {
    const c = new VirtualClock(0);
    const seen: number[] = [];
    const tick = () => {
      seen.push(c.now());
      if (seen.length < 5) c.setTimeout(tick, 1_000);
    };
    c.setTimeout(tick, 1_000);
    await c.advanceInSteps(2_500, 1_000);
    expect(seen).toEqual([1_000, 2_000]);
    expect(c.now()).toBe(2_500);
  });

  it('advances until a condition holds, or throws naming it after the limit', async () => {
    const c = new VirtualClock(0);
    await c.advanceUntil(() => c.now() >= 3_000, 1_000, 10_000);
    expect(c.now()).toBe(3_000);
    await expect(c.advanceUntil(() => false, 1_000, 2_000, 'never')).rejects.toThrow('timed out after 2 virtual seconds waiting for never');
  });
});
