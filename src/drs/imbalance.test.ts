/** The imbalance model: target and priority formulas, loads, weights. */
import { describe, expect, it } from 'vitest';
import { host, vm, zone } from './drs.test-util.js';
import { balancePriority, measureImbalance, stddev, targetImbalance, utilizationWeights } from './imbalance.js';

describe('targetImbalance', () => {
  it.each([
    [1, 4, Number.POSITIVE_INFINITY],
    [2, 4, 0.15],
    [3, 4, 0.1],
    [4, 4, 0.05],
    [5, 4, 0],
    [3, 16, 0.05],
    [3, 1_000, 0.2 / Math.sqrt(1_000)],
  ])('threshold %i on %i hosts is %f', (t, n, want) => {
    expect(targetImbalance(t, n)).toBeCloseTo(want, 12);
  });

  it('is consistent with the KB priority formula: just above target gives priority = threshold', () => {
    for (const n of [2, 4, 16, 64, 1_000]) {
      for (const t of [2, 3, 4]) {
        expect(balancePriority(targetImbalance(t, n) * 1.001, n)).toBe(t);
        expect(balancePriority(targetImbalance(t, n) * 0.999, n)).toBe(t + 1);
      }
    }
  });

  it('rejects thresholds outside 1..5', () => {
    expect(() => targetImbalance(0, 4)).toThrow(/threshold/);
    expect(() => targetImbalance(2.5, 4)).toThrow(/threshold/);
  });
});

describe('measureImbalance', () => {
  it('is the weighted sum of per-resource standard deviations of normalized entitlement', () => {
    const m = measureImbalance(zone([12, 8, 4, 0]));
    expect(m.cpu).toBeCloseTo(stddev([0.6, 0.4, 0.2, 0]), 12);
    expect(m.memory).toBeCloseTo(stddev([0.375, 0.25, 0.125, 0]), 12);
    // Utilization 0.3 CPU, 0.1875 memory => weights 8/13 and 5/13.
    expect(m.imbalance).toBeCloseTo((8 / 13) * m.cpu + (5 / 13) * m.memory, 12);
    expect(m.hosts[0]).toMatchObject({ host: 'h1', cpu: 0.6, memory: 0.375 });
  });

  it('normalizes by each host capacity and leaves hosts in maintenance out', () => {
    const state = {
      hosts: [host('big', { cpuMHz: 80_000, memoryMiB: 512 * 1024 }), host('small'), host('off', { mode: 'maintenance' as const })],
      vms: [vm('a', 'big', 8_000, 64), vm('b', 'small', 4_000, 32), vm('c', 'off', 40_000, 256)],
    };
    const m = measureImbalance(state, { cpu: 0.5, memory: 0.5 });
    expect(m.hosts.map((h) => h.host)).toEqual(['big', 'small']);
    expect(m.imbalance).toBe(0);
  });

  it('weighs an idle zone evenly', () => {
    expect(utilizationWeights({ hosts: [host('h1')], vms: [] })).toEqual({ cpu: 0.5, memory: 0.5 });
  });
});
