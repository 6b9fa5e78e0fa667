import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { expireProbe, finishProbe, isProbeDue, newMemberHealth, startProbe, takesTraffic, type MemberHealth } from './health-monitor.js';
import { DEFAULT_MONITOR, type HealthMonitorConfig } from './service.js';

const config: HealthMonitorConfig = { type: 'TCP', ...DEFAULT_MONITOR };

/** Runs one probe cycle at the clock's now with the given outcome, then advances one interval. */
async function probe(clock: VirtualClock, m: MemberHealth, ok: boolean): Promise<MemberHealth> {
  expect(isProbeDue(m, clock.now())).toBe(true);
  const started = startProbe(m, config, clock.now());
  await clock.advance(100);
  const done = finishProbe(started, config, ok, clock.now());
  await clock.advance(config.intervalSeconds * 1000 - 100);
  return done;
}

describe('active health monitor', () => {
  it('starts UNKNOWN and taking traffic, UP on the first success', async () => {
    const clock = new VirtualClock(0);
    const m = newMemberHealth(clock.now());
    expect([m.status, takesTraffic(m)]).toEqual(['UNKNOWN', true]);
    expect((await probe(clock, m, true)).status).toBe('UP');
  });

  it('marks a member DOWN at the fall_count-th consecutive failure, and UP after rise_count successes', async () => {
    const clock = new VirtualClock(0);
    let m = await probe(clock, newMemberHealth(0), true);
    const seen: string[] = [];
    for (const ok of [false, false, false, true, true, true]) {
      m = await probe(clock, m, ok);
      seen.push(m.status);
    }
    expect(seen).toEqual(['UP', 'UP', 'DOWN', 'DOWN', 'DOWN', 'UP']);
    expect(m.since).toBe(6 * 5000 + 100);
  });

  it('resets the count on an interleaved result, so flapping never marks DOWN', async () => {
    const clock = new VirtualClock(0);
    let m = newMemberHealth(0);
    for (const ok of [false, false, true, false, false, true, false, false]) m = await probe(clock, m, ok);
    expect(m.status).toBe('UP');
  });

  it('counts a probe with no answer within the timeout as a failure', async () => {
    const clock = new VirtualClock(0);
    let m = startProbe(newMemberHealth(0), config, 0);
    await clock.advance(15_000);
    expect(expireProbe(m, config, clock.now())).toBe(m);
    await clock.advance(1);
    m = expireProbe(m, config, clock.now());
    expect([m.consecutiveFailures, m.probeStartedAt, m.lastProbe?.detail]).toEqual([1, undefined, 'no answer within 15s']);
    // The next probe was due 5 s after the stuck one started, so it may start at once.
    expect(isProbeDue(m, clock.now())).toBe(true);
  });

  it('counts a success that arrives after the timeout as a failure, and ignores answers with no probe in flight', () => {
    const m = startProbe(newMemberHealth(0), config, 0);
    const late = finishProbe(m, config, true, 15_001);
    expect([late.consecutiveFailures, late.consecutiveSuccesses, late.lastProbe?.at]).toEqual([1, 0, 15_000]);
    expect(finishProbe(late, config, true, 16_000)).toBe(late);
  });

  it('probes once per interval, one at a time', () => {
    const m0 = newMemberHealth(1000);
    expect(isProbeDue(m0, 999)).toBe(false);
    const m1 = startProbe(m0, config, 1000);
    expect(isProbeDue(m1, 7000)).toBe(false);
    const m2 = finishProbe(m1, config, true, 1200);
    expect(isProbeDue(m2, 5999)).toBe(false);
    expect(isProbeDue(m2, 6000)).toBe(true);
  });

  it('property: DOWN only after fall_count straight failures; back UP only after rise_count straight successes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.boolean(), { maxLength: 60, size: 'max' }), (fall, rise, results) => {
        const c: HealthMonitorConfig = { ...config, fallCount: fall, riseCount: rise };
        let m = newMemberHealth(0);
        const history: boolean[] = [];
        results.forEach((ok, i) => {
          const before = m.status;
          m = finishProbe(startProbe(m, c, i * 5000), c, ok, i * 5000 + 10);
          history.push(ok);
          const tail = (n: number) => history.slice(-n);
          if (m.status === 'DOWN' && before !== 'DOWN') expect(history.length >= fall && tail(fall).every((r) => !r)).toBe(true);
          if (before === 'DOWN' && m.status === 'UP') expect(history.length >= rise && tail(rise).every((r) => r)).toBe(true);
          if (before !== 'DOWN' && tail(fall).length === fall && tail(fall).every((r) => !r)) expect(m.status).toBe('DOWN');
          expect(takesTraffic(m)).toBe(m.status !== 'DOWN');
        });
      }),
      { numRuns: 300 },
    );
  });
});
