/**
 * The behaviour every infrastructure Driver must show, as a vitest suite: the simulated datacenter
 * runs it on a virtual clock, a real driver runs it against real hosts. `advance(ms)` moves the
 * driver's time forward (VirtualClock.advance for the sim, a real sleep or a no-op for a real
 * driver); the suite only ever waits by advancing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DNS_LABEL } from '../api/index.js';
import { DriverError, hasFaultInjection, type CreateVmRequest, type Driver, type DriverErrorCode, type HostInventory, type InfraEvent } from './driver.js';

export interface DriverHarness {
  readonly driver: Driver;
  advance(ms: number): Promise<void>;
}

const STEP_MS = 1_000;
const MAX_WAIT_MS = 15 * 60_000;

/** Awaits `p`, advancing time in steps until it settles (or MAX_WAIT_MS of driver time passes). */
export async function settle<T>(h: DriverHarness, p: Promise<T>): Promise<T> {
  let state: { done: false } | { done: true; ok: true; value: T } | { done: true; ok: false; error: unknown } = { done: false };
  p.then(
    (value) => (state = { done: true, ok: true, value }),
    (error: unknown) => (state = { done: true, ok: false, error }),
  );
  for (let waited = 0; ; waited += STEP_MS) {
    await new Promise<void>((r) => setImmediate(r));
    if (state.done) break;
    if (waited >= MAX_WAIT_MS) throw new Error(`operation did not finish within ${MAX_WAIT_MS} ms of driver time`);
    await h.advance(STEP_MS);
  }
  const s = state as { done: true; ok: true; value: T } | { done: true; ok: false; error: unknown };
  if (!s.ok) throw s.error;
  return s.value;
}

/** Asserts `p` rejects with a DriverError of `code` and the given retryability. */
export async function expectDriverError(h: DriverHarness, p: Promise<unknown>, code: DriverErrorCode, retryable?: boolean): Promise<DriverError> {
  const err = await settle(h, p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected DriverError ${code}`).toBeInstanceOf(DriverError);
  const de = err as DriverError;
  expect(de.driverCode).toBe(code);
  if (retryable !== undefined) expect(de.retryable).toBe(retryable);
  return de;
}

/** A small VM request on `host`, pinned to its first NUMA node. */
export function smallVm(host: HostInventory, agentId = 'agent-1', memoryMiB = 2048): CreateVmRequest {
  const node = host.numaNodes[0];
  return { agentId, host: host.name, stemcell: 'ubuntu-jammy', resources: { cpus: 2, memoryMiB, numaNodes: node ? [node.id] : [] } };
}

export function runDriverConformance(name: string, factory: () => Promise<DriverHarness>): void {
  describe(`Driver conformance: ${name}`, () => {
    let h: DriverHarness;
    let d: Driver;
    let host: HostInventory;
    let other: HostInventory;

    beforeEach(async () => {
      h = await factory();
      d = h.driver;
      const inv = await d.inventory();
      host = inv.hosts[0] as HostInventory;
      other = (inv.hosts[1] ?? inv.hosts[0]) as HostInventory;
    });
    afterEach(async () => {
      await d.close();
    });

    const create = async (req: CreateVmRequest = smallVm(host)): Promise<string> => (await settle(h, d.createVm(req))).vmId;

    it('reports info with a CPI api version and stemcell formats', async () => {
      const info = await d.info();
      expect(info.name).not.toBe('');
      expect(info.apiVersion).toBeGreaterThanOrEqual(1);
      expect(info.stemcellFormats.length).toBeGreaterThan(0);
    });

    it('reports a non-empty, consistent inventory', async () => {
      const { zones, hosts } = await d.inventory();
      expect(zones.length).toBeGreaterThan(0);
      expect(hosts.length).toBeGreaterThan(0);
      const zoneNames = new Set(zones.map((z) => z.name));
      expect(new Set(hosts.map((x) => x.name)).size).toBe(hosts.length);
      for (const x of hosts) {
        expect(x.name).toMatch(DNS_LABEL);
        expect(zoneNames.has(x.zone), `zone of ${x.name}`).toBe(true);
        expect(x.numaNodes.length).toBeGreaterThan(0);
        expect(x.numaNodes.reduce((a, n) => a + n.cores, 0), `NUMA cores of ${x.name}`).toBe(x.cores);
        expect(x.numaNodes.reduce((a, n) => a + n.memoryMiB, 0), `NUMA memory of ${x.name}`).toBe(x.memoryMiB);
        for (const n of x.numaNodes) expect(n.socket).toBeLessThan(x.sockets);
        expect(new Set(x.numaNodes.map((n) => n.id)).size).toBe(x.numaNodes.length);
        expect(x.nicMbps).toBeGreaterThan(0);
      }
    });

    it('creates a VM only after time passes, running on the requested host and NUMA nodes', async () => {
      const req = smallVm(host, 'agent-create');
      let resolved = false;
      const p = d.createVm(req).then((r) => {
        resolved = true;
        return r;
      });
      await new Promise<void>((r) => setImmediate(r));
      expect(resolved).toBe(false);
      const { vmId } = await settle(h, p);
      expect(await d.hasVm(vmId)).toBe(true);
      const vm = await d.getVm(vmId);
      expect(vm).toMatchObject({ vmId, agentId: 'agent-create', host: host.name, power: 'running' });
      expect(vm.resources.numaNodes).toEqual(req.resources.numaNodes);
      expect(vm.resources.memoryMiB).toBe(req.resources.memoryMiB);
      expect((await d.listVms()).map((v) => v.vmId)).toContain(vmId);
    });

    it('deletes a VM idempotently', async () => {
      const vmId = await create();
      await settle(h, d.deleteVm(vmId));
      expect(await d.hasVm(vmId)).toBe(false);
      await settle(h, d.deleteVm(vmId));
      await settle(h, d.deleteVm('vm-that-never-existed'));
      expect((await d.listVms()).map((v) => v.vmId)).not.toContain(vmId);
    });

    it('reports unknown VMs and disks as NotFound, not retryable', async () => {
      await expectDriverError(h, d.getVm('vm-missing'), 'NotFound', false);
      await expectDriverError(h, d.rebootVm('vm-missing'), 'NotFound', false);
      await expectDriverError(h, d.setVmPower('vm-missing', false), 'NotFound', false);
      await expectDriverError(h, d.setVmMetadata('vm-missing', { a: 'b' }), 'NotFound', false);
      await expectDriverError(h, d.snapshotDisk('disk-missing'), 'NotFound', false);
      const vmId = await create();
      await expectDriverError(h, d.attachDisk(vmId, 'disk-missing'), 'NotFound', false);
      expect(await d.hasVm('vm-missing')).toBe(false);
      expect(await d.hasDisk('disk-missing')).toBe(false);
    });

    it('refuses unknown or failed hosts as HostUnavailable, retryable', async () => {
      await expectDriverError(h, d.createVm({ ...smallVm(host), host: 'no-such-host' }), 'HostUnavailable', true);
      if (!hasFaultInjection(d)) return;
      await d.faults.failHost(host.name, 'conformance');
      await expectDriverError(h, d.createVm(smallVm(host)), 'HostUnavailable', true);
      await d.faults.recoverHost(host.name);
      expect(await create()).not.toBe('');
    });

    it('keeps VMs of an isolated host running and refuses management calls on it until it reconnects', async () => {
      if (!hasFaultInjection(d)) return;
      const vmId = await create();
      await d.faults.isolateHost(host.name, 'conformance');
      expect((await d.getVm(vmId)).power).toBe('running');
      await expectDriverError(h, d.createVm(smallVm(host, 'agent-isolated')), 'HostUnavailable', true);
      await d.faults.recoverHost(host.name);
      expect((await d.getVm(vmId)).power).toBe('running');
      expect(await create(smallVm(host, 'agent-reconnected'))).not.toBe('');
    });

    it('refuses a VM larger than the host memory as NoCapacity', async () => {
      await expectDriverError(h, d.createVm(smallVm(host, 'agent-big', host.memoryMiB + 1024)), 'NoCapacity');
    });

    it('creates, attaches, snapshots, detaches and deletes disks; a disk outlives its VM', async () => {
      const { diskId } = await settle(h, d.createDisk(10_240, host.name));
      expect(await d.hasDisk(diskId)).toBe(true);
      const vmId = await create();
      await settle(h, d.attachDisk(vmId, diskId));
      expect((await d.getVm(vmId)).disks).toContain(diskId);
      const { snapshotId } = await settle(h, d.snapshotDisk(diskId));
      expect(snapshotId).not.toBe('');
      await settle(h, d.detachDisk(vmId, diskId));
      expect((await d.getVm(vmId)).disks).not.toContain(diskId);
      await settle(h, d.detachDisk(vmId, diskId));
      // Detached, the disk survives the deletion of its VM; attached, it survives too (BOSH recreate).
      await settle(h, d.deleteVm(vmId));
      expect(await d.hasDisk(diskId)).toBe(true);
      const vm2 = await create(smallVm(other, 'agent-2'));
      await settle(h, d.attachDisk(vm2, diskId));
      await settle(h, d.deleteVm(vm2));
      expect(await d.hasDisk(diskId)).toBe(true);
      const vm3 = await create(smallVm(host, 'agent-3'));
      await settle(h, d.attachDisk(vm3, diskId));
      expect((await d.getVm(vm3)).disks).toEqual([diskId]);
      await settle(h, d.detachDisk(vm3, diskId));
      await settle(h, d.deleteDisk(diskId));
      expect(await d.hasDisk(diskId)).toBe(false);
      await settle(h, d.deleteDisk(diskId));
    });

    it('refuses to delete an attached disk', async () => {
      const { diskId } = await settle(h, d.createDisk(1024));
      const vmId = await create();
      await settle(h, d.attachDisk(vmId, diskId));
      await expectDriverError(h, d.deleteDisk(diskId), 'InvalidRequest', false);
      expect(await d.hasDisk(diskId)).toBe(true);
    });

    it('sets VM metadata', async () => {
      const vmId = await create();
      await settle(h, d.setVmMetadata(vmId, { deployment: 'cluster-1', index: '0' }));
      expect((await d.getVm(vmId)).metadata).toMatchObject({ deployment: 'cluster-1', index: '0' });
    });

    it('reboots a VM, which runs afterwards', async () => {
      const vmId = await create();
      await settle(h, d.rebootVm(vmId));
      expect((await d.getVm(vmId)).power).toBe('running');
    });

    it('powers a VM off and on, with VmPowerChanged events', async () => {
      const vmId = await create();
      const events: InfraEvent[] = [];
      const off = d.subscribe((e) => events.push(e));
      await settle(h, d.setVmPower(vmId, false));
      expect((await d.getVm(vmId)).power).toBe('stopped');
      await settle(h, d.setVmPower(vmId, true));
      expect((await d.getVm(vmId)).power).toBe('running');
      off();
      const power = events.filter((e) => e.type === 'VmPowerChanged' && e.vmId === vmId).map((e) => (e.type === 'VmPowerChanged' ? e.power : ''));
      expect(power).toEqual(['stopped', 'running']);
    });

    it('stops delivering events after unsubscribe', async () => {
      const vmId = await create();
      const a: InfraEvent[] = [];
      const b: InfraEvent[] = [];
      const offA = d.subscribe((e) => a.push(e));
      const offB = d.subscribe((e) => b.push(e));
      offA();
      await settle(h, d.setVmPower(vmId, false));
      expect(a).toEqual([]);
      expect(b.some((e) => e.type === 'VmPowerChanged' && e.vmId === vmId)).toBe(true);
      offB();
    });
  });
}
