/** The noisy-neighbour experiment: VM boundaries keep A whole, a shared container boundary does not. */
import { describe, expect, it } from 'vitest';
import { noisyNeighbour } from './noisy-neighbour.js';

describe('noisyNeighbour', () => {
  const report = noisyNeighbour();

  it('finds a quiet moment and a burst of tenant B', () => {
    for (const c of [report.vmBoundary, report.containerBoundary]) {
      expect(c.quiet.tenantB.demandMillis).toBeCloseTo(4 * 500, 6);
      expect(c.burst.tenantB.demandMillis).toBeCloseTo(4 * 8000, 6);
      expect(c.quiet.tenantA.demandMillis).toBeCloseTo(4 * 2000, 6);
    }
  });

  it('keeps tenant A whole at the VM boundary', () => {
    const c = report.vmBoundary;
    expect(c.quiet.tenantA.gotMillis).toBeCloseTo(8000, 3);
    expect(c.burst.tenantA.gotMillis).toBeCloseTo(8000, 3);
    expect(c.tenantALossPercent).toBeLessThan(1e-6);
    expect(c.burst.tenantA.readyMs).toBeCloseTo(0, 6);
    // B's VM gets the rest of the host: 16 cores minus A's 8, not its 12 vCPUs' worth.
    expect(c.burst.tenantB.gotMillis).toBeCloseTo(8000, 3);
    const bVm = c.burst.vms.find((v) => v.name === 'tenant-b-vm');
    expect(bVm?.cpu.readyMs).toBeGreaterThan(0);
  });

  it('lets B take CPU from A at the container boundary', () => {
    const c = report.containerBoundary;
    expect(c.quiet.tenantA.gotMillis).toBeCloseTo(8000, 3);
    // CFS by requests (1 CPU vs 2 CPUs per pod) over 16 cores: A gets 16/3 cores.
    expect(c.burst.tenantA.gotMillis).toBeCloseTo(16000 / 3, 3);
    expect(c.tenantALossPercent).toBeCloseTo(100 / 3, 3);
    expect(c.burst.tenantA.readyMs).toBeGreaterThan(0);
  });

  it('shows the difference between the two boundaries', () => {
    expect(report.containerBoundary.tenantALossPercent - report.vmBoundary.tenantALossPercent).toBeGreaterThan(25);
  });

  it('is deterministic and depends on the seed only through the burst time', () => {
    expect(noisyNeighbour()).toEqual(report);
    const other = noisyNeighbour({ seed: 99 });
    expect(other.containerBoundary.tenantALossPercent).toBeCloseTo(report.containerBoundary.tenantALossPercent, 6);
  });
});
