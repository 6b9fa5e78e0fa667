import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { expectDriverError, settle, smallVm } from '../driver.conformance.js';
import type { HostInventory, MigrationResult } from '../driver.js';
import { generateTopology } from '../topology.js';
import { planPrecopy } from './precopy.js';
import { createSimDriver, type SimDriver } from './sim-driver.js';
import { DEFAULT_SIM_TIMINGS } from './timings.js';

const GiB = 1024;

async function sim(nicMbps: number, hostsPerZone = 12) {
  const clock = new VirtualClock();
  const topology = generateTopology({ zones: 1, hostsPerZone, nicMbps, memoryMiB: 512 * GiB });
  const driver: SimDriver = createSimDriver({ clock, seed: 3, topology, timings: { heartbeatIntervalMs: 0 } });
  const { hosts } = await driver.inventory();
  const h = { driver, advance: (ms: number) => clock.advance(ms) };
  const vm = async (on: HostInventory, memoryMiB: number) => (await settle(h, driver.createVm(smallVm(on, 'm', memoryMiB)))).vmId;
  return { clock, driver, hosts: hosts as [HostInventory, HostInventory, ...HostInventory[]], h, vm };
}

describe('pre-copy model', () => {
  // scheduling-perf.md §6 worked example: 16 GiB VM, 10 GbE at 92 % (R ≈ 1.15 GB/s), D = 200 MB/s
  // => λ ≈ 0.174; downtime target 300 ms => V_thd ≈ 345 MB => n = 3 rounds, T_mig ≈ 18.1 s,
  // T_down ≈ 79 ms + resume.
  const V = 16 * 2 ** 30;
  const R = (10_000e6 * 0.92) / 8;
  const D = 200e6;
  const lambda = D / R;
  const n = Math.ceil(Math.log((R * 0.3) / V) / Math.log(lambda));
  const tMig = (V / R) * ((1 - lambda ** (n + 1)) / (1 - lambda));
  const tDown = (V / R) * lambda ** n;
  const resume = DEFAULT_SIM_TIMINGS.migration.resumeMs;

  it('matches the closed-form figures of the worked example', () => {
    expect(lambda).toBeCloseTo(0.174, 3);
    expect(n).toBe(3);
    expect(tMig).toBeCloseTo(18.1, 1);
    expect(tDown * 1000).toBeCloseTo(79, 0);
    const plan = planPrecopy({ memoryMiB: 16 * GiB, dirtyRateMBps: 200, linkMbps: 10_000 }, DEFAULT_SIM_TIMINGS.migration);
    expect(plan.rounds).toBe(3);
    expect(plan.totalMs).toBe(Math.round(tMig * 1000 + resume));
    expect(plan.stunMs).toBe(Math.round(tDown * 1000 + resume));
    expect(plan.transferredMiB).toBe(Math.round((V * (1 - lambda ** (n + 1))) / (1 - lambda) / 2 ** 20));
    expect(plan).toMatchObject({ throttled: false, capped: false });
  });

  it('throttles the guest (SDPS) when the dirty rate reaches the link rate, and caps without it', () => {
    const t = DEFAULT_SIM_TIMINGS.migration;
    const sdps = planPrecopy({ memoryMiB: 16 * GiB, dirtyRateMBps: 1200, linkMbps: 10_000 }, t);
    expect(sdps.throttled).toBe(true);
    expect(sdps.lambda).toBeCloseTo(t.sdpsMaxLambda, 6);
    expect(sdps.stunMs).toBeLessThanOrEqual(t.downtimeTargetMs + t.resumeMs);
    const raw = planPrecopy({ memoryMiB: 16 * GiB, dirtyRateMBps: 1200, linkMbps: 10_000 }, { ...t, sdpsMaxLambda: 0 });
    expect(raw.capped).toBe(true);
    expect(raw.transferredMiB).toBeLessThanOrEqual(t.maxFactor * 16 * GiB);
    expect(raw.stunMs).toBeGreaterThan(10_000);
  });

  it('sends memory once when the guest dirties nothing', () => {
    const p = planPrecopy({ memoryMiB: 4 * GiB, dirtyRateMBps: 0, linkMbps: 25_000 }, DEFAULT_SIM_TIMINGS.migration);
    expect(p.rounds).toBe(1);
    expect(p.transferredMiB).toBe(4 * GiB);
  });
});

describe('sim driver: live migration', () => {
  it('takes the pre-copy time on the clock; the VM runs on the source until switchover', async () => {
    const { clock, driver, hosts, vm } = await sim(10_000);
    const [src, dst] = hosts;
    const vmId = await vm(src, 16 * GiB);
    const predicted = driver.predictMigration(vmId, dst.name);
    const t0 = clock.now();
    let result: MigrationResult | undefined;
    void driver.migrateVm(vmId, dst.name).then((r) => (result = r));
    expect(driver.hostUsage(dst.name).usedMemoryMiB).toBe(16 * GiB);
    await clock.advance(predicted.totalMs - 1);
    expect(result).toBeUndefined();
    expect((await driver.getVm(vmId)).host).toBe(src.name);
    await clock.advance(1);
    expect(result).toEqual({ vmId, from: src.name, to: dst.name, rounds: 3, totalMs: predicted.totalMs, stunMs: predicted.stunMs, transferredMiB: predicted.transferredMiB });
    expect(clock.now() - t0).toBe(predicted.totalMs);
    expect(predicted.totalMs).toBeGreaterThan(18_000);
    expect(predicted.totalMs).toBeLessThan(18_200);
    const after = await driver.getVm(vmId);
    expect(after).toMatchObject({ host: dst.name, power: 'running' });
    expect(driver.hostUsage(src.name).usedMemoryMiB).toBe(0);
    expect(driver.hostUsage(dst.name)).toMatchObject({ usedMemoryMiB: 16 * GiB, vms: 1, activeMigrations: 0 });
  });

  it('queues migrations past 8 per host on 10 GbE (vSphere limit) and starts them as slots free up', async () => {
    const { clock, driver, hosts, vm } = await sim(10_000, 12);
    const [src] = hosts;
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await vm(src, 4 * GiB));
    const done: number[] = [];
    const t0 = clock.now();
    const ps = ids.map((id, i) => driver.migrateVm(id, (hosts[i + 1] as HostInventory).name).then((r) => (done[i] = clock.now() - t0) && r));
    await clock.advance(0);
    expect(driver.hostUsage(src.name).activeMigrations).toBe(8);
    expect(driver.stats().queuedMigrations).toBe(1);
    await clock.runAll(600_000);
    const results = await Promise.all(ps);
    const firstEnd = Math.min(...done.slice(0, 8));
    // The ninth started only when the first finished, so it ends a full migration later.
    expect(done[8]).toBeGreaterThanOrEqual(firstEnd + (results[8] as MigrationResult).totalMs);
    // Eight sharing one 10 GbE link each get an eighth of it.
    expect((results[0] as MigrationResult).totalMs).toBeGreaterThan(7 * planPrecopy({ memoryMiB: 4 * GiB, dirtyRateMBps: 200, linkMbps: 10_000 }, DEFAULT_SIM_TIMINGS.migration).totalMs);
    expect(driver.stats().queuedMigrations).toBe(0);
  });

  it('allows 4 concurrent migrations per host below 10 GbE', async () => {
    const { clock, driver, hosts, vm } = await sim(1_000, 8);
    const [src] = hosts;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await vm(src, 1 * GiB));
    ids.forEach((id, i) => void driver.migrateVm(id, (hosts[i + 1] as HostInventory).name).catch(() => undefined));
    await clock.advance(0);
    expect(driver.hostUsage(src.name).activeMigrations).toBe(4);
    expect(driver.stats().queuedMigrations).toBe(1);
    await driver.close();
  });

  it('fails a migration that does not converge when so configured, after its pre-copy rounds, leaving the VM on the source', async () => {
    const clock = new VirtualClock();
    const topology = generateTopology({ zones: 1, hostsPerZone: 2, nicMbps: 10_000, memoryMiB: 512 * GiB });
    const migration = { ...DEFAULT_SIM_TIMINGS.migration, sdpsMaxLambda: 0, onNoConvergence: 'fail' as const };
    const driver = createSimDriver({ clock, seed: 3, topology, timings: { heartbeatIntervalMs: 0, migration } });
    const h = { driver, advance: (ms: number) => clock.advance(ms) };
    const [src, dst] = (await driver.inventory()).hosts as [HostInventory, HostInventory];
    const vmId = (await settle(h, driver.createVm(smallVm(src, 'hot', 16 * GiB)))).vmId;
    driver.setVmDirtyRate(vmId, 1200);
    const plan = planPrecopy({ memoryMiB: 16 * GiB, dirtyRateMBps: 1200, linkMbps: 10_000 }, migration);
    expect(plan.capped).toBe(true);
    const t0 = clock.now();
    let failedAt = 0;
    const p = driver.migrateVm(vmId, dst.name).catch((e: unknown) => {
      failedAt = clock.now();
      throw e;
    });
    await expectDriverError(h, p, 'Internal', false);
    expect(failedAt - t0).toBe(plan.totalMs - plan.stunMs);
    expect(await driver.getVm(vmId)).toMatchObject({ host: src.name, power: 'running' });
    expect(driver.hostUsage(dst.name)).toMatchObject({ usedMemoryMiB: 0, activeMigrations: 0 });
    await expect(p).rejects.toThrow(/did not converge/);
  });

  it('aborts when the destination fails: the VM keeps running on the source', async () => {
    const { clock, driver, hosts, vm, h } = await sim(10_000);
    const [src, dst] = hosts;
    const vmId = await vm(src, 8 * GiB);
    const p = driver.migrateVm(vmId, dst.name);
    await clock.advance(1_000);
    await driver.faults.failHost(dst.name);
    await expectDriverError(h, p, 'HostUnavailable', true);
    expect(await driver.getVm(vmId)).toMatchObject({ host: src.name, power: 'running' });
    expect(driver.hostUsage(dst.name).usedMemoryMiB).toBe(0);
  });

  it('fails when the source fails (the VM crashes) or the VM is deleted, releasing the destination', async () => {
    const { clock, driver, hosts, vm, h } = await sim(10_000);
    const [src, dst] = hosts;
    const a = await vm(src, 8 * GiB);
    const b = await vm(src, 8 * GiB);
    const pa = driver.migrateVm(a, dst.name);
    await clock.advance(1_000);
    const del = driver.deleteVm(a);
    await expectDriverError(h, pa, 'NotFound');
    await settle(h, del);
    const pb = driver.migrateVm(b, dst.name);
    await clock.advance(1_000);
    await driver.faults.failHost(src.name);
    await expectDriverError(h, pb, 'HostUnavailable', true);
    expect(await driver.getVm(b)).toMatchObject({ host: src.name, power: 'crashed' });
    expect(driver.hostUsage(dst.name)).toMatchObject({ usedMemoryMiB: 0, activeMigrations: 0 });
  });

  it('refuses migrating a stopped VM, to the same host, or to a host without memory', async () => {
    const { driver, hosts, vm, h } = await sim(10_000);
    const [src, dst] = hosts;
    const vmId = await vm(src, 300 * GiB);
    await expectDriverError(h, driver.migrateVm(vmId, src.name), 'InvalidRequest', false);
    await vm(dst, 300 * GiB);
    await expectDriverError(h, driver.migrateVm(vmId, dst.name), 'NoCapacity');
    await settle(h, driver.setVmPower(vmId, false));
    await expectDriverError(h, driver.migrateVm(vmId, (hosts[2] as HostInventory).name), 'InvalidRequest', false);
  });

  it('uses the VM dirty rate set for it', async () => {
    const { driver, hosts, vm } = await sim(10_000);
    const vmId = await vm(hosts[0], 16 * GiB);
    const calm = driver.predictMigration(vmId, hosts[1].name);
    driver.setVmDirtyRate(vmId, 800);
    const busy = driver.predictMigration(vmId, hosts[1].name);
    expect(busy.totalMs).toBeGreaterThan(calm.totalMs);
    expect(busy.rounds).toBeGreaterThan(calm.rounds);
  });
});
