import { describe, expect, it } from 'vitest';
import { makeHost, makeVm, makeZone } from './fixtures.js';
import { evenShare, fitNuma, minimumSpan, numaShares, popcount } from './numa.js';
import { ClusterSnapshot } from './snapshot.js';

const GiB = 1024;

describe('evenShare', () => {
  it.each([
    [10, 3, [4, 3, 3]],
    [9, 3, [3, 3, 3]],
    [1, 2, [1, 0]],
    [32, 2, [16, 16]],
  ])('%i over %i nodes', (total, k, want) => {
    const shares = want.map((_, j) => evenShare(total, k, j));
    expect(shares).toEqual(want);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('fitNuma', () => {
  const snap = ClusterSnapshot.build({
    zones: [makeZone('z1', 'shared', 200, 100)],
    hosts: [
      makeHost('big', { nodes: [[32, 64 * GiB], [8, 256 * GiB]] }),
      makeHost('eight', { nodes: Array.from({ length: 8 }, () => [4, 8 * GiB] as const) }),
    ],
  });
  const big = snap.host('big');
  const eight = snap.host('eight');
  if (big === undefined || eight === undefined) throw new Error('hosts');

  it('judges "fits one node" per node, cores and memory together', () => {
    // 16 vCPUs/100 GiB fits neither node alone (node 0 lacks memory, node 1 cores): spans both.
    expect(popcount(fitNuma(big, 16, 100 * GiB, 'pack'))).toBe(2);
    expect(fitNuma(big, 16, 60 * GiB, 'pack')).toBe(0b01);
    expect(fitNuma(big, 4, 200 * GiB, 'pack')).toBe(0b10);
  });

  it('uses overcommitted node capacity for room but physical size for the span', () => {
    // 200 % CPU: a 4-core node holds 8 vCPUs, but a 6-vCPU VM is wider than 4 cores and spans 2.
    expect(popcount(fitNuma(eight, 6, GiB, 'pack'))).toBe(2);
    expect(minimumSpan(eight, 6, GiB)).toBe(2);
    expect(minimumSpan(eight, 30, GiB)).toBe(8);
    expect(minimumSpan(eight, 33, GiB)).toBe(0);
  });

  it('splits a wide VM evenly over its nodes, remainder first', () => {
    const shares = numaShares(eight, fitNuma(eight, 10, 12 * GiB, 'pack'), 10, 12 * GiB);
    expect(shares.map((s) => s.vcpus)).toEqual([4, 3, 3]);
    expect(shares.map((s) => s.memoryMiB)).toEqual([4 * GiB, 4 * GiB, 4 * GiB]);
  });

  it('finds the minimum span on a host with partly used nodes', () => {
    const s = ClusterSnapshot.build({
      zones: [makeZone('z1', 'shared', 100, 100)],
      hosts: [makeHost('h', { nodes: Array.from({ length: 4 }, () => [8, 32 * GiB] as const) })],
      vms: [makeVm('a', { host: 'h', cpus: 6, numaNodes: [0] }), makeVm('b', { host: 'h', cpus: 6, numaNodes: [2] })],
    });
    const h = s.host('h');
    if (h === undefined) throw new Error('h');
    // 16 vCPUs: nodes 1 and 3 are empty (8 + 8), the only 2-node set with room.
    expect(fitNuma(h, 16, GiB, 'pack')).toBe(0b1010);
    // 20 vCPUs over 3 nodes needs 7,7,6: no 3-node set has that, so all 4 (5 each) would be needed, but 0 and 2 have 2 left.
    expect(fitNuma(h, 20, GiB, 'pack')).toBe(0);
  });
});
