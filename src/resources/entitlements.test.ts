/**
 * Worked examples of the divvy and the host pass, each from a rule of vSphere resource management:
 * shares split contended capacity between siblings; a reservation is honoured first; a limit caps
 * and the surplus goes to the sibling; shares count only among siblings of a pool; without
 * contention entitlement is demand.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { zoneCapacities } from './capacity.js';
import { computeEntitlements, type EntitlementResult, type VmEntitlement } from './entitlements.js';
import { host, pool, tree, vm } from './fixtures.test-util.js';
import type { PoolDef } from './pool-tree.js';
import type { HostCapacity } from './capacity.js';
import type { VmLoad } from './vm-load.js';

function run(hosts: HostCapacity[], vms: VmLoad[], pools: PoolDef[] = []): EntitlementResult {
  return computeEntitlements({ hosts, tree: tree(pools, zoneCapacities(hosts)), vms });
}

function byName(r: EntitlementResult, name: string): VmEntitlement {
  const v = r.vms.find((x) => x.name === name);
  if (!v) throw new Error(`no VM ${name}`);
  return v;
}

const custom = (shares: number) => ({ shares: { level: 'custom' as const, shares } });

describe('computeEntitlements: worked examples', () => {
  it('splits a contended host 1:2 between VMs with 1000 and 2000 shares', () => {
    const r = run([host('h1', 3)], [vm('a', 'h1', { cpu: 3000, allocation: { cpu: custom(1000) } }), vm('b', 'h1', { cpu: 3000, allocation: { cpu: custom(2000) } })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBeCloseTo(1000, 6);
    expect(byName(r, 'b').cpu.entitlementMHz).toBeCloseTo(2000, 6);
    expect(byName(r, 'a').cpu.usageMHz).toBeCloseTo(1000, 6);
  });

  it('gives normal vs high shares 1:2 by level (1000 vs 2000 per vCPU)', () => {
    const r = run([host('h1', 6)], [vm('a', 'h1', { vcpus: 4, cpu: 4000 }), vm('b', 'h1', { vcpus: 4, cpu: 4000, allocation: { cpu: { shares: { level: 'high' } } } })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBeCloseTo(2000, 6);
    expect(byName(r, 'b').cpu.entitlementMHz).toBeCloseTo(4000, 6);
  });

  it('honours a reservation first, then shares the rest', () => {
    // 4000 MHz, equal shares: the fair split is 2000/2000, but A reserves 3000.
    const r = run([host('h1', 4)], [vm('a', 'h1', { cpu: 4000, allocation: { cpu: { reservationMHz: 3000 } } }), vm('b', 'h1', { cpu: 4000 })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBeCloseTo(3000, 6);
    expect(byName(r, 'b').cpu.entitlementMHz).toBeCloseTo(1000, 6);
  });

  it('does not hand out an unused reservation (entitlement never exceeds demand)', () => {
    const r = run([host('h1', 4)], [vm('a', 'h1', { cpu: 500, allocation: { cpu: { reservationMHz: 3000 } } }), vm('b', 'h1', { cpu: 4000 })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBeCloseTo(500, 6);
    expect(byName(r, 'b').cpu.entitlementMHz).toBeCloseTo(3500, 6);
  });

  it('caps a VM at its limit and gives the surplus to its sibling', () => {
    const r = run([host('h1', 4)], [vm('a', 'h1', { cpu: 3000, allocation: { cpu: { limitMHz: 1000 } } }), vm('b', 'h1', { cpu: 3000 })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBeCloseTo(1000, 6);
    expect(byName(r, 'b').cpu.entitlementMHz).toBeCloseTo(3000, 6);
    // The limit holds A back although the host is not full: that counts as ready (maxlimited).
    expect(byName(r, 'a').cpu.readyMs).toBeCloseTo(((3000 - 1000) / 1000) * 20_000, 6);
  });

  it('gives entitlement = demand (within limits) when there is no contention', () => {
    const r = run([host('h1', 16)], [vm('a', 'h1', { cpu: 2500, mem: 3000 }), vm('b', 'h1', { cpu: 4000, allocation: { cpu: { limitMHz: 3000 } } })]);
    expect(byName(r, 'a').cpu.entitlementMHz).toBe(2500);
    expect(byName(r, 'a').memory.entitlementMiB).toBe(3000);
    expect(byName(r, 'b').cpu.entitlementMHz).toBe(3000);
    expect(byName(r, 'a').cpu.readyMs).toBe(0);
  });

  it('divides among sibling pools by pool shares, whatever the number of VMs inside', () => {
    // gold (high: 8000 shares) and bronze (low: 2000) compete for 10,000 MHz: 4:1 between pools.
    const pools = [pool('gold', { cpuShares: { level: 'high' } }), pool('bronze', { cpuShares: { level: 'low' } })];
    const vms = [
      vm('g1', 'h1', { vcpus: 16, cpu: 10_000, allocation: { pool: 'gold' } }),
      vm('b1', 'h1', { vcpus: 16, cpu: 10_000, allocation: { pool: 'bronze' } }),
      vm('b2', 'h1', { vcpus: 16, cpu: 10_000, allocation: { pool: 'bronze' } }),
      vm('b3', 'h1', { vcpus: 16, cpu: 10_000, allocation: { pool: 'bronze' } }),
    ];
    const r = run([host('h1', 10)], vms, pools);
    expect(byName(r, 'g1').cpu.entitlementMHz).toBeCloseTo(8000, 6);
    for (const b of ['b1', 'b2', 'b3']) expect(byName(r, b).cpu.entitlementMHz).toBeCloseTo(2000 / 3, 6);
    const gold = r.pools.find((p) => p.name === 'gold');
    expect(gold?.cpu.entitlementMHz).toBeCloseTo(8000, 6);
    expect(gold?.cpu.usageMHz).toBeCloseTo(8000, 6);
    const root = r.pools.find((p) => p.isRoot);
    expect(root?.cpu.entitlementMHz).toBeCloseTo(10_000, 6);
    expect(root?.cpu.demandMHz).toBeCloseTo(10_000, 6);
  });

  it("caps a pool at its limit and lets the sibling pool take the surplus", () => {
    const pools = [pool('capped', { cpuLimit: 2000 }), pool('free')];
    const r = run([host('h1', 10)], [vm('c', 'h1', { cpu: 8000, allocation: { pool: 'capped' } }), vm('f', 'h1', { cpu: 8000, allocation: { pool: 'free' } })], pools);
    expect(byName(r, 'c').cpu.entitlementMHz).toBeCloseTo(2000, 6);
    expect(byName(r, 'f').cpu.entitlementMHz).toBeCloseTo(8000, 6);
  });

  it('holds a limited pool to its limit even on an idle host', () => {
    // The zone is contended elsewhere, but h2 is idle: VMs of the capped pool still get 2000 in all.
    const pools = [pool('capped', { cpuLimit: 2000 })];
    const vms = [vm('c1', 'h2', { cpu: 3000, allocation: { pool: 'capped' } }), vm('c2', 'h2', { cpu: 3000, allocation: { pool: 'capped' } }), vm('x', 'h1', { cpu: 4000 })];
    const r = run([host('h1', 2), host('h2', 8)], vms, pools);
    expect(byName(r, 'c1').cpu.usageMHz + byName(r, 'c2').cpu.usageMHz).toBeCloseTo(2000, 6);
    expect(byName(r, 'c1').cpu.capMHz).toBeCloseTo(1000, 6);
    expect(r.pools.find((p) => p.name === 'capped')?.cpu.usageMHz).toBeCloseTo(2000, 6);
  });

  it("guarantees a pool's reservation to the VMs inside it", () => {
    const pools = [pool('prod', { cpuRes: 6000 }), pool('test')];
    const r = run([host('h1', 8)], [vm('p', 'h1', { cpu: 8000, allocation: { pool: 'prod' } }), vm('t', 'h1', { cpu: 8000, allocation: { pool: 'test' } })], pools);
    expect(byName(r, 'p').cpu.entitlementMHz).toBeCloseTo(6000, 6);
    expect(byName(r, 't').cpu.entitlementMHz).toBeCloseTo(2000, 6);
  });

  it('holds a VM to its vCPUs: 2 vCPUs at 1000 MHz cannot use 10,000 MHz', () => {
    const r = run([host('h1', 16)], [vm('a', 'h1', { vcpus: 2, cpu: 10_000 })]);
    expect(byName(r, 'a').cpu.runnableMHz).toBe(2000);
    expect(byName(r, 'a').cpu.entitlementMHz).toBe(2000);
    expect(byName(r, 'a').cpu.readyMs).toBe(0);
  });

  it('shows CPU ready on an overloaded host even when the zone has room', () => {
    // The zone has 8 cores in two hosts; both VMs sit on h1 (4 cores): DRS entitles each its
    // demand, the host gives each half of 4000.
    const r = run([host('h1', 4), host('h2', 4)], [vm('a', 'h1', { vcpus: 4, cpu: 4000 }), vm('b', 'h1', { vcpus: 4, cpu: 4000 })]);
    const a = byName(r, 'a');
    expect(a.cpu.entitlementMHz).toBeCloseTo(4000, 6);
    expect(a.cpu.usageMHz).toBeCloseTo(2000, 6);
    // 2000 MHz unmet = 2 cores waiting for the whole 20 s sample = 40,000 ms; 50 % of 4 vCPUs.
    expect(a.cpu.readyMs).toBeCloseTo(40_000, 6);
    expect(a.cpu.readyPercent).toBeCloseTo(50, 6);
  });

  it('lets a VM on an idle host use more than its share of a saturated zone', () => {
    const r = run([host('h1', 2), host('h2', 2)], [vm('a', 'h1', { vcpus: 2, cpu: 2000 }), vm('b', 'h1', { vcpus: 2, cpu: 2000 }), vm('c', 'h2', { vcpus: 2, cpu: 2000 })]);
    const c = byName(r, 'c');
    expect(c.cpu.entitlementMHz).toBeCloseTo(4000 / 3, 6);
    expect(c.cpu.usageMHz).toBeCloseTo(2000, 6);
    expect(byName(r, 'a').cpu.usageMHz).toBeCloseTo(1000, 6);
  });

  it('divides memory by memory shares and estimates ballooning then swapping', () => {
    // 8 GiB host, two 8 GiB VMs demanding all of it, normal shares: 4 GiB each, 4 GiB short each.
    const r = run([host('h1', 8, 8192)], [vm('a', 'h1', { memoryMiB: 8192, mem: 8192 }), vm('b', 'h1', { memoryMiB: 8192, mem: 8192, allocation: { memory: { reservationMiB: 6144 } } })]);
    const a = byName(r, 'a');
    const b = byName(r, 'b');
    expect(b.memory.entitlementMiB).toBeCloseTo(6144, 6);
    expect(a.memory.entitlementMiB).toBeCloseTo(2048, 6);
    // A is 6144 MiB short: the balloon takes up to 65 % of 8192 = 5324.8, swap the rest.
    expect(a.memory.balloonMiB).toBeCloseTo(0.65 * 8192, 6);
    expect(a.memory.swapMiB).toBeCloseTo(6144 - 0.65 * 8192, 6);
    // B is 2048 short, but only its 2048 unreserved MiB can be ballooned.
    expect(b.memory.balloonMiB).toBeCloseTo(2048, 6);
    expect(b.memory.swapMiB).toBeCloseTo(0, 6);
  });

  it('names the VM field when the input is inconsistent', () => {
    const hosts = [host('h1', 4), host('h2', 4, 1024, { zone: 'z2' })];
    const t = tree([pool('p')], zoneCapacities(hosts));
    expect(() => computeEntitlements({ hosts, tree: t, vms: [vm('a', 'nowhere')] })).toThrow(/vms\[0\]\.host/);
    expect(() => computeEntitlements({ hosts, tree: t, vms: [vm('a', 'h2', { allocation: { pool: 'p' } })] })).toThrow(ValidationError);
    expect(() => computeEntitlements({ hosts, tree: t, vms: [vm('a', 'h1', { cpu: -5 })] })).toThrow(/vms\[0\]\.cpuDemandMHz/);
  });
});
