// The what-if's behaviour end to end (no CLI): determinism, HA recovery after a host failure,
// the bare-metal comparison, the noisy-neighbour boundary, DRS after a skewed start.
import { describe, expect, it } from 'vitest';
import { EXAMPLES, smallScenario, variant } from './fixtures.test-util.js';
import { loadScenarioFile, parseScenario, simulate } from './index.js';
import { runDesign } from './engine/run.js';
import type { DesignResult } from './metrics/types.js';

const meanImbalance = (r: DesignResult, from: number, to: number): number => {
  const xs = r.samples.slice(from, to).map((s) => Object.values(s.imbalance)[0] ?? 0);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};

describe('determinism', () => {
  it('gives the identical report for the same seed, and a different one for another seed', async () => {
    const scenario = await loadScenarioFile('examples/host-failure.yaml');
    const a = JSON.stringify((await simulate(scenario, { compare: 'bare-metal' })).report);
    const b = JSON.stringify((await simulate(scenario, { compare: 'bare-metal' })).report);
    expect(b).toBe(a);
    const c = JSON.stringify((await simulate(scenario, { compare: 'bare-metal', seed: 99 })).report);
    expect(c).not.toBe(a);
  }, 60_000);
});

describe('a host failure', () => {
  it('is recovered by HA in the VM design: detected at 15 s, VMs back after clone + boot, pods after them, no isolation violation', async () => {
    const { results } = await simulate(await loadScenarioFile('examples/host-failure.yaml'), { compare: 'bare-metal' });
    const vm = results.find((r) => r.design === 'vm') as DesignResult;
    const f = vm.failures[0];
    expect(vm.failures).toHaveLength(1);
    expect(f?.machinesLost).toBeGreaterThan(0);
    expect(f?.podsLost).toBeGreaterThan(0);
    expect((f?.detectedAtMs ?? 0) - (f?.atMs ?? 0)).toBe(15_000);
    // Restart = detection + clone (10 s) + boot (30 s), each +-15 % jitter.
    expect(f?.machinesRecoveredMs).toBeGreaterThan(15_000 + 34_000);
    expect(f?.machinesRecoveredMs).toBeLessThan(15_000 + 46_000);
    expect(f?.podsRecoveredMs).toBeGreaterThan(f?.machinesRecoveredMs ?? Infinity);
    expect(f?.podsRecoveredMs).toBeLessThan(90_000);
    expect(vm.counters.haRestarts).toBe(f?.machinesLost);
    expect(vm.samples.every((s) => s.isolationViolations === 0)).toBe(true);
    // After recovery every pod runs again.
    expect(vm.samples.at(-1)?.runningPods).toBe(17);

    const bm = results.find((r) => r.design === 'bare-metal') as DesignResult;
    const g = bm.failures[0];
    expect(g?.tenantsAffected).toEqual(['acme']);
    expect((g?.detectedAtMs ?? 0) - (g?.atMs ?? 0)).toBe(40_000);
    // Pods: evicted after 40 s + 300 s, running 5 s later on the cluster's other nodes.
    expect(g?.podsRecoveredMs).toBe(345_000);
    // The node: NotReady after 40 s, then 15 min of reprovisioning.
    expect(g?.machinesRecoveredMs).toBe(40_000 + 15 * 60_000);
    expect(bm.samples.every((s) => s.isolationViolations === 0)).toBe(true);
  }, 60_000);

  it('leaves pods down until eviction when HA is disabled', async () => {
    const s = parseScenario(variant((d) => Object.assign(d.spec, { ha: { enabled: false }, timeline: [{ at: '30m', action: 'failHost', node: 'ca-w-0' }] })));
    const r = await runDesign(s, 'vm');
    expect(r.counters.haRestarts).toBe(0);
    expect(r.failures[0]?.machinesRecoveredMs).toBeUndefined();
    expect(r.failures[0]?.podsRecoveredMs).toBe(345_000);
  }, 60_000);
});

describe('bare metal against VMs', () => {
  it('needs more hosts for the shipped multi-tenant example, one tenant per host', async () => {
    const { report } = await simulate(await loadScenarioFile('examples/whatif-datacenter.yaml'), { compare: 'bare-metal' });
    const [vm, bm] = report.designs;
    expect(vm?.design).toBe('vm');
    expect(bm?.summary.hostsNeeded).toBeGreaterThan(vm?.summary.hostsNeeded ?? Infinity);
    expect(bm?.summary.tenantsPerHostMax).toBe(1);
    expect(vm?.summary.isolationViolations).toBe(0);
    expect(bm?.summary.isolationViolations).toBe(0);
    expect(report.verdict?.find((v) => v.metric.startsWith('Hosts needed'))?.winner).toBe('containers on VMs');
  }, 60_000);
});

describe('noisy neighbour', () => {
  it('costs ~0 across the VM boundary and CPU at the container boundary', async () => {
    const r = await runDesign(await loadScenarioFile('examples/noisy-neighbour.yaml'), 'vm');
    expect(r.noisy.burstSamples).toBeGreaterThan(0);
    expect(r.noisy.crossTenantPercent).toBeLessThan(0.5);
    expect(r.noisy.containerBoundaryPercent).toBeGreaterThan(5);
  }, 60_000);

  it('reaches across VMs when the zone overcommits CPU and the bursts saturate the host', async () => {
    // One host, 4:1 overcommit, both tenants' workers on it: the hypervisor divides the host by
    // shares, so the burst takes CPU from the other tenant's VMs once they want more than their share.
    const s = parseScenario(
      variant((d) => {
        const zone = ((d.spec.topology as { zones: Record<string, unknown>[] }).zones[0] ?? {}) as Record<string, unknown>;
        Object.assign(zone, { cpuOvercommitPercent: 400, hostGroups: [{ count: 1, namePrefix: 'h-', sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 16, memoryMiB: 262144, nicMbps: 25000 }] });
        // The victim wants more than its VMs' fair share of the host when the job bursts.
        Object.assign((d.spec.workloads as Record<string, unknown>[])[0] ?? {}, { limits: { cpu: '4' }, demand: { kind: 'constant', cpuMillis: 3500, memoryMiB: 1024 } });
      }),
    );
    const r = await runDesign(s, 'vm');
    expect(r.noisy.crossTenantPercent).toBeGreaterThan(5);
    expect(Math.max(...r.samples.map((x) => x.cpuReadyMaxPercent))).toBeGreaterThan(0);
  }, 60_000);
});

describe('DRS', () => {
  // Constant load of six small workers packed onto few hosts: DRS should spread it; without DRS it stays skewed.
  const skewed = (drs: boolean) =>
    parseScenario(
      variant((d) => {
        d.spec.initialPlacement = 'pack';
        d.spec.drs = { enabled: drs };
        d.spec.plans = [{ name: 'p', controlPlane: { nodes: 1, cpus: 2, memoryMiB: 4096 }, worker: { cpus: 4, memoryMiB: 16384 } }];
        d.spec.clusters = [{ name: 'ca', tenant: 'a', plan: 'p', workers: 6 }];
        d.spec.workloads = [{ name: 'web', cluster: 'ca', replicas: 12, requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2' }, demand: { kind: 'constant', cpuMillis: 1500, memoryMiB: 1024 } }];
        d.spec.topology = {
          zones: [{ name: 'zone-a', hostGroups: [{ count: 6, namePrefix: 'h-', sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 8, memoryMiB: 131072, nicMbps: 25000 }] }],
        };
      }, smallScenario()),
    );

  it('lowers the imbalance after a skewed start by migrating VMs', async () => {
    const r = await runDesign(skewed(true), 'vm');
    expect(r.counters.migrations).toBeGreaterThan(0);
    expect(r.counters.failedMigrations).toBe(0);
    expect(meanImbalance(r, -20, r.samples.length)).toBeLessThan(0.5 * meanImbalance(r, 0, 3));
    expect(r.samples.every((s) => s.isolationViolations === 0)).toBe(true);
  }, 60_000);

  it('leaves the skew in place when disabled', async () => {
    const r = await runDesign(skewed(false), 'vm');
    expect(r.counters.migrations).toBe(0);
    expect(meanImbalance(r, -20, r.samples.length)).toBeGreaterThan(0.9 * meanImbalance(r, 0, 3));
  }, 60_000);
});

describe('every shipped example', () => {
  it.each(EXAMPLES)('%s runs both designs and produces figures', async (file) => {
    const { report } = await simulate(await loadScenarioFile(file), { compare: 'bare-metal' });
    expect(report.designs).toHaveLength(2);
    expect(report.verdict?.length).toBeGreaterThan(5);
    for (const d of report.designs) {
      expect(d.series.t.length).toBeGreaterThan(10);
      expect(d.summary.cpuMeanPercent).toBeGreaterThan(0);
      expect(d.summary.isolationViolations).toBe(0);
    }
  }, 60_000);
});
