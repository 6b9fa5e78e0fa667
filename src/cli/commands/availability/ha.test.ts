// `bulkhead ha enable` flags become the Zone's spec.ha, or one-line errors naming the flag.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { parseHaFlags } from './ha.js';

describe('parseHaFlags', () => {
  it.each([
    [{}, { enabled: true, admissionControl: { policy: 'percentage' } }],
    [{ tolerateHostFailures: '2' }, { enabled: true, admissionControl: { policy: 'percentage', tolerateHostFailures: 2 } }],
    [{ cpuPercent: '25', memoryPercent: '30' }, { enabled: true, admissionControl: { policy: 'percentage', cpuPercent: 25, memoryPercent: 30 } }],
    [{ policy: 'failoverHosts', failoverHosts: 'h1, h2' }, { enabled: true, admissionControl: { policy: 'failoverHosts', failoverHosts: ['h1', 'h2'] } }],
    [{ policy: 'slots', tolerateHostFailures: '1' }, { enabled: true, admissionControl: { policy: 'slots', tolerateHostFailures: 1 } }],
    [{ policy: 'disabled', deadAfter: '30s' }, { enabled: true, deadAfterSeconds: 30, admissionControl: { policy: 'disabled' } }],
  ])('%j -> spec.ha', (opts, ha) => {
    expect(parseHaFlags('zone-a', opts)).toEqual({ zone: 'zone-a', ha });
  });

  it.each([
    [{ policy: 'magic' }, '--policy must be one of percentage, failoverHosts, slots, disabled, got "magic"'],
    [{ policy: 'failoverHosts' }, '--policy failoverHosts needs --failover-hosts h1,h2'],
    [{ failoverHosts: 'h1' }, '--failover-hosts goes with --policy failoverHosts'],
    [{ cpuPercent: '150' }, '--cpu-percent must be at most 100, got 150'],
    [{ tolerateHostFailures: '0' }, '--tolerate-host-failures must be a whole number > 0, got "0"'],
    [{ deadAfter: '2h' }, '--dead-after must be at most 1h, got 7200s'],
  ])('%j is refused', (opts, message) => {
    expect(() => parseHaFlags('zone-a', opts)).toThrow(new UserError(message));
  });
});
