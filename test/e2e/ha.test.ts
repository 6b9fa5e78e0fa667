// vSphere-style HA on the virtual clock: a host silent for the zone's threshold is declared dead
// and its VMs restart on surviving hosts in restart-priority order, within the placement rules;
// an isolated host (datastore heartbeats continue) is never declared dead and its VMs are never
// started twice; VMs that fit nowhere wait with a condition and retry on vSphere's schedule.
import { afterEach, describe, expect, it } from 'vitest';
import type { Host, Tenant, VirtualMachine, Zone } from '../../src/api/index.js';
import { startHaBench, tenant, type HaBench } from '../../src/availability/testing.js';
import { auditIsolation } from '../../src/security/index.js';
import { afterNextHeartbeat, cond, host, hostOf, onHost, smallZone, vmsOn } from './ha-helpers.js';

let b: HaBench;
afterEach(async () => {
  await b?.close();
});

const H1 = host(1);

describe('failure detection', () => {
  it('declares a crashed host dead only after 15 s of network silence plus the 3 s datastore check, then restarts its VMs elsewhere', async () => {
    b = await startHaBench({ topology: smallZone(4), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, async () => {
      for (const n of ['a', 'b', 'c']) await b.createVm(n, { tenant: 'acme' });
    });
    await b.running(['a', 'b', 'c']);
    expect((await vmsOn(b, H1)).map((v) => v.metadata.name).sort()).toEqual(['a', 'b', 'c']);
    const before = await b.vm('a');

    const t0 = await afterNextHeartbeat(b);
    await b.driver.faults.failHost(H1, 'power supply');
    await b.advance(t0 + 17_000 - b.clock.now());
    // Lost at once (the VMs crashed), claimed by HA, but not restarted: the host is not dead yet.
    const lost = await b.vm('a');
    expect(lost.status).toMatchObject({ phase: 'Lost', host: H1 });
    expect(cond(lost, 'HaRestart')).toMatchObject({ status: 'True', reason: 'WaitingForFailover' });
    expect(cond(await b.store.get<Host>('Host', '', H1), 'HaState')?.reason).not.toBe('Dead');

    await b.advance(t0 + 19_000 - b.clock.now());
    const dead = cond(await b.store.get<Host>('Host', '', H1), 'HaState');
    expect(dead).toMatchObject({ status: 'False', reason: 'Dead' });
    expect(dead?.message).toMatch(/no network heartbeat for 1[89]\.\d s and no datastore heartbeat/);
    for (const n of ['a', 'b', 'c']) {
      const v = await b.vm(n);
      expect(v.status?.host).not.toBe(H1);
      expect(cond(v, 'HaRestart')).toMatchObject({ status: 'True', reason: 'Restarting' });
      expect(cond(v, 'Scheduled')).toMatchObject({ status: 'True', reason: 'HaRestart' });
    }
    await b.running(['a', 'b', 'c'], 120_000);
    const after = await b.vm('a');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.status?.vmId).not.toBe(before.status?.vmId);
    expect(cond(after, 'HaRestart')).toMatchObject({ status: 'False', reason: 'Restarted' });
    // The dead host's copies were unregistered: each VM exists once in the datacenter.
    const ids = (await b.driver.listVms()).map((v) => v.agentId);
    expect(ids.filter((id) => id === before.metadata.uid)).toHaveLength(1);
  });

  it('honours a longer deadAfterSeconds', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await b.setHa('zone-a', { enabled: true, deadAfterSeconds: 40, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('a', { tenant: 'acme' }));
    await b.running(['a']);
    const t0 = await afterNextHeartbeat(b);
    await b.driver.faults.failHost(H1);
    await b.advance(t0 + 42_000 - b.clock.now());
    expect(await hostOf(b, 'a')).toBe(H1);
    await b.advance(t0 + 44_000 - b.clock.now());
    expect(await hostOf(b, 'a')).not.toBe(H1);
  });

  it('restarts the VMs of a host that crashed and came back before it was declared dead (its VMs were lost)', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('a', { tenant: 'acme' }));
    await b.running(['a']);
    const id = (await b.vm('a')).status?.vmId;
    // Right after a heartbeat: back within 5 s, heard again 10 s after the last one (well under 18 s).
    await afterNextHeartbeat(b);
    await b.driver.faults.failHost(H1, 'reboot');
    await b.advance(5_000);
    await b.driver.faults.recoverHost(H1);
    expect((await b.vm('a')).status?.phase).toBe('Lost');
    await b.running(['a'], 120_000);
    const v = await b.vm('a');
    expect(v.status?.vmId).not.toBe(id);
    expect(cond(v, 'HaRestart')).toMatchObject({ status: 'False', reason: 'Restarted' });
    expect(cond(v, 'Scheduled')?.message).toMatch(new RegExp(`after ${H1} failed:`));
    expect(cond(await b.store.get<Host>('Host', '', H1), 'HaState')).toBeUndefined();
  });

  it('leaves zones without HA alone: VMs stay Lost, nobody claims them', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await onHost(b, H1, () => b.createVm('a', { tenant: 'acme' }));
    await b.running(['a']);
    await b.driver.faults.failHost(H1);
    await b.advance(120_000);
    const v = await b.vm('a');
    expect(v.status).toMatchObject({ phase: 'Lost', host: H1 });
    expect(cond(v, 'HaRestart')).toBeUndefined();
  });
});

describe('isolation versus failure', () => {
  it('never restarts the VMs of an isolated host (they keep running), and nothing is duplicated when it reconnects', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, async () => {
      for (const n of ['a', 'b']) await b.createVm(n, { tenant: 'acme' });
    });
    await b.running(['a', 'b']);
    const ids = new Map((await vmsOn(b, H1)).map((v) => [v.metadata.name, v.status?.vmId]));
    await b.driver.faults.isolateHost(H1, 'switch port down');
    await b.advance(120_000);
    const h = await b.store.get<Host>('Host', '', H1);
    expect(cond(h, 'HaState')).toMatchObject({ status: 'Unknown', reason: 'Isolated' });
    expect(cond(h, 'HaState')?.message).toMatch(/datastore heartbeat .* VMs keep running/);
    expect(h.status?.state).toBe('NotReady');
    for (const n of ['a', 'b']) {
      const v = await b.vm(n);
      expect(v.status).toMatchObject({ phase: 'Running', host: H1, vmId: ids.get(n) });
      expect(cond(v, 'HaRestart')).toBeUndefined();
      expect((await b.driver.getVm(v.status!.vmId!)).power).toBe('running');
    }
    await b.driver.faults.recoverHost(H1);
    await b.advance(30_000);
    expect(cond(await b.store.get<Host>('Host', '', H1), 'HaState')).toMatchObject({ status: 'True', reason: 'Alive' });
    const all = await b.driver.listVms();
    expect(all).toHaveLength(2);
    for (const n of ['a', 'b']) expect((await b.vm(n)).status).toMatchObject({ phase: 'Running', host: H1, vmId: ids.get(n) });
  });

  it('declares an isolated host dead once its datastore heartbeats stop too (it failed while isolated)', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('a', { tenant: 'acme' }));
    await b.running(['a']);
    await b.driver.faults.isolateHost(H1);
    await b.advance(60_000);
    expect(await hostOf(b, 'a')).toBe(H1);
    await b.driver.faults.failHost(H1);
    await b.advance(30_000);
    expect(await hostOf(b, 'a')).not.toBe(H1);
    await b.running(['a'], 120_000);
  });
});

describe('restart order, placement rules and retries', () => {
  it('places the highest restart priority first and keeps the lowest waiting, with the reason, until room appears at the next attempt (+2 min)', async () => {
    // 3 hosts of 16 GiB; 8 GiB VMs: two fit a host.
    b = await startHaBench({ topology: smallZone(3, 16), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, async () => {
      await b.createVm('low', { tenant: 'acme', memoryMiB: 8192, restartPriority: 'low' });
      await b.createVm('top', { tenant: 'acme', memoryMiB: 8192, restartPriority: 'highest' });
    });
    await onHost(b, host(2), async () => {
      await b.createVm('fill-1', { tenant: 'acme', memoryMiB: 8192 });
      await b.createVm('fill-2', { tenant: 'acme', memoryMiB: 8192 });
    });
    await onHost(b, host(3), () => b.createVm('fill-3', { tenant: 'acme', memoryMiB: 8192 }));
    await b.running(['low', 'top', 'fill-1', 'fill-2', 'fill-3']);

    const order: string[] = [];
    b.manager.informers.vms.addHandlers({
      onUpdate: (o: VirtualMachine, n: VirtualMachine) => {
        if (o.status?.host === H1 && n.status?.host !== H1) order.push(n.metadata.name);
      },
    });
    await b.driver.faults.failHost(H1);
    await b.until(async () => (await hostOf(b, 'top')) !== H1, 60_000, 'top restarted');
    expect(await hostOf(b, 'top')).toBe(host(3));
    const low = await b.vm('low');
    expect(low.status).toMatchObject({ phase: 'Lost', host: H1 });
    const waiting = cond(low, 'HaRestart');
    expect(waiting).toMatchObject({ status: 'True', reason: 'WaitingForCapacity' });
    expect(waiting?.message).toMatch(/attempt 1 \(priority low\): no surviving host can take low: .*not enough free capacity.*; next attempt in 120 s/);

    const declaredAt = b.clock.now();
    await b.store.delete('VirtualMachine', '', 'fill-1');
    await b.advance(110_000);
    expect(await hostOf(b, 'low')).toBe(H1);
    await b.until(async () => (await hostOf(b, 'low')) !== H1, 20_000, 'low restarted at its retry');
    expect(b.clock.now() - declaredAt).toBeGreaterThanOrEqual(115_000);
    expect(await hostOf(b, 'low')).toBe(host(2));
    expect(order).toEqual(['top', 'low']);
    await b.running(['top', 'low'], 120_000);
  });

  it('tries a waiting VM at once when a host comes back into service, not at its next retry time', async () => {
    b = await startHaBench({ topology: smallZone(2, 16), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('big', { tenant: 'acme', memoryMiB: 12_288 }));
    await onHost(b, host(2), () => b.createVm('fill', { tenant: 'acme', memoryMiB: 12_288 }));
    await b.running(['big', 'fill']);
    await b.driver.faults.failHost(H1);
    await b.until(async () => cond(await b.vm('big'), 'HaRestart')?.reason === 'WaitingForCapacity', 60_000, 'waiting');
    const waitingSince = b.clock.now();
    await b.driver.faults.recoverHost(H1);
    await b.until(async () => (await b.vm('big')).status?.phase === 'Running', 90_000, 'big running again');
    expect(b.clock.now() - waitingSince).toBeLessThan(90_000);
    expect(await hostOf(b, 'big')).toBe(H1);
    expect(cond(await b.vm('big'), 'HaRestart')).toMatchObject({ status: 'False', reason: 'Restarted' });
  });

  it('restarts in priority order when all fit, and does not restart VMs with priority disabled', async () => {
    b = await startHaBench({ topology: smallZone(3), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    const prios = ['lowest', 'medium', 'highest', 'high', 'low', 'disabled'] as const;
    await onHost(b, H1, async () => {
      for (const p of prios) await b.createVm(`vm-${p}`, { tenant: 'acme', restartPriority: p });
    });
    await b.running(prios.map((p) => `vm-${p}`));
    const order: string[] = [];
    b.manager.informers.vms.addHandlers({
      onUpdate: (o: VirtualMachine, n: VirtualMachine) => {
        if (o.status?.host === H1 && n.status?.host !== H1) order.push(n.metadata.name);
      },
    });
    await b.driver.faults.failHost(H1);
    await b.advance(40_000);
    expect(order).toEqual(['vm-highest', 'vm-high', 'vm-medium', 'vm-low', 'vm-lowest']);
    const off = await b.vm('vm-disabled');
    expect(off.status).toMatchObject({ phase: 'Lost', host: H1 });
    expect(cond(off, 'HaRestart')).toMatchObject({ status: 'False', reason: 'Disabled' });
  });

  it('keeps sensitivity levels apart during recovery', async () => {
    b = await startHaBench({ topology: smallZone(4), clusters: false, tenants: [tenant('acme', 'low'), tenant('bank', 'high')] });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, async () => {
      for (const n of ['l1', 'l2', 'l3']) await b.createVm(n, { tenant: 'acme' });
    });
    await onHost(b, host(2), () => b.createVm('h2', { tenant: 'bank' }));
    await onHost(b, host(4), () => b.createVm('h4', { tenant: 'bank' }));
    await b.running(['l1', 'l2', 'l3', 'h2', 'h4']);
    await b.driver.faults.failHost(H1);
    await b.advance(40_000);
    for (const n of ['l1', 'l2', 'l3']) expect(await hostOf(b, n)).toBe(host(3));
    await b.running(['l1', 'l2', 'l3'], 120_000);
    const [zones, hosts, vms, tenants] = await Promise.all([b.store.list<Zone>('Zone'), b.store.list<Host>('Host'), b.store.list<VirtualMachine>('VirtualMachine'), b.store.list<Tenant>('Tenant')]);
    const audit = auditIsolation(zones.items, hosts.items, vms.items, tenants.items);
    expect(audit.violations).toEqual([]);
  });

  it('gives up after 5 attempts over 30 minutes (T0, +2, +6, +14, +30 min) and says so', async () => {
    b = await startHaBench({ topology: smallZone(2, 16), clusters: false });
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('big', { tenant: 'acme', memoryMiB: 12_288 }));
    await onHost(b, host(2), () => b.createVm('fill', { tenant: 'acme', memoryMiB: 12_288 }));
    await b.running(['big', 'fill']);
    await b.driver.faults.failHost(H1);
    await b.advance(60_000);
    expect(cond(await b.vm('big'), 'HaRestart')?.message).toMatch(/^attempt 1 /);
    await b.advance(6 * 60_000);
    expect(cond(await b.vm('big'), 'HaRestart')?.message).toMatch(/^attempt 3 /);
    await b.advance(25 * 60_000, 10_000);
    const v = await b.vm('big');
    expect(cond(v, 'HaRestart')).toMatchObject({ status: 'False', reason: 'Abandoned' });
    expect(cond(v, 'HaRestart')?.message).toMatch(/5 attempts made, giving up/);
    expect(v.status).toMatchObject({ phase: 'Lost', host: H1 });
  });
});
