/** vSphere's restart retry spacing. */
import { describe, expect, it } from 'vitest';
import { nextAttemptAt, retryOffsets, VSPHERE_RETRY } from './retry.js';

const MIN = 60_000;

describe('retry schedule', () => {
  it('is T0, +2, +6, +14, +30 minutes: 5 attempts', () => {
    expect(retryOffsets()).toEqual([0, 2 * MIN, 6 * MIN, 14 * MIN, 30 * MIN]);
    expect(nextAttemptAt(1, 0)).toBe(2 * MIN);
    expect(nextAttemptAt(5, 0)).toBeUndefined();
  });

  it('follows a custom policy', () => {
    expect(retryOffsets({ ...VSPHERE_RETRY, maxAttempts: 3, firstDelayMs: 1_000, factor: 3 })).toEqual([0, 1_000, 4_000]);
    expect(() => retryOffsets({ ...VSPHERE_RETRY, maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
