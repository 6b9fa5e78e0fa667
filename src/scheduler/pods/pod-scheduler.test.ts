import { describe, expect, it } from 'vitest';
import { allocatable } from './allocatable.js';
import { nodeVm, pod, type NodeOpts, type PodOpts } from './fixtures.test-util.js';
import { PodScheduler } from './scheduler.js';
import { PodSnapshot } from './snapshot.js';
import { parseTaints, untolerated } from './taints.js';

function setup(nodes: [string, NodeOpts][], pods: [string, PodOpts][] = []) {
  const snap = new PodSnapshot(7);
  for (const [n, o] of nodes) snap.upsertNode(nodeVm(n, o));
  for (const [n, o] of pods) snap.observePod(pod(n, o));
  return { snap, sched: new PodScheduler(snap, { seed: 1 }) };
}

describe('allocatable (GKE-style reserve)', () => {
  it.each([
    [2, 4096, 1930, 2972],
    [4, 8192, 3920, 6248],
    [8, 32768, 7910, 29022],
  ])('%i vCPU / %i MiB -> %im, %i MiB', (cpus, mem, cpu, memAlloc) => {
    expect(allocatable(cpus, mem)).toEqual({ cpuMillis: cpu, memoryMiB: memAlloc });
  });
  it('keeps 255 MiB + eviction on tiny nodes', () => {
    expect(allocatable(1, 512).memoryMiB).toBe(512 - 355);
  });
});

describe('pod filters (one node, one pod)', () => {
  it.each<[string, NodeOpts, PodOpts, string | undefined]>([
    ['fits', {}, { cpu: '500m', memory: '512Mi' }, undefined],
    ['another cluster\u2019s node is never a candidate', { cluster: 'other' }, {}, 'none'],
    ['control-plane node', { role: 'control-plane' }, {}, 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane}'],
    ['node VM not running', { phase: 'Provisioning' }, {}, 'node(s) were not ready'],
    ['node VM lost', { phase: 'Lost' }, {}, 'node(s) were not ready'],
    ['cordoned', { labels: { 'bulkhead.dev/node-schedulable': 'false' } }, {}, 'node(s) were unschedulable'],
    ['draining', { annotations: { 'bulkhead.dev/drain': 'requested' } }, {}, 'node(s) were unschedulable'],
    ['cpu above allocatable', { cpus: 2 }, { cpu: '1950m' }, 'Insufficient cpu'],
    ['cpu at allocatable', { cpus: 2 }, { cpu: '1930m' }, undefined],
    ['memory above allocatable', { memoryMiB: 4096 }, { memory: '3Gi' }, 'Insufficient memory'],
    ['selector matches', { labels: { disk: 'ssd' } }, { nodeSelector: { disk: 'ssd' } }, undefined],
    ['selector does not match', { labels: { disk: 'hdd' } }, { nodeSelector: { disk: 'ssd' } }, "node(s) didn't match Pod's node affinity/selector"],
    ['untolerated taint', { annotations: { 'bulkhead.dev/taints': 'dedicated=gpu:NoSchedule' } }, {}, 'node(s) had untolerated taint {dedicated: gpu}'],
    ['tolerated taint', { annotations: { 'bulkhead.dev/taints': 'dedicated=gpu:NoSchedule' } }, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, undefined],
    ['PreferNoSchedule is only a preference', { annotations: { 'bulkhead.dev/taints': 'spot:PreferNoSchedule' } }, {}, undefined],
  ])('%s', (_name, nodeOpts, podOpts, reason) => {
    const { sched } = setup([['n1', nodeOpts]]);
    const r = sched.place(pod('p', podOpts));
    if (reason === undefined) {
      expect(r.ok).toBe(true);
      return;
    }
    expect(r.ok).toBe(false);
    if (reason === 'none') expect(r.explanation.message).toBe('0/0 nodes are available.');
    else expect(r.explanation.filtered).toEqual({ [reason]: 1 });
  });

  it("refuses a node VM of another tenant labelled with the pod's cluster", () => {
    const { snap, sched } = setup([['n1', { tenant: 'evil' }]]);
    snap.setClusterTenant('web', 'acme');
    const r = sched.place(pod('p'));
    expect(r.ok).toBe(false);
    expect(r.explanation.filtered).toEqual({ 'node(s) belonged to another tenant': 1 });
  });

  it('max pods per node comes from the plan', () => {
    const { snap, sched } = setup([['n1', {}]]);
    snap.setMaxPods('web', 2);
    expect(sched.place(pod('a')).ok).toBe(true);
    expect(sched.place(pod('b')).ok).toBe(true);
    const r = sched.place(pod('c'));
    expect(r.ok).toBe(false);
    expect(r.explanation.message).toBe('0/1 nodes are available: 1 Too many pods.');
  });

  it('counts reasons per node like kube-scheduler', () => {
    const nodes: [string, NodeOpts][] = [];
    for (let i = 0; i < 8; i++) nodes.push([`m${i}`, { memoryMiB: 2048 }]);
    for (let i = 0; i < 4; i++) nodes.push([`f${i}`, {}]);
    const { snap, sched } = setup(nodes);
    snap.setMaxPods('web', 110);
    for (let i = 0; i < 4; i++) for (let k = 0; k < 110; k++) snap.assume({ key: `x/${i}/${k}`, cluster: 'web', cpuMillis: 0, memoryMiB: 0, nodeSelector: [], tolerations: [], owner: undefined }, `f${i}`);
    const r = sched.place(pod('big', { memory: '3Gi' }));
    expect(r.explanation.message).toBe('0/12 nodes are available: 8 Insufficient memory, 4 Too many pods.');
  });

  it('accounts bound pods and forgets terminal ones', () => {
    const { snap } = setup([['n1', { cpus: 2 }]], [['a', { nodeName: 'n1', cpu: '1' }], ['b', { nodeName: 'n1', cpu: '500m', phase: 'Failed' }]]);
    expect(snap.node('n1')).toMatchObject({ reqCpu: 1000, pods: 1 });
    snap.observePod(pod('a', { nodeName: 'n1', cpu: '1', phase: 'Succeeded' }));
    expect(snap.node('n1')).toMatchObject({ reqCpu: 0, pods: 0 });
  });
});

describe('pod scores', () => {
  it('prefers the least allocated node', () => {
    const { sched } = setup([['busy', {}], ['idle', {}]], [['x', { nodeName: 'busy', cpu: '3', memory: '4Gi' }]]);
    const r = sched.place(pod('p', { cpu: '100m', memory: '100Mi' }));
    expect(r.ok && r.node.name).toBe('idle');
  });

  it('spreads replicas of one owner across hosts, then zones', () => {
    const nodes: [string, NodeOpts][] = [
      ['a1', { host: 'h1', zone: 'z1' }],
      ['a2', { host: 'h1', zone: 'z1' }],
      ['b1', { host: 'h2', zone: 'z1' }],
      ['c1', { host: 'h3', zone: 'z2' }],
    ];
    const { snap, sched } = setup(nodes);
    const hosts = new Set<string>();
    const zones = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = sched.place(pod(`r${i}`, { ownerUid: 'rs-1', cpu: '100m' }));
      expect(r.ok).toBe(true);
      if (r.ok) {
        hosts.add(r.node.host);
        zones.add(r.node.zone);
      }
    }
    expect(hosts.size).toBe(3);
    expect(zones.size).toBe(2);
    expect(snap.ownerCounts('ReplicaSet/rs-1').perHost.get('h1')).toBe(1);
  });

  it('explains a success with the top scores and replays from its seed', () => {
    const { sched } = setup([['n1', {}], ['n2', {}], ['n3', { phase: 'Lost' }]]);
    const r = sched.place(pod('p', { cpu: '1' }));
    expect(r.ok).toBe(true);
    expect(r.explanation.evaluated).toBe(3);
    expect(r.explanation.feasible).toBe(2);
    expect(r.explanation.filtered).toEqual({ 'node(s) were not ready': 1 });
    expect(r.explanation.topScores.length).toBe(2);
    expect(r.explanation.message).toMatch(/^bound to n\d \(host h-n\d\): 3\/3 nodes evaluated, 2 feasible/);
  });
});

describe('taints', () => {
  it('parses the annotation and applies Exists/Equal tolerations', () => {
    const t = parseTaints('a=b:NoSchedule, c:NoExecute,bad,d=e:Nope');
    expect(t).toEqual([{ key: 'a', value: 'b', effect: 'NoSchedule' }, { key: 'c', value: '', effect: 'NoExecute' }]);
    expect(untolerated(t, [{ operator: 'Exists' }])).toBeUndefined();
    expect(untolerated(t, [{ key: 'a', operator: 'Exists' }])?.key).toBe('c');
    expect(untolerated(t, [{ key: 'a', value: 'x' }, { key: 'c', operator: 'Exists', effect: 'NoExecute' }])?.key).toBe('a');
  });
});
