// Status writes are throttled: only a move beyond 10 % (and a small absolute floor), a pool
// change or a missing field is worth a write.
import { describe, expect, it } from 'vitest';
import { moved, vmStatusChanged, type VmResourceStatus } from './status-figures.js';

const base: VmResourceStatus = {
  pool: 'p',
  poolSource: 'explicit',
  cpu: { demandMHz: 4000, entitlementMHz: 4000, usageMHz: 4000, readyMs: 0, readyPercent: 0 },
  memory: { demandMiB: 4096, entitlementMiB: 4096, usageMiB: 4096, balloonMiB: 0, swapMiB: 0 },
  computedAt: '2026-01-01T00:00:00Z',
};

describe('status write throttling', () => {
  it.each([
    [undefined, 10, 50, true],
    [4000, 4300, 50, false],
    [4000, 4500, 50, true],
    [10, 40, 50, false],
    [0, 100, 50, true],
  ])('moved(%s -> %s, floor %s) = %s', (prev, next, floor, want) => {
    expect(moved(prev, next, floor)).toBe(want);
  });

  it.each<[string, VmResourceStatus | undefined, VmResourceStatus, boolean]>([
    ['nothing written yet', undefined, base, true],
    ['the same figures, a later time', base, { ...base, computedAt: 'later' }, false],
    ['CPU demand up 5 %', base, { ...base, cpu: { ...base.cpu, demandMHz: 4200 } }, false],
    ['CPU usage down 25 %', base, { ...base, cpu: { ...base.cpu, usageMHz: 3000 } }, true],
    ['ready up 2 points', base, { ...base, cpu: { ...base.cpu, readyPercent: 2 } }, true],
    ['ballooning starts', base, { ...base, memory: { ...base.memory, balloonMiB: 512 } }, true],
    ['another pool', base, { ...base, pool: 'q' }, true],
  ])('%s', (_what, prev, next, want) => {
    expect(vmStatusChanged(prev, next)).toBe(want);
  });
});
