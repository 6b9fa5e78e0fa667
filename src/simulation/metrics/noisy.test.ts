import { describe, expect, it } from 'vitest';
import { smallScenario } from '../fixtures.test-util.js';
import { parseScenario } from '../scenario/parse.js';
import type { ScenarioCluster } from '../scenario/types.js';
import type { Machine, NodeState, PodState, WorkloadState } from '../engine/world.js';
import { burstsBetween, type BurstyProfile } from '../../resources/index.js';
import type { PodFigures } from './contention.js';
import { NoisyAccumulator } from './noisy.js';

// Hand-built pods on hand-built nodes: the accounting alone, without the engine.
const scenario = parseScenario(smallScenario());
const [web, job] = scenario.workloads;
const cluster = scenario.clusters[0] as ScenarioCluster;
const profile = job?.demand as BurstyProfile;
const burst = burstsBetween(profile, scenario.startMs, scenario.startMs + 86_400_000)[0];
const burstAt = burst?.startMs ?? 0;
const quietAt = (burst?.startMs ?? 0) - 1;

function node(name: string, host: string): NodeState {
  const n = { name, cluster, role: 'worker', machine: { host } as Machine, ready: true, pods: new Set(), lossEpoch: 0 } as NodeState;
  return n;
}
function workload(spec: WorkloadState['spec']): WorkloadState {
  return { spec, replicas: 1, loadPercent: 100, pods: [], nextIndex: 1 };
}
const W = workload(web as WorkloadState['spec']);
const J = workload(job as WorkloadState['spec']);
const pod = (w: WorkloadState, n: NodeState): PodState => ({ name: 'p', key: 'k', workload: w, object: {} as PodState['object'], node: n, running: true, bindEpoch: 1, removed: false });
const fig = (p: PodState, demand: number, got: number): PodFigures => ({ pod: p, demandMillis: demand, gotMillis: got });

describe('NoisyAccumulator', () => {
  it('blames a burst for loss at the container boundary beyond the victim quiet-time loss', () => {
    const n1 = node('n1', 'h1');
    const acc = new NoisyAccumulator();
    // Quiet: the victim already loses 10 %.
    acc.add([fig(pod(W, n1), 1000, 900)], [W, J], quietAt);
    // Burst on the same node: it loses 40 %.
    const bursting = acc.add([fig(pod(W, n1), 1000, 600), fig(pod(J, n1), 6000, 4000)], [W, J], burstAt);
    expect(bursting).toEqual([J.spec.key]);
    const f = acc.figures();
    expect(f.burstSamples).toBe(1);
    expect(f.containerBoundaryPercent).toBeCloseTo(30);
    expect(f.vmBoundaryPercent).toBeUndefined();
    expect(f.crossTenantPercent).toBeUndefined();
  });

  it('files a victim on another node of the same host under the VM boundary and, for another tenant, cross-tenant', () => {
    const acc = new NoisyAccumulator();
    acc.add([fig(pod(W, node('n1', 'h1')), 1000, 1000)], [W, J], quietAt);
    acc.add([fig(pod(W, node('n1', 'h1')), 1000, 950), fig(pod(J, node('n2', 'h1')), 6000, 6000)], [W, J], burstAt);
    const f = acc.figures();
    expect(f.vmBoundaryPercent).toBeCloseTo(5);
    expect(f.crossTenantPercent).toBeCloseTo(5);
    expect(f.containerBoundaryPercent).toBeUndefined();
  });

  it('finds no impact for a victim on another host', () => {
    const acc = new NoisyAccumulator();
    acc.add([fig(pod(W, node('n1', 'h1')), 1000, 1000)], [W, J], quietAt);
    acc.add([fig(pod(W, node('n1', 'h1')), 1000, 1000), fig(pod(J, node('n2', 'h2')), 6000, 6000)], [W, J], burstAt);
    expect(acc.figures()).toMatchObject({ crossTenantPercent: 0, vmBoundaryPercent: undefined, containerBoundaryPercent: undefined });
  });
});
