/** Inside the VM: CFS shares from requests, hard limits, idle CPU taken by whoever wants it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CFS_MIN_SHARES, cfsShares, divideVmCpu, podCpu } from './cfs.js';
import type { ContainerLoad } from './pod-demand.js';

function load(pod: string, requestMillis: number, demandMillis: number, limitMillis?: number): ContainerLoad {
  return { pod, container: 'c', tenant: pod.split('-')[0], requestMillis, limitMillis, demandMillis, memoryRequestMiB: 0, memoryLimitMiB: 256, memoryDemandMiB: 300 };
}

describe('cfsShares', () => {
  it('is the kubelet conversion with its floor of 2', () => {
    expect(cfsShares(1000)).toBe(1024);
    expect(cfsShares(250)).toBe(256);
    expect(cfsShares(0)).toBe(CFS_MIN_SHARES);
    expect(cfsShares(1)).toBe(CFS_MIN_SHARES);
  });
});

describe('divideVmCpu', () => {
  it('divides a contended VM by requests', () => {
    // 3 cores of VM CPU at 2000 MHz = 6000 MHz; requests 1:2, both want 4 cores.
    const got = divideVmCpu([load('a-1', 1000, 4000), load('b-1', 2000, 4000)], 6000, 2000);
    expect(got.map((g) => g.gotMillis)).toEqual([1000, 2000]);
    expect(got[0]?.gotMHz).toBeCloseTo(2000, 6);
    expect(got[0]?.readyMs).toBeCloseTo(3 * 20_000, 6);
  });

  it('lets a container use idle CPU beyond its request, up to its limit, the rest to the others', () => {
    const got = divideVmCpu([load('a-1', 100, 4000, 1500), load('b-1', 100, 4000)], 8000, 2000);
    expect(got.map((g) => g.gotMillis)).toEqual([1500, 2500]);
  });

  it('holds memory usage to the container limit', () => {
    expect(divideVmCpu([load('a-1', 100, 100)], 2000, 2000)[0]?.memoryUsageMiB).toBe(256);
  });

  it('never hands out more than the VM got, nor more than asked, and leaves nothing idle that is wanted', () => {
    const c = fc.record({ req: fc.integer({ min: 0, max: 4000 }), demand: fc.integer({ min: 0, max: 8000 }), limit: fc.option(fc.integer({ min: 0, max: 8000 })) });
    fc.assert(
      fc.property(fc.array(c, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 40_000 }), (cs, vmMHz) => {
        const loads = cs.map((x, i) => load(`p-${i}`, x.req, x.demand, x.limit ?? undefined));
        const got = divideVmCpu(loads, vmMHz, 2000);
        const wanted = cs.reduce((a, x) => a + Math.min(x.demand, x.limit ?? Infinity), 0);
        const total = got.reduce((a, g) => a + g.gotMillis, 0);
        expect(total).toBeCloseTo(Math.min(wanted, vmMHz / 2), 3);
        got.forEach((g, i) => expect(g.gotMillis).toBeLessThanOrEqual(Math.min(cs[i]?.demand ?? 0, cs[i]?.limit ?? Infinity) + 1e-6));
      }),
    );
  });
});

describe('podCpu', () => {
  it('sums containers per pod', () => {
    const shares = divideVmCpu([load('a-1', 1000, 1000), load('a-1', 1000, 500), load('b-1', 1000, 700)], 10_000, 2000);
    expect(podCpu(shares)).toEqual([
      { pod: 'a-1', tenant: 'a', demandMillis: 1500, gotMillis: 1500, readyMs: 0 },
      { pod: 'b-1', tenant: 'b', demandMillis: 700, gotMillis: 700, readyMs: 0 },
    ]);
  });
});
