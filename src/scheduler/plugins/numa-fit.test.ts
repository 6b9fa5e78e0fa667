import { describe, expect, it } from 'vitest';
import { makeHost, makeVm, makeZone } from '../fixtures.js';
import { CycleState } from '../plugin.js';
import { runFilterConformance } from '../plugin.conformance.js';
import { ClusterSnapshot } from '../snapshot.js';
import { NumaFit } from './numa-fit.js';

const GiB = 1024;
const two = [
  [16, 128 * GiB],
  [16, 128 * GiB],
] as const;
const four = [
  [16, 64 * GiB],
  [16, 64 * GiB],
  [16, 64 * GiB],
  [16, 64 * GiB],
] as const;
// No overcommit so node capacity equals node size.
const snapshot = ClusterSnapshot.build({
  zones: [makeZone('z1', 'shared', 100, 100)],
  hosts: [
    makeHost('empty', { nodes: two }),
    makeHost('fragmented', { nodes: two }),
    makeHost('half', { nodes: two }),
    makeHost('quad', { nodes: four }),
    makeHost('uneven', { nodes: two }),
  ],
  vms: [
    // 10 cores free on each node of `fragmented`: 20 free in total, no node with 12.
    makeVm('f0', { host: 'fragmented', cpus: 6, memoryMiB: 8 * GiB, numaNodes: [0] }),
    makeVm('f1', { host: 'fragmented', cpus: 6, memoryMiB: 8 * GiB, numaNodes: [1] }),
    makeVm('h0', { host: 'half', cpus: 16, memoryMiB: 64 * GiB, numaNodes: [0] }),
    makeVm('u0', { host: 'uneven', cpus: 4, memoryMiB: 16 * GiB, numaNodes: [0] }),
  ],
});

describe('NumaFit filter', () => {
  runFilterConformance(() => new NumaFit(), [
    { name: 'small VM on an empty host', snapshot, vm: makeVm('v', { cpus: 8 }), host: 'empty', want: 'Success' },
    { name: 'a node-sized VM fits one node', snapshot, vm: makeVm('v', { cpus: 16, memoryMiB: 128 * GiB }), host: 'empty', want: 'Success' },
    {
      name: 'fragmented host refuses a small VM the host total could hold',
      snapshot,
      vm: makeVm('v', { cpus: 12 }),
      host: 'fragmented',
      want: 'NumaNoFit',
      code: 'Unschedulable',
    },
    { name: 'fragmented host takes a VM that fits a node', snapshot, vm: makeVm('v', { cpus: 10 }), host: 'fragmented', want: 'Success' },
    { name: 'wide VM spans both nodes of an empty host', snapshot, vm: makeVm('v', { cpus: 32 }), host: 'empty', want: 'Success' },
    { name: 'wide VM needs room on every spanned node', snapshot, vm: makeVm('v', { cpus: 20 }), host: 'half', want: 'NumaNoFit' },
    { name: 'memory-wide VM spans nodes', snapshot, vm: makeVm('v', { cpus: 2, memoryMiB: 200 * GiB }), host: 'empty', want: 'Success' },
    { name: 'VM wider than the host', snapshot, vm: makeVm('v', { cpus: 33 }), host: 'empty', want: 'NumaNoFit' },
  ]);
});

function chosen(plugin: NumaFit, host: string, cpus: number, memoryMiB = 4 * GiB): number[] {
  const state = new CycleState();
  state.reset(snapshot.hostCount, 1);
  const h = snapshot.host(host);
  if (h === undefined) throw new Error(host);
  plugin.filter(state, snapshot.compile(makeVm('v', { cpus, memoryMiB })), h);
  const mask = state.numaFor(h.slot);
  return [0, 1, 2, 3].filter((i) => (mask & (1 << i)) !== 0);
}

describe('NumaFit node choice', () => {
  it('records exactly one node for a VM that fits one', () => {
    expect(chosen(new NumaFit(), 'empty', 4)).toHaveLength(1);
    expect(chosen(new NumaFit(), 'quad', 16, 64 * GiB)).toHaveLength(1);
  });

  it('spans the minimum number of nodes for a wide VM', () => {
    expect(chosen(new NumaFit(), 'quad', 40)).toHaveLength(3);
    expect(chosen(new NumaFit(), 'quad', 17)).toHaveLength(2);
    expect(chosen(new NumaFit(), 'quad', 64)).toEqual([0, 1, 2, 3]);
    expect(chosen(new NumaFit(), 'quad', 4, 130 * GiB)).toHaveLength(3);
  });

  it('pack takes the fullest node that fits, spread the emptiest', () => {
    expect(chosen(new NumaFit('pack'), 'uneven', 4)).toEqual([0]);
    expect(chosen(new NumaFit('spread'), 'uneven', 4)).toEqual([1]);
    // node 0 of `half` has no core left: both policies must use node 1
    expect(chosen(new NumaFit('pack'), 'half', 4)).toEqual([1]);
    // equal nodes: the lowest index, deterministically
    expect(chosen(new NumaFit('pack'), 'empty', 2)).toEqual([0]);
  });
});

describe('NumaFit score', () => {
  function score(plugin: NumaFit, host: string, cpus: number, memoryMiB = 4 * GiB): number {
    const state = new CycleState();
    state.reset(snapshot.hostCount, 1);
    const h = snapshot.host(host);
    if (h === undefined) throw new Error(host);
    const req = snapshot.compile(makeVm('v', { cpus, memoryMiB }));
    plugin.filter(state, req, h);
    return plugin.score(state, req, h);
  }

  it('pack prefers the tighter fit, spread the roomier one', () => {
    expect(score(new NumaFit('pack'), 'fragmented', 4)).toBeGreaterThan(score(new NumaFit('pack'), 'empty', 4));
    expect(score(new NumaFit('spread'), 'empty', 4)).toBeGreaterThan(score(new NumaFit('spread'), 'fragmented', 4));
  });

  it('scores within 0..100', () => {
    for (const h of ['empty', 'fragmented', 'half', 'quad']) {
      const s = score(new NumaFit(), h, 8);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(100);
    }
  });

  it('normalises the best of the sample to 100', () => {
    const xs = Float64Array.from([20, 40, 10]);
    new NumaFit().normalize(xs, 3);
    expect([...xs]).toEqual([50, 100, 25]);
  });
});
