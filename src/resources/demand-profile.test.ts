/** Demand profiles evaluated on the virtual clock: constant, diurnal and seeded bursts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/index.js';
import { MAX_BURST_FACTOR, burstsBetween, demandAt, inBurst, parseDemandProfile, type BurstyProfile, type DiurnalProfile } from './demand-profile.js';

const HOUR = 3_600_000;
const MIDNIGHT = Date.UTC(2026, 0, 1);

/** Samples a profile every `stepMs` for `durationMs` by advancing a virtual clock. */
async function sample(clock: VirtualClock, durationMs: number, stepMs: number, at: (now: number) => number): Promise<number[]> {
  const out: number[] = [];
  const end = clock.now() + durationMs;
  while (clock.now() < end) {
    out.push(at(clock.now()));
    await clock.advance(stepMs);
  }
  return out;
}

describe('constant profile', () => {
  it('is the same at every instant', async () => {
    const clock = new VirtualClock(MIDNIGHT);
    const values = await sample(clock, 48 * HOUR, HOUR, (t) => demandAt({ kind: 'constant', cpuMillis: 750, memoryMiB: 512 }, t).cpuMillis);
    expect(new Set(values)).toEqual(new Set([750]));
  });
});

describe('diurnal profile', () => {
  const p: DiurnalProfile = { kind: 'diurnal', cpuMillis: 1000, memoryMiB: 2048, amplitudePercent: 60, memoryAmplitudePercent: 10, peakMinuteUtc: 14 * 60 };

  it('peaks at the peak minute, bottoms out 12 h later and repeats every 24 h', async () => {
    const clock = new VirtualClock(MIDNIGHT);
    await clock.advance(14 * HOUR);
    expect(demandAt(p, clock.now()).cpuMillis).toBeCloseTo(1600, 6);
    expect(demandAt(p, clock.now()).memoryMiB).toBeCloseTo(2048 * 1.1, 6);
    await clock.advance(12 * HOUR);
    expect(demandAt(p, clock.now()).cpuMillis).toBeCloseTo(400, 6);
    await clock.advance(12 * HOUR);
    expect(demandAt(p, clock.now()).cpuMillis).toBeCloseTo(1600, 6);
    await clock.advance(6 * HOUR); // 20:00: a quarter period after the peak, at the mean
    expect(demandAt(p, clock.now()).cpuMillis).toBeCloseTo(1000, 6);
  });

  it('averages to its mean over a day and stays within mean x (1 +- amplitude)', async () => {
    const clock = new VirtualClock(MIDNIGHT + 17 * 60_000);
    const values = await sample(clock, 24 * HOUR, 5 * 60_000, (t) => demandAt(p, t).cpuMillis);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(1000, 6);
    expect(Math.max(...values)).toBeLessThanOrEqual(1600 + 1e-9);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(400 - 1e-9);
  });
});

describe('bursty profile', () => {
  const p: BurstyProfile = { kind: 'bursty', cpuMillis: 200, memoryMiB: 256, burstCpuMillis: 4000, burstMemoryMiB: 1024, meanIntervalSeconds: 600, meanDurationSeconds: 60, seed: 42 };

  it('is the baseline between bursts and the burst level inside one', () => {
    const bursts = burstsBetween(p, MIDNIGHT, MIDNIGHT + 24 * HOUR);
    expect(bursts.length).toBeGreaterThan(50);
    const b = bursts[3] as { startMs: number; endMs: number };
    expect(demandAt(p, b.startMs)).toEqual({ cpuMillis: 4000, memoryMiB: 1024 });
    expect(inBurst(p, b.endMs - 1)).toBe(true);
    const gap = bursts.find((x, i) => i > 0 && x.startMs > Math.max(...bursts.slice(0, i).map((y) => y.endMs)));
    expect(gap).toBeDefined();
    expect(demandAt(p, (gap as { startMs: number }).startMs - 1)).toEqual({ cpuMillis: 200, memoryMiB: 256 });
  });

  it('replays the same bursts for the same seed and different ones for another', () => {
    const a = burstsBetween(p, MIDNIGHT, MIDNIGHT + 6 * HOUR);
    expect(burstsBetween({ ...p }, MIDNIGHT, MIDNIGHT + 6 * HOUR)).toEqual(a);
    expect(burstsBetween({ ...p, seed: 43 }, MIDNIGHT, MIDNIGHT + 6 * HOUR)).not.toEqual(a);
  });

  it('agrees with itself whatever window a burst is looked up from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 24 * 3600 }), fc.integer({ min: 0, max: 3600 }), (offsetS, spanS) => {
        const from = MIDNIGHT + offsetS * 1000;
        const wide = burstsBetween(p, from - 2 * HOUR, from + spanS * 1000 + 2 * HOUR);
        const narrow = burstsBetween(p, from, from + spanS * 1000 + 1);
        expect(narrow).toEqual(wide.filter((b) => b.endMs > from && b.startMs < from + spanS * 1000 + 1));
        for (const b of narrow) expect(b.endMs - b.startMs).toBeLessThanOrEqual(MAX_BURST_FACTOR * 60_000);
      }),
      { numRuns: 50 },
    );
  });

  it('bursts about as often and as long as asked: busy ~ 1 - exp(-duration/interval) of the time', async () => {
    // A week sampled every 10 s on the virtual clock; Poisson starts, exponential lengths.
    const clock = new VirtualClock(MIDNIGHT);
    const busy = await sample(clock, 7 * 24 * HOUR, 10_000, (t) => (inBurst(p, t) ? 1 : 0));
    const fraction = busy.reduce((a, b) => a + b, 0) / busy.length;
    expect(fraction).toBeGreaterThan(0.07);
    expect(fraction).toBeLessThan(0.12);
    const starts = burstsBetween(p, MIDNIGHT, MIDNIGHT + 7 * 24 * HOUR).filter((b) => b.startMs >= MIDNIGHT);
    const meanInterval = (7 * 24 * 3600) / starts.length;
    expect(meanInterval).toBeGreaterThan(500);
    expect(meanInterval).toBeLessThan(700);
  });
});

describe('parseDemandProfile', () => {
  it.each([
    [{ kind: 'sawtooth' }, 'p.kind', /must be one of "constant", "diurnal", "bursty"/],
    [{ kind: 'diurnal', cpuMillis: 1, memoryMiB: 1, amplitudePercent: 150, peakMinuteUtc: 0 }, 'p.amplitudePercent', /100/],
    [{ kind: 'bursty', cpuMillis: 1, memoryMiB: 1, burstCpuMillis: 2, meanIntervalSeconds: 0, meanDurationSeconds: 1, seed: 1 }, 'p.meanIntervalSeconds', /1/],
    [{ kind: 'constant', cpuMillis: 1 }, 'p.memoryMiB', /required/],
    [{ kind: 'constant', cpuMillis: 1, memoryMiB: 1, extra: true }, 'p.extra', /unknown field/],
  ])('rejects %j naming %s', (value, field, message) => {
    const r = parseDemandProfile(value, 'p');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const cause = r.causes.find((c) => c.field === field);
    expect(cause, JSON.stringify(r.causes)).toBeDefined();
    expect(cause?.message).toMatch(message);
  });

  it('accepts a valid profile as is', () => {
    const value = { kind: 'diurnal', cpuMillis: 500, memoryMiB: 128, amplitudePercent: 30, peakMinuteUtc: 600 };
    expect(parseDemandProfile(value)).toEqual({ ok: true, profile: value });
  });
});
