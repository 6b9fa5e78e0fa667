import { describe, expect, it } from 'vitest';
import type { DesignSummary } from './summary.js';
import { verdict } from './verdict.js';

function summary(o: Partial<DesignSummary> = {}): DesignSummary {
  return {
    hostsSimulated: 10,
    hostsNeeded: 10,
    cpuMeanPercent: 30,
    cpuPeakPercent: 50,
    memoryMeanPercent: 10,
    neededCpuMeanPercent: 30,
    neededCpuPeakPercent: 50,
    cpuReadyMeanPercent: 0,
    cpuReadyMaxPercent: 0,
    podShortfallMeanPercent: 1,
    imbalanceFirst: undefined,
    imbalanceLast: undefined,
    imbalanceMean: undefined,
    migrations: 0,
    recovery: { failures: 1, detectionMeanMs: 15_000, machinesMeanMs: 60_000, machinesMaxMs: 60_000, podsMeanMs: 65_000, podsMaxMs: 65_000, unrecovered: 0, tenantsAffectedMean: 2, tenantsAffectedMax: 2 },
    tenantsPerHostMax: 3,
    tenantsPerHostMean: 2,
    isolationViolations: 0,
    pendingPodsMax: 0,
    noisyCrossTenantPercent: 0,
    noisyContainerPercent: 10,
    noisyVmBoundaryPercent: 0,
    ...o,
  };
}

const row = (rows: ReturnType<typeof verdict>, prefix: string) => rows.find((r) => r.metric.startsWith(prefix));

describe('verdict', () => {
  it.each([
    // metric prefix, VM figures, bare-metal figures, winner
    ['Hosts needed', { hostsNeeded: 8 }, { hostsNeeded: 40 }, 'containers on VMs'],
    ['Hosts needed', { hostsNeeded: 8 }, { hostsNeeded: 8 }, 'tie'],
    ['Mean CPU utilization', { neededCpuMeanPercent: 20 }, { neededCpuMeanPercent: 40 }, 'bare metal'],
    ['Mean CPU utilization', { neededCpuMeanPercent: 20 }, { neededCpuMeanPercent: 20.5 }, 'tie'],
    ['Noisy neighbour at the container', { noisyContainerPercent: 12 }, { noisyContainerPercent: 0 }, 'bare metal'],
    ["Noisy neighbour: tenant A's", { noisyCrossTenantPercent: 0.2 }, { noisyCrossTenantPercent: 0 }, 'tie'],
    ["Noisy neighbour: tenant A's", { noisyCrossTenantPercent: undefined }, { noisyCrossTenantPercent: 0 }, 'n/a'],
    ['Tenants affected', { tenantsPerHostMax: 3 }, { tenantsPerHostMax: 1 }, 'bare metal'],
  ] as const)('%s: %o vs %o -> %s', (prefix, vm, bm, winner) => {
    expect(row(verdict(summary(vm), summary(bm)), prefix)?.winner).toBe(winner);
  });

  it('judges recovery by the worst failure, and a failure never recovered loses', () => {
    const vm = summary();
    const bm = summary({ recovery: { ...summary().recovery, podsMaxMs: 345_000, machinesMaxMs: 940_000 } });
    expect(row(verdict(vm, bm), 'Recovery after')).toMatchObject({ winner: 'containers on VMs', vm: '65 s', bareMetal: '5.8 min' });
    const stuck = summary({ recovery: { ...summary().recovery, unrecovered: 1 } });
    expect(row(verdict(stuck, bm), 'Recovery after')).toMatchObject({ winner: 'bare metal', vm: 'not recovered', values: { vm: undefined, bareMetal: 345_000 } });
  });

  it('says n/a for recovery when no host failed', () => {
    const none = summary({ recovery: { ...summary().recovery, failures: 0 } });
    expect(row(verdict(none, none), 'Recovery after')?.winner).toBe('n/a');
  });
});
