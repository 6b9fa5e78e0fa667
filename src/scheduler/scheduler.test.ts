import { describe, expect, it } from 'vitest';
import type { PlacementResult } from './framework.js';
import { makeHost, makeTenant, makeVm, makeZone } from './fixtures.js';
import { defaultProfile } from './profile.js';
import { Scheduler } from './scheduler.js';
import { ClusterSnapshot } from './snapshot.js';
import { errorStatus } from './status.js';

const GiB = 1024;

function placed(r: PlacementResult): { host: string; numaNodes: readonly number[] } {
  if (!r.ok) throw new Error(r.explanation.message);
  return { host: r.host, numaNodes: r.numaNodes };
}

describe('explanation', () => {
  // 16 hosts: 8 nearly full of memory, 8 in a per-sensitivity zone holding high-sensitivity VMs.
  const snapshot = () =>
    ClusterSnapshot.build({
      zones: [makeZone('full', 'shared'), makeZone('sens', 'per-sensitivity')],
      tenants: [makeTenant('lo', 'low'), makeTenant('hi', 'high')],
      hosts: [
        ...Array.from({ length: 8 }, (_, i) => makeHost(`full-${i}`, { zone: 'full' })),
        ...Array.from({ length: 8 }, (_, i) => makeHost(`sens-${i}`, { zone: 'sens' })),
      ],
      vms: [
        ...Array.from({ length: 8 }, (_, i) => makeVm(`big-${i}`, { tenant: 'hi', host: `full-${i}`, cpus: 2, memoryMiB: 500 * GiB })),
        ...Array.from({ length: 8 }, (_, i) => makeVm(`hi-${i}`, { tenant: 'hi', host: `sens-${i}` })),
      ],
    });

  it('names every reason a VM was refused, kube-scheduler style', () => {
    const r = new Scheduler(snapshot(), { seed: 3 }).schedule(makeVm('v', { tenant: 'lo', memoryMiB: 16 * GiB }));
    expect(r.ok).toBe(false);
    expect(r.explanation).toMatchObject({
      evaluated: 16,
      feasible: 0,
      filtered: { InsufficientMemory: 8, SensitivityIsolation: 8 },
      topScores: [],
      message: '0/16 hosts are available: 8 InsufficientMemory, 8 SensitivityIsolation.',
    });
    expect(r.explanation.chosen).toBeUndefined();
    expect(typeof r.explanation.seed).toBe('number');
    expect(r.explanation.durationMicros).toBeGreaterThanOrEqual(0);
  });

  it('records the choice, the top three scores per plugin and the counts', () => {
    const r = new Scheduler(snapshot(), { seed: 3 }).schedule(makeVm('v', { tenant: 'hi', memoryMiB: 16 * GiB }));
    const { host, numaNodes } = placed(r);
    const e = r.explanation;
    expect(e.chosen).toBe(host);
    expect(host.startsWith('sens-')).toBe(true);
    expect(numaNodes).toHaveLength(1);
    expect(e).toMatchObject({ evaluated: 16, feasible: 8, filtered: { InsufficientMemory: 8 } });
    expect(e.topScores).toHaveLength(3);
    expect(e.topScores[0]?.host).toBe(host);
    const totals = e.topScores.map((s) => s.score);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    for (const s of e.topScores) expect(Object.keys(s.scores).sort()).toEqual(['BalancedAllocation', 'GroupSpread', 'LeastAllocated', 'NumaFit']);
    expect(e.message).toMatch(new RegExp(`^placed on ${host} \\(NUMA \\d\\): 16/16 hosts evaluated, 8 feasible, score [\\d.]+; filtered: 8 InsufficientMemory$`));
  });

  it('reports a PreFilter rejection against every host', () => {
    const s = snapshot();
    s.upsertTenant(makeTenant('lo', 'low', ['full']));
    const r = new Scheduler(s).schedule(makeVm('v', { tenant: 'lo', zone: 'sens' }));
    expect(r.ok).toBe(false);
    expect(r.explanation).toMatchObject({ evaluated: 0, filtered: { ZoneNotAllowed: 16 } });
    expect(r.explanation.message).toBe('0/16 hosts are available: 16 ZoneNotAllowed.');
  });

  it('aborts on a filter Error', () => {
    const base = defaultProfile();
    const broken = { name: 'Broken', filter: () => errorStatus('boom') };
    const r = new Scheduler(snapshot(), { profile: { ...base, filters: [broken, ...base.filters] } }).schedule(makeVm('v'));
    expect(r.ok).toBe(false);
    expect(r.explanation.message).toBe('scheduling error: Broken: boom');
  });

  it('explains an empty cluster', () => {
    const r = new Scheduler(ClusterSnapshot.build({ hosts: [] })).schedule(makeVm('v'));
    expect(r.explanation.message).toBe('0/0 hosts are available.');
  });
});

describe('NUMA placement through the scheduler', () => {
  const s = ClusterSnapshot.build({
    zones: [makeZone('z1', 'shared', 100, 100)],
    hosts: [makeHost('h', { nodes: [[16, 128 * GiB], [16, 128 * GiB]] })],
  });
  const sched = new Scheduler(s);

  it('records one node for a VM that fits one, the minimum for a wide VM, and refuses a fragmented fit', () => {
    expect(placed(sched.place(makeVm('small', { cpus: 10 }))).numaNodes).toEqual([0]);
    expect(placed(sched.place(makeVm('small2', { cpus: 10 }))).numaNodes).toEqual([1]);
    // 12 vCPUs free in total (6 + 6) but no node has 8: refused.
    const r = sched.schedule(makeVm('eight', { cpus: 8 }));
    expect(r.ok).toBe(false);
    expect(r.explanation.filtered).toEqual({ NumaNoFit: 1 });
    sched.snapshot.forget('t1/small');
    sched.snapshot.forget('t1/small2');
    expect(placed(sched.place(makeVm('wide', { cpus: 24 }))).numaNodes).toEqual([0, 1]);
  });
});

describe('isolation end to end', () => {
  it.each([
    ['shared', ['h', 'h', 'h']],
    ['per-sensitivity', ['h', 'h', 'SensitivityIsolation']],
    ['per-tenant', ['h', 'TenantIsolation', 'TenantIsolation']],
  ] as const)('%s zone with one host: a (low), b (low), c (high) -> %j', (mode, want) => {
    const s = ClusterSnapshot.build({
      zones: [makeZone('z', mode)],
      tenants: [makeTenant('a', 'low'), makeTenant('b', 'low'), makeTenant('c', 'high')],
      hosts: [makeHost('h', { zone: 'z' })],
    });
    const sched = new Scheduler(s);
    const got = (['a', 'b', 'c'] as const).map((tenant) => {
      const r = sched.place(makeVm(`v-${tenant}`, { tenant }));
      return r.ok ? r.host : Object.keys(r.explanation.filtered).join(',');
    });
    expect(got).toEqual(want);
  });

  it('refuses a third tenant when a per-tenant zone has no free host', () => {
    const s = ClusterSnapshot.build({
      zones: [makeZone('z', 'per-tenant')],
      hosts: [makeHost('h1', { zone: 'z' }), makeHost('h2', { zone: 'z' })],
    });
    const sched = new Scheduler(s);
    placed(sched.place(makeVm('a', { tenant: 'a' })));
    placed(sched.place(makeVm('b', { tenant: 'b' })));
    const r = sched.place(makeVm('c', { tenant: 'c' }));
    expect(r.explanation.message).toBe('0/2 hosts are available: 2 TenantIsolation.');
  });
});

describe('determinism, sampling and rotation', () => {
  const hosts = Array.from({ length: 1000 }, (_, i) => makeHost(`h${i}`, { zone: i % 2 === 0 ? 'z1' : 'z2' }));
  const stream = Array.from({ length: 200 }, (_, i) => makeVm(`v${i}`, { tenant: `t${i % 5}`, cpus: 1 + (i % 8), memoryMiB: (1 + (i % 16)) * GiB }));
  const run = (seed: number, options = {}) => {
    const sched = new Scheduler(ClusterSnapshot.build({ hosts, seed }), { seed, ...options });
    return stream.map((vm) => {
      const r = sched.place(vm);
      return r.ok ? `${r.host}/${r.numaNodes.join('+')}` : 'refused';
    });
  };

  it('replays the same choices from the same seed', () => {
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('scores only a bounded sample and rotates the start', () => {
    const sched = new Scheduler(ClusterSnapshot.build({ hosts }), { percentageOfHostsToScore: 10, minFeasibleHostsToFind: 50 });
    const a = sched.place(stream[0] ?? makeVm('x'));
    const b = sched.place(stream[1] ?? makeVm('y'));
    expect(a.explanation).toMatchObject({ evaluated: 100, feasible: 100 });
    expect(b.explanation.feasible).toBe(100);
    const offset = (e: PlacementResult) => (e.explanation as { startOffset: number }).startOffset;
    expect(offset(b)).toBe((offset(a) + a.explanation.evaluated) % 1000);
  });

  it('replays one decision from the seed and start offset in its explanation', () => {
    const build = () => ClusterSnapshot.build({ hosts, seed: 5 });
    const live = new Scheduler(build(), { seed: 9 });
    for (const vm of stream.slice(0, 20)) live.place(vm);
    const vm = stream[20] ?? makeVm('x');
    const original = live.schedule(vm);

    const replay = new Scheduler(build(), { seed: 9 });
    for (const vm of stream.slice(0, 20)) replay.place(vm);
    const again = replay.schedule(vm, { seed: original.explanation.seed ?? 0, startOffset: original.explanation.startOffset });
    expect(placed(again)).toEqual(placed(original));
    expect(again.explanation.topScores).toEqual(original.explanation.topScores);
  });

  it('breaks ties between equal hosts by seed', () => {
    const s = ClusterSnapshot.build({ hosts: Array.from({ length: 8 }, (_, i) => makeHost(`e${i}`)) });
    const chosen = new Set<string>();
    for (let seed = 0; seed < 40; seed++) chosen.add(placed(new Scheduler(s).schedule(makeVm('v'), { seed, startOffset: 0 })).host);
    expect(chosen.size).toBeGreaterThan(3);
  });
});

describe('spread groups', () => {
  const hosts = () => ClusterSnapshot.build({ hosts: Array.from({ length: 6 }, (_, i) => makeHost(`h-${i}`)), seed: 5 });
  const inGroup = (name: string, group?: string) => {
    const vm = makeVm(name, { cpus: 4, memoryMiB: 8 * GiB });
    return group ? { ...vm, metadata: { ...vm.metadata, labels: { 'bulkhead.dev/cluster': group } } } : vm;
  };

  it("puts a cluster's nodes on different hosts while there are free hosts", () => {
    const s = new Scheduler(hosts(), { seed: 9 });
    const chosen = Array.from({ length: 6 }, (_, i) => placed(s.place(inGroup(`web-${i}`, 'web'))).host);
    expect(new Set(chosen).size).toBe(6);
    const seventh = placed(s.place(inGroup('web-6', 'web'))).host;
    expect(chosen).toContain(seventh);
  });

  it('packs VMs without a group by NUMA fit, as before', () => {
    const s = new Scheduler(hosts(), { seed: 9 });
    const chosen = Array.from({ length: 4 }, (_, i) => placed(s.place(inGroup(`solo-${i}`))).host);
    expect(new Set(chosen).size).toBeLessThan(4);
  });
});
