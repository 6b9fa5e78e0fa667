import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualClock } from '../../clock/index.js';
import { runDriverConformance, settle, expectDriverError, smallVm, type DriverHarness } from '../driver.conformance.js';
import type { HostInventory, InfraEvent } from '../driver.js';
import { generateTopology } from '../topology.js';
import { createSimDriver, type SimDriver, type SimDriverOptions } from './sim-driver.js';
import { DEFAULT_SIM_TIMINGS, DEFAULT_TIME_SCALE, defaultTimeScale } from './timings.js';

runDriverConformance('sim', async () => {
  const clock = new VirtualClock();
  return { driver: createSimDriver({ clock, seed: 42 }), advance: (ms) => clock.advance(ms) };
});

interface Sim extends DriverHarness {
  readonly driver: SimDriver;
  readonly clock: VirtualClock;
  readonly hosts: HostInventory[];
}

async function sim(o: Partial<SimDriverOptions> = {}): Promise<Sim> {
  const clock = new VirtualClock();
  const driver = createSimDriver({ clock, seed: 1, ...o });
  const { hosts } = await driver.inventory();
  return { driver, clock, hosts, advance: (ms) => clock.advance(ms) };
}

const host = (s: Sim, i: number): HostInventory => s.hosts[i] as HostInventory;

describe('sim driver: timings', () => {
  it('takes clone + boot (with jitter) to create a VM', async () => {
    const s = await sim();
    const t0 = s.clock.now();
    let at = 0;
    const p = s.driver.createVm(smallVm(host(s, 0))).then((r) => ((at = s.clock.now()), r));
    await s.clock.advance(60_000);
    await p;
    const mean = DEFAULT_SIM_TIMINGS.cloneMs + DEFAULT_SIM_TIMINGS.bootMs;
    expect(at - t0).toBeGreaterThanOrEqual(mean * (1 - DEFAULT_SIM_TIMINGS.jitter));
    expect(at - t0).toBeLessThanOrEqual(mean * (1 + DEFAULT_SIM_TIMINGS.jitter));
  });

  it('gives a default time scale at which a VM create takes about a second', () => {
    expect(DEFAULT_TIME_SCALE).toBe(40);
    expect(defaultTimeScale({ cloneMs: 5_000, bootMs: 15_000 })).toBe(20);
  });
});

describe('sim driver: heartbeats', () => {
  it('emits one batched Heartbeats event per interval listing every up host', async () => {
    const s = await sim();
    const t0 = s.clock.now();
    const events: InfraEvent[] = [];
    s.driver.subscribe((e) => events.push(e));
    await s.clock.advance(35_000);
    const beats = events.filter((e) => e.type === 'Heartbeats');
    expect(events).toHaveLength(3);
    expect(beats.map((e) => e.time - t0)).toEqual([10_000, 20_000, 30_000]);
    for (const b of beats) expect(b.type === 'Heartbeats' && b.hosts).toEqual(s.hosts.map((x) => x.name));
  });

  it('honours a custom interval and can be turned off', async () => {
    const a = await sim({ timings: { heartbeatIntervalMs: 2_000 } });
    await a.clock.advance(10_000);
    expect(a.driver.history().filter((e) => e.type === 'Heartbeats')).toHaveLength(5);
    const b = await sim({ timings: { heartbeatIntervalMs: 0 } });
    await b.clock.advance(60_000);
    expect(b.driver.history()).toEqual([]);
  });
});

describe('sim driver: host failure and recovery', () => {
  it('failHost crashes its VMs, fails in-flight creates, and drops it from heartbeats', async () => {
    const s = await sim();
    const [a, b] = [host(s, 0), host(s, 1)];
    const onA = [];
    for (let i = 0; i < 3; i++) onA.push((await settle(s, s.driver.createVm(smallVm(a, `a${i}`)))).vmId);
    const onB = (await settle(s, s.driver.createVm(smallVm(b, 'b0')))).vmId;
    const inFlight = s.driver.createVm(smallVm(a, 'late'));
    const events: InfraEvent[] = [];
    s.driver.subscribe((e) => events.push(e));
    await s.driver.faults.failHost(a.name, 'power supply');

    expect(events[0]).toMatchObject({ type: 'HostFailed', host: a.name, reason: 'power supply' });
    const crashed = events.filter((e) => e.type === 'VmPowerChanged');
    expect(crashed.map((e) => e.type === 'VmPowerChanged' && [e.vmId, e.power, e.host])).toEqual(onA.map((id) => [id, 'crashed', a.name]));
    for (const id of onA) expect((await s.driver.getVm(id)).power).toBe('crashed');
    expect((await s.driver.getVm(onB)).power).toBe('running');
    await expectDriverError(s, inFlight, 'HostUnavailable', true);
    await expectDriverError(s, s.driver.createVm(smallVm(a)), 'HostUnavailable', true);
    await expectDriverError(s, s.driver.setVmPower(onA[0] as string, true), 'HostUnavailable', true);
    expect(s.driver.hostUsage(a.name)).toMatchObject({ up: false, usedMemoryMiB: 0 });

    events.length = 0;
    await s.clock.advance(10_000);
    const beat = events.find((e) => e.type === 'Heartbeats');
    expect(beat?.type === 'Heartbeats' && beat.hosts).not.toContain(a.name);
    expect(beat?.type === 'Heartbeats' && beat.hosts).toContain(b.name);
  });

  it('recoverHost brings the host back without running VMs; its VMs stay crashed until restarted', async () => {
    const s = await sim();
    const a = host(s, 0);
    const vmId = (await settle(s, s.driver.createVm(smallVm(a)))).vmId;
    await s.driver.faults.failHost(a.name);
    const events: InfraEvent[] = [];
    s.driver.subscribe((e) => events.push(e));
    await s.driver.faults.recoverHost(a.name);
    expect(events).toEqual([{ type: 'HostRecovered', time: s.clock.now(), host: a.name }]);
    expect((await s.driver.getVm(vmId)).power).toBe('crashed');
    await s.clock.advance(10_000);
    expect(events.some((e) => e.type === 'Heartbeats' && e.hosts.includes(a.name))).toBe(true);
    await settle(s, s.driver.setVmPower(vmId, true));
    expect((await s.driver.getVm(vmId)).power).toBe('running');
    expect(await settle(s, s.driver.createVm(smallVm(a, 'new')))).toHaveProperty('vmId');
  });

  it('isolateHost silences the management network only: VMs keep running, datastore heartbeats continue, management calls fail until reconnected', async () => {
    const s = await sim();
    const [a, b] = [host(s, 0), host(s, 1)];
    const vmId = (await settle(s, s.driver.createVm(smallVm(a)))).vmId;
    const events: InfraEvent[] = [];
    s.driver.subscribe((e) => events.push(e));
    await s.driver.faults.isolateHost(a.name, 'switch port down');
    expect(events).toEqual([]);
    await s.clock.advance(10_000);
    const beat = events.find((e) => e.type === 'Heartbeats');
    expect(beat?.type === 'Heartbeats' && beat.hosts).not.toContain(a.name);
    expect(beat?.type === 'Heartbeats' && beat.datastore).toContain(a.name);
    expect(beat?.type === 'Heartbeats' && beat.hosts).toContain(b.name);
    expect((await s.driver.getVm(vmId)).power).toBe('running');
    expect(s.driver.hostUsage(a.name)).toMatchObject({ up: true, isolated: true });
    await expectDriverError(s, s.driver.createVm(smallVm(a, 'new')), 'HostUnavailable', true);
    await expectDriverError(s, s.driver.setVmPower(vmId, false), 'HostUnavailable', true);
    await expectDriverError(s, s.driver.migrateVm(vmId, b.name), 'HostUnavailable', true);
    await s.driver.faults.recoverHost(a.name);
    events.length = 0;
    await s.clock.advance(10_000);
    expect(events.some((e) => e.type === 'Heartbeats' && e.hosts.includes(a.name))).toBe(true);
    expect((await s.driver.getVm(vmId)).power).toBe('running');
    expect((await s.driver.listVms()).filter((v) => v.vmId === vmId)).toHaveLength(1);
  });

  it('refuses to isolate a failed host, and failing an isolated host crashes it', async () => {
    const s = await sim();
    const a = host(s, 0);
    const vmId = (await settle(s, s.driver.createVm(smallVm(a)))).vmId;
    await s.driver.faults.isolateHost(a.name);
    await s.driver.faults.failHost(a.name);
    expect((await s.driver.getVm(vmId)).power).toBe('crashed');
    expect(s.driver.hostUsage(a.name)).toMatchObject({ up: false, isolated: false });
    await expectDriverError(s, s.driver.faults.isolateHost(a.name), 'HostUnavailable', true);
  });

  it('rejects fault injection on unknown hosts as NotFound', async () => {
    const s = await sim();
    await expectDriverError(s, s.driver.faults.failHost('nope'), 'NotFound', false);
  });
});

describe('sim driver: physics', () => {
  it('refuses to overcommit physical memory; stopped VMs free theirs', async () => {
    const s = await sim();
    const a = host(s, 0);
    const big = a.memoryMiB / 2;
    const v1 = (await settle(s, s.driver.createVm(smallVm(a, 'v1', big)))).vmId;
    const p2 = s.driver.createVm(smallVm(a, 'v2', big));
    await expectDriverError(s, s.driver.createVm(smallVm(a, 'v3', 1024)), 'NoCapacity', false);
    await settle(s, p2);
    await settle(s, s.driver.setVmPower(v1, false));
    expect(await settle(s, s.driver.createVm(smallVm(a, 'v3', 1024)))).toHaveProperty('vmId');
    await expectDriverError(s, s.driver.setVmPower(v1, true), 'NoCapacity', false);
  });

  it('refuses NUMA nodes the host lacks and encrypted memory without sev-es', async () => {
    const s = await sim();
    const plain = s.hosts.find((x) => !x.features.includes('sev-es')) as HostInventory;
    const sev = s.hosts.find((x) => x.features.includes('sev-es')) as HostInventory;
    await expectDriverError(s, s.driver.createVm({ ...smallVm(plain), resources: { cpus: 1, memoryMiB: 512, numaNodes: [7] } }), 'InvalidRequest', false);
    const enc = (x: HostInventory) => ({ ...smallVm(x), resources: { cpus: 1, memoryMiB: 512, numaNodes: [0], encryptedMemory: true } });
    await expectDriverError(s, s.driver.createVm(enc(plain)), 'InvalidRequest', false);
    expect(await settle(s, s.driver.createVm(enc(sev)))).toHaveProperty('vmId');
  });

  it('refuses a second task on a busy VM as Busy, retryable', async () => {
    const s = await sim();
    const vmId = (await settle(s, s.driver.createVm(smallVm(host(s, 0))))).vmId;
    const reboot = s.driver.rebootVm(vmId);
    await expectDriverError(s, s.driver.setVmPower(vmId, false), 'Busy', true);
    await settle(s, reboot);
  });

  it('never lets the memory of running VMs exceed a host (property)', async () => {
    const topology = generateTopology({ zones: 1, hostsPerZone: 2, memoryMiB: 16 * 1024 });
    const op = fc.record({ kind: fc.constantFrom('create', 'delete', 'off', 'on', 'fail', 'recover'), host: fc.nat(1), mem: fc.integer({ min: 1, max: 12 }), pick: fc.nat(20), wait: fc.nat(40_000) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const s = await sim({ topology, timings: { heartbeatIntervalMs: 0 } });
        const ids: string[] = [];
        for (const o of ops) {
          const name = host(s, o.host).name;
          const id = ids[o.pick % Math.max(1, ids.length)] ?? 'none';
          const calls: Record<string, () => Promise<unknown>> = {
            create: () => s.driver.createVm(smallVm(host(s, o.host), 'p', o.mem * 1024)).then((r) => ids.push(r.vmId)),
            delete: () => s.driver.deleteVm(id),
            off: () => s.driver.setVmPower(id, false),
            on: () => s.driver.setVmPower(id, true),
            fail: () => s.driver.faults.failHost(name),
            recover: () => s.driver.faults.recoverHost(name),
          };
          (calls[o.kind] as () => Promise<unknown>)().catch(() => undefined);
          await s.clock.advance(o.wait);
          for (const x of s.hosts) {
            const running = (await s.driver.listVms()).filter((v) => v.host === x.name && v.power === 'running').reduce((a, v) => a + v.resources.memoryMiB, 0);
            const usage = s.driver.hostUsage(x.name);
            expect(running).toBeLessThanOrEqual(usage.usedMemoryMiB);
            expect(usage.usedMemoryMiB).toBeLessThanOrEqual(x.memoryMiB);
            if (!usage.up) expect(running).toBe(0);
          }
        }
        await s.driver.close();
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('sim driver: close', () => {
  it('fails pending operations and refuses new calls after close', async () => {
    const s = await sim();
    const pending = s.driver.createVm(smallVm(host(s, 0)));
    await s.driver.close();
    await expect(pending).rejects.toMatchObject({ driverCode: 'Internal' });
    await expect(s.driver.listVms()).rejects.toMatchObject({ driverCode: 'Internal' });
    expect(s.clock.pending()).toBe(0);
  });
});

describe('sim driver: determinism', () => {
  async function scenario(seed: number): Promise<SimDriver> {
    const s = await sim({ seed });
    const ids: string[] = [];
    const creates = s.hosts.slice(0, 6).map((x, i) => s.driver.createVm(smallVm(x, `agent-${i}`)).then((r) => ids.push(r.vmId)));
    const disk = s.driver.createDisk(4096);
    await s.clock.advance(60_000);
    await Promise.all(creates);
    const { diskId } = await disk;
    // The host failure cancels some of the tasks started just before it: settle them all.
    const steps = Promise.allSettled([
      s.driver.attachDisk(ids[0] as string, diskId),
      s.driver.rebootVm(ids[1] as string),
      s.driver.setVmPower(ids[2] as string, false),
      s.driver.migrateVm(ids[3] as string, host(s, 10).name),
      s.driver.faults.failHost(host(s, 4).name),
    ]);
    await s.clock.advance(120_000);
    await steps;
    await s.driver.faults.recoverHost(host(s, 4).name);
    await s.clock.advance(30_000);
    return s.driver;
  }

  it('replays the same history and operations for the same seed', async () => {
    const [a, b] = [await scenario(7), await scenario(7)];
    expect(a.history().length).toBeGreaterThan(10);
    expect(b.history()).toEqual(a.history());
    expect(b.operations()).toEqual(a.operations());
  });

  it('jitters timings differently for a different seed', async () => {
    const [a, b] = [await scenario(7), await scenario(8)];
    const durations = (d: SimDriver) => d.operations().filter((o) => o.kind === 'createVm').map((o) => o.end - o.start);
    expect(durations(a)).toHaveLength(6);
    expect(durations(b)).not.toEqual(durations(a));
  });
});
