/** Admission control at power-on: each policy's refusals and approvals, with their numbers. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { checkPowerOn } from './admission.js';
import { host, vm } from './ha.test-util.js';
import { percentageForFailures } from './policy.js';
import type { HaVm, HaZone } from './types.js';

describe('percentage policy', () => {
  // 4 hosts × 16 vCPU / 100 GiB = 64 vCPU / 400 GiB; 20 % reserved leaves 51.2 vCPU / 320 GiB;
  // 48 vCPU / 310 GiB in use.
  const vms: HaVm[] = Array.from({ length: 12 }, (_, i) => vm(`v${i}`, `h${i % 4}`, 4, i < 10 ? 26 : 25));
  const zone: HaZone = { hosts: [0, 1, 2, 3].map((i) => host(`h${i}`, 16, 100)), vms };
  const policy = { type: 'percentage', cpuPercent: 20, memPercent: 20 } as const;

  it('refuses a VM larger than what the reserve leaves, with the numbers', () => {
    const v = checkPowerOn(zone, vm('new', undefined, 8, 32), policy);
    expect(v.ok).toBe(false);
    expect(v.message).toBe('powering on needs 8 vCPU / 32 GiB; with 20% reserved for failover the zone has 3.2 vCPU / 10 GiB left');
    expect(v.available.vcpus).toBeCloseTo(3.2, 9);
    expect(v.available.memoryMiB).toBe(10 * 1024);
  });

  it('admits a VM that fits, and refuses on memory alone', () => {
    expect(checkPowerOn(zone, vm('new', undefined, 2, 8), policy).ok).toBe(true);
    expect(checkPowerOn(zone, vm('new', undefined, 2, 11), policy).ok).toBe(false);
  });

  it('does not count the VM being powered on twice', () => {
    const listed = { ...zone, vms: [...vms, vm('new', 'h0', 2, 8)] };
    expect(checkPowerOn(listed, vm('new', 'h0', 2, 8), policy).available).toEqual(checkPowerOn(zone, vm('new', undefined, 2, 8), policy).available);
  });

  it('leaves down hosts out of the capacity', () => {
    const down = { ...zone, hosts: zone.hosts.map((h, i) => (i === 3 ? { ...h, up: false } : h)) };
    // 3 hosts: 48 vCPU, 20 % reserved, 36 vCPU in use on them: 2.4 vCPU left.
    const v = checkPowerOn(down, vm('new', undefined, 3, 1), policy);
    expect(v.ok).toBe(false);
    expect(v.available.vcpus).toBeCloseTo(2.4, 9);
  });

  it('states differing CPU and memory reserves', () => {
    expect(checkPowerOn(zone, vm('n', undefined, 1, 1), { type: 'percentage', cpuPercent: 10, memPercent: 20 }).message).toContain('with 10% CPU and 20% memory reserved');
  });

  it('derives the reserve from host failures to tolerate: k/N for equal hosts, the largest hosts otherwise', () => {
    expect(percentageForFailures(zone, 1)).toEqual({ type: 'percentage', cpuPercent: 25, memPercent: 25 });
    const mixed: HaZone = { hosts: [host('big', 32, 256), host('a', 16, 128), host('b', 16, 128)], vms: [] };
    expect(percentageForFailures(mixed, 1)).toEqual({ type: 'percentage', cpuPercent: 50, memPercent: 50 });
    expect(percentageForFailures(mixed, 3).cpuPercent).toBe(100);
  });

  it('rejects a percentage outside 0..100', () => {
    expect(() => checkPowerOn(zone, vm('n', undefined), { type: 'percentage', cpuPercent: 120, memPercent: 0 })).toThrow(ValidationError);
  });
});

describe('dedicated failover hosts', () => {
  const zone: HaZone = {
    hosts: [host('h1', 16, 64), host('h2', 16, 64), host('spare', 32, 128)],
    vms: [vm('a', 'h1', 13, 54), vm('b', 'h2', 14, 60)],
  };
  const policy = { type: 'failoverHosts', hosts: ['spare'] } as const;

  it('refuses when no host outside the failover hosts has room, naming the freest', () => {
    const v = checkPowerOn(zone, vm('new', undefined, 8, 32), policy);
    expect(v).toMatchObject({ ok: false, available: { vcpus: 3, memoryMiB: 10 * 1024 } });
    expect(v.message).toBe('powering on needs 8 vCPU / 32 GiB; with spare kept empty for failover the freest host, h1, has 3 vCPU / 10 GiB');
  });

  it('never powers a VM on on a failover host', () => {
    const v = checkPowerOn(zone, vm('new', 'spare', 1, 1), policy);
    expect(v.ok).toBe(false);
    expect(v.message).toContain('spare is a dedicated failover host');
  });

  it('admits a VM that fits on a normal host', () => {
    const v = checkPowerOn(zone, vm('new', undefined, 2, 4), policy);
    expect(v.ok).toBe(true);
    expect(v.message).toContain('h1 has 3 vCPU / 10 GiB free');
  });

  it('rejects unknown failover hosts', () => {
    expect(() => checkPowerOn(zone, vm('n', undefined), { type: 'failoverHosts', hosts: ['nope'] })).toThrow(/unknown host "nope"/);
  });
});

describe('slot policy', () => {
  // Slot = largest VM = 8 vCPU / 32 GiB; 4 slots per 32 vCPU / 128 GiB host; 16 slots, 4 kept for one failure.
  const zone = (n: number): HaZone => ({
    hosts: [0, 1, 2, 3].map((i) => host(`h${i}`, 32, 128)),
    vms: [vm('big', 'h0', 8, 32), ...Array.from({ length: n - 1 }, (_, i) => vm(`v${i}`, `h${(i % 3) + 1}`, 2, 4))],
  });
  const policy = { type: 'slots', failures: 1 } as const;

  it('admits while slots remain outside the failover reserve', () => {
    const v = checkPowerOn(zone(11), vm('new', undefined, 2, 4), policy);
    expect(v.ok).toBe(true);
    expect(v.slots).toMatchObject({ slot: { vcpus: 8, memoryMiB: 32 * 1024 }, total: 16, reserved: 4, used: 11, free: 1 });
  });

  it('refuses when the reserve would be touched, with the slot arithmetic', () => {
    const v = checkPowerOn(zone(12), vm('new', undefined, 2, 4), policy);
    expect(v.ok).toBe(false);
    expect(v.message).toBe('powering on needs 2 vCPU / 4 GiB, 1 slot of 8 vCPU / 32 GiB; the zone has 16 slots, 4 kept for 1 host failure and 12 in use: 0 left');
  });

  it('grows the slot with a larger VM, and a capped slot makes a large VM take several', () => {
    const bigger = checkPowerOn(zone(4), vm('new', undefined, 16, 64), policy);
    expect(bigger.slots?.slot).toEqual({ vcpus: 16, memoryMiB: 64 * 1024 });
    expect(bigger.slots?.total).toBe(8);
    const capped = checkPowerOn(zone(4), vm('new', undefined, 16, 64), { ...policy, maxSlotVcpus: 8, maxSlotMemoryMiB: 32 * 1024 });
    expect(capped.message).toContain('2 slots of 8 vCPU / 32 GiB');
  });
});
