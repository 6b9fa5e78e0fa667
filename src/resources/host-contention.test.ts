/** CPU ready and memory pressure formulas. */
import { describe, expect, it } from 'vitest';
import { cpuReadyMs, cpuReadyPercent, memoryPressure } from './host-contention.js';

describe('cpuReadyMs', () => {
  it('counts unmet demand in cores over the 20 s sample, summed over vCPUs', () => {
    expect(cpuReadyMs(6000, 4000, 2000)).toBe(20_000);
    expect(cpuReadyMs(4000, 4000, 2000)).toBe(0);
    expect(cpuReadyMs(1000, 1500, 2000)).toBe(0);
  });

  it('converts to percent per vCPU as the VMware KB does (5000 ms on 4 vCPUs = 6.25 %)', () => {
    expect(cpuReadyPercent(5000, 4)).toBeCloseTo(6.25, 9);
    expect(cpuReadyPercent(5000, 1)).toBeCloseTo(25, 9);
  });
});

describe('memoryPressure', () => {
  it('balloons first, up to 65 % of configured memory, then swaps', () => {
    expect(memoryPressure(4000, 3000, 4096, 0)).toEqual({ balloonMiB: 1000, swapMiB: 0 });
    const p = memoryPressure(4096, 0, 4096, 0);
    expect(p.balloonMiB).toBeCloseTo(0.65 * 4096, 9);
    expect(p.swapMiB).toBeCloseTo(0.35 * 4096, 9);
  });

  it('never balloons reserved memory', () => {
    expect(memoryPressure(4096, 3000, 4096, 3500)).toEqual({ balloonMiB: 596, swapMiB: 500 });
  });
});
