import { describe, expect, it } from 'vitest';
import { makeHost, makeTenant, makeVm, makeZone } from './fixtures.js';
import { NUMA_CPU_USED, NUMA_MEMORY_USED, NUMA_STRIDE, type HostInfo } from './host-info.js';
import { ClusterSnapshot } from './snapshot.js';

const GiB = 1024;

function counters(h: HostInfo | undefined) {
  if (h === undefined) throw new Error('host');
  return {
    vcpus: h.allocatedVcpus,
    mem: h.allocatedMemoryMiB,
    vms: h.vmCount,
    numaCpu: Array.from({ length: h.numaCount }, (_, i) => h.numa[i * NUMA_STRIDE + NUMA_CPU_USED]),
    numaMem: Array.from({ length: h.numaCount }, (_, i) => h.numa[i * NUMA_STRIDE + NUMA_MEMORY_USED]),
    sens: [...h.sensitivityCounts],
    tenants: Object.fromEntries(h.tenantCounts),
  };
}

describe('ClusterSnapshot', () => {
  const build = () =>
    ClusterSnapshot.build({
      zones: [makeZone('z1', 'shared', 400, 100)],
      tenants: [makeTenant('t1', 'moderate'), makeTenant('t2', 'high')],
      hosts: [makeHost('h1'), makeHost('h2')],
      vms: [
        makeVm('a', { host: 'h1', cpus: 4, memoryMiB: 8 * GiB, numaNodes: [1] }),
        makeVm('b', { tenant: 't2', host: 'h1', cpus: 32, memoryMiB: 16 * GiB, numaNodes: [0, 1] }),
        makeVm('pending', { cpus: 4 }),
      ],
    });

  it('accounts placed VMs per host, per NUMA node, per tenant and per sensitivity', () => {
    const s = build();
    expect(counters(s.host('h1'))).toEqual({
      vcpus: 36,
      mem: 24 * GiB,
      vms: 2,
      numaCpu: [16, 20],
      numaMem: [8 * GiB, 16 * GiB],
      sens: [0, 1, 1],
      tenants: { t1: 1, t2: 1 },
    });
    expect(counters(s.host('h2')).vms).toBe(0);
    expect(s.host('h1')?.cpuCapacity).toBe(128);
  });

  it('forget undoes assume exactly', () => {
    const s = build();
    const before = counters(s.host('h2'));
    const req = s.compile(makeVm('c', { cpus: 20, memoryMiB: 300 * GiB }));
    expect(s.assume(req, 'h2')).toBe(true);
    expect(s.placement(req.key)?.numa.map((n) => n.id)).toEqual([0, 1]);
    expect(counters(s.host('h2')).vcpus).toBe(20);
    expect(s.forget(req.key)).toBe(true);
    expect(counters(s.host('h2'))).toEqual(before);
    expect(s.forget(req.key)).toBe(false);
  });

  it('assume of a known VM moves it', () => {
    const s = build();
    s.assume(s.compile(makeVm('a', { cpus: 4, memoryMiB: 8 * GiB })), 'h2', [0]);
    expect(counters(s.host('h1')).vcpus).toBe(32);
    expect(counters(s.host('h2')).numaCpu).toEqual([4, 0]);
    expect(s.assume(s.compile(makeVm('x')), 'nowhere')).toBe(false);
  });

  it('observeVm follows status.host', () => {
    const s = build();
    s.observeVm(makeVm('pending', { cpus: 4, host: 'h2', numaNodes: [1] }));
    expect(counters(s.host('h2')).numaCpu).toEqual([0, 4]);
    s.observeVm(makeVm('pending', { cpus: 4 }));
    expect(counters(s.host('h2')).vms).toBe(0);
  });

  it('applies host, zone and tenant changes in place', () => {
    const s = build();
    s.upsertHost(makeHost('h1', { state: 'Failed' }));
    expect(s.host('h1')?.state).toBe('Failed');
    expect(counters(s.host('h1')).vcpus).toBe(36);
    s.upsertZone(makeZone('z1', 'per-tenant', 200, 150));
    expect(s.host('h1')?.cpuCapacity).toBe(64);
    expect(s.host('h1')?.memoryCapacity).toBe(768 * GiB);
    expect(s.host('h1')?.zone.isolation).toBe('per-tenant');
    s.upsertTenant(makeTenant('t1', 'low', ['z1']));
    expect(s.compile(makeVm('n')).sensitivity).toBe('low');
    expect([...(s.tenant('t1')?.zones ?? [])]).toEqual(['z1']);
  });

  it('re-accounts VMs when a host NUMA layout changes', () => {
    const s = build();
    s.upsertHost(makeHost('h1', { nodes: [[32, 512 * GiB]] }));
    expect(counters(s.host('h1'))).toMatchObject({ vcpus: 36, numaCpu: [36], numaMem: [24 * GiB] });
  });

  it('removeHost forgets its VMs and keeps slots dense', () => {
    const s = build();
    s.upsertHost(makeHost('h3'));
    s.removeHost('h1');
    expect(s.host('h1')).toBeUndefined();
    expect(s.placement('t1/a')).toBeUndefined();
    expect(s.hostCount).toBe(2);
    s.hosts().forEach((h, i) => expect(h.slot).toBe(i));
  });

  it('orders candidates by seed, replayably', () => {
    const hosts = Array.from({ length: 20 }, (_, i) => makeHost(`h${i}`));
    const order = (seed: number) => ClusterSnapshot.build({ hosts, seed }).hosts().map((h) => h.name);
    expect(order(7)).toEqual(order(7));
    expect(order(7)).not.toEqual(order(8));
  });

  it('takes the sensitivity from the tenant when the VM has none, and high when neither says', () => {
    const s = build();
    expect(s.compile(makeVm('x', { tenant: 't2' })).sensitivity).toBe('high');
    expect(s.compile(makeVm('x', { tenant: 't2', sensitivity: 'low' })).sensitivity).toBe('low');
    expect(s.compile(makeVm('x', { tenant: 'nobody' })).sensitivity).toBe('high');
  });
});
