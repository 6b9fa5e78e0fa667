/** Host state from heartbeats, on FDM's timeline (declared dead at T+15 s, T+18 s with heartbeat datastores). */
import { describe, expect, it } from 'vitest';
import { assessHost, classifyHost, type HostHealth } from './host-state.js';

const T0 = 100_000;

describe('classifyHost', () => {
  it.each<[string, number, number | undefined, HostHealth]>([
    ['heartbeat 1 s ago', T0 + 1_000, undefined, 'alive'],
    ['silent 14.9 s, no heartbeat datastores', T0 + 14_900, undefined, 'alive'],
    ['silent 15 s, no heartbeat datastores', T0 + 15_000, undefined, 'dead'],
    ['silent 15 s, datastore heartbeat 1 s ago', T0 + 15_000, T0 + 14_000, 'isolated'],
    ['silent 10 min, datastore heartbeat still fresh', T0 + 600_000, T0 + 599_000, 'isolated'],
    ['silent 16 s, datastore heartbeats stopped with the network', T0 + 16_000, T0, 'alive'],
    ['silent 18 s, datastore heartbeats stopped with the network', T0 + 18_000, T0, 'dead'],
  ])('%s → %s', (_, now, ds, want) => {
    expect(classifyHost({ lastHeartbeatMs: T0, now, ...(ds !== undefined ? { datastoreHeartbeatMs: ds } : {}) })).toBe(want);
  });

  it('honours a custom detection time and explains itself', () => {
    expect(classifyHost({ lastHeartbeatMs: T0, now: T0 + 5_000, deadAfterMs: 5_000 })).toBe('dead');
    expect(assessHost({ lastHeartbeatMs: T0, now: T0 + 20_000, datastoreHeartbeatMs: T0 + 19_000 }).reason).toBe(
      'no network heartbeat for 20.0 s but datastore heartbeat 1.0 s ago: VMs keep running',
    );
  });
});
