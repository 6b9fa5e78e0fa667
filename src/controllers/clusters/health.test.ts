// The resurrector's meltdown rule, table-driven from the BOSH defaults.
import { describe, expect, it } from 'vitest';
import { pruneAlerts, resurrectionState } from './health.js';

describe('resurrectionState', () => {
  it.each([
    [0, 10, 'normal'],
    [1, 10, 'managed'],
    [4, 10, 'managed'], // fewer than 5 down
    [5, 10, 'meltdown'],
    [5, 26, 'managed'], // 5 down but under 20 %
    [6, 30, 'meltdown'], // exactly 20 %
    [20, 1000, 'managed'],
  ] as const)('%i of %i down -> %s', (down, total, state) => {
    expect(resurrectionState(down, total).state).toBe(state);
  });
});

describe('pruneAlerts', () => {
  it('keeps only alerts younger than the 600 s window', () => {
    const now = Date.UTC(2026, 0, 1, 1);
    const at = (s: number) => new Date(now - s * 1000).toISOString();
    expect(Object.keys(pruneAlerts({ a: at(10), b: at(599), c: at(600), d: at(5000) }, now))).toEqual(['a', 'b']);
  });
});
