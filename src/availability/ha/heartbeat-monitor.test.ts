// What HA hears: the silence threshold never undercuts the heartbeat period (a healthy host is
// not declared dead between two heartbeats), and the datastore channel tells isolation from failure.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { HeartbeatMonitor, MIN_SILENCE_MARGIN_MS } from './heartbeat-monitor.js';

function beats(clock: VirtualClock, m: HeartbeatMonitor, hosts: string[], datastore?: string[]): void {
  m.observe({ type: 'Heartbeats', time: clock.now(), hosts, ...(datastore ? { datastore } : {}) });
}

describe('HeartbeatMonitor', () => {
  it('never declares a host that heartbeats every 10 s dead, even with a 5 s threshold', async () => {
    const clock = new VirtualClock();
    const m = new HeartbeatMonitor(clock);
    for (let t = 0; t < 60; t++) {
      if (t % 10 === 0) beats(clock, m, ['a'], ['a']);
      expect(m.assess('a', 5_000).state).toBe('alive');
      await clock.advance(1_000);
    }
    expect(m.effectiveDeadAfter(5_000)).toBe(10_000 + MIN_SILENCE_MARGIN_MS);
    expect(m.effectiveDeadAfter(15_000)).toBe(15_000);
  });

  it('calls a host silent on the network but heard on its datastore isolated, and one silent on both dead after the datastore grace', async () => {
    const clock = new VirtualClock();
    const m = new HeartbeatMonitor(clock);
    beats(clock, m, ['iso', 'dead'], ['iso', 'dead']);
    await clock.advance(10_000);
    beats(clock, m, ['iso', 'dead'], ['iso', 'dead']);
    for (let t = 1; t <= 20; t++) {
      await clock.advance(1_000);
      if (t % 10 === 0) beats(clock, m, [], ['iso']);
    }
    expect(m.assess('iso', 15_000)).toMatchObject({ state: 'isolated' });
    expect(m.assess('dead', 15_000)).toMatchObject({ state: 'dead', silentMs: 20_000 });
  });

  it('declares nobody dead before the heartbeat period is known (one batch, or a driver without heartbeats)', async () => {
    const clock = new VirtualClock();
    const m = new HeartbeatMonitor(clock);
    await clock.advance(60_000);
    expect(m.assess('never-heard', 15_000).state).toBe('alive');
    beats(clock, m, ['a'], ['a']);
    await clock.advance(30_000);
    expect(m.assess('a', 15_000).state).toBe('alive');
  });

  it('without heartbeat datastores, 15 s of network silence is death', async () => {
    const clock = new VirtualClock();
    const m = new HeartbeatMonitor(clock);
    beats(clock, m, ['a']);
    await clock.advance(10_000);
    beats(clock, m, ['a']);
    await clock.advance(14_000);
    expect(m.assess('a', 15_000).state).toBe('alive');
    await clock.advance(1_000);
    expect(m.assess('a', 15_000).state).toBe('dead');
  });
});
