// HA admission control through the real HTTP API on the virtual clock: a power-on that would eat
// into the capacity kept for failover is refused with the numbers (the API says 409 at once;
// placement holds VMs that bypass the API to the same rule); dedicated failover hosts take no VMs
// in normal operation and are used first when a host dies; bad HA settings name the field.
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualMachine, Zone } from '../../src/api/index.js';
import { startHaBench, type HaBench } from '../../src/availability/testing.js';
import { cond, host, onHost, smallZone } from './ha-helpers.js';
import { Api, V1, vm } from './harness.js';

let b: HaBench;
afterEach(async () => {
  await b?.close();
});

async function start(hosts: number, memoryGiB = 64): Promise<Api> {
  b = await startHaBench({ topology: smallZone(hosts, memoryGiB), clusters: false, http: true });
  return new Api(b.url!, b.adminToken);
}

describe('percentage policy', () => {
  it('refuses a power-on that would break "tolerate 1 host failure" (25% of 4 hosts) with reserved %, use and what is left', async () => {
    const api = await start(4);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'percentage', tolerateHostFailures: 1 } });
    // 4 x 64 GiB, 25% kept: 192 GiB for VMs.
    for (let i = 1; i <= 6; i++) expect((await api.post(`${V1}/virtualmachines`, vm(`v${i}`, 'acme', 2, 32 * 1024))).status).toBe(201);
    await b.running(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    const refused = await api.post<{ message: string; reason: string }>(`${V1}/virtualmachines`, vm('v7', 'acme', 2, 32 * 1024));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      'HA admission control refuses to power on v7: zone zone-a: powering on needs 2 vCPU / 32 GiB; with 25% reserved for failover the zone has 372 vCPU / 0 GiB left',
    );
    expect((await api.post(`${V1}/virtualmachines`, vm('small', 'acme', 2, 1024))).status).toBe(409);
    // Powered off, it is admitted; powering it on is refused the same way.
    expect((await api.post(`${V1}/virtualmachines`, vm('off', 'acme', 2, 32 * 1024, { powerState: 'Off' }))).status).toBe(201);
    const off = (await api.get<VirtualMachine>(`${V1}/virtualmachines/off`)).body;
    const on = await api.put<{ message: string }>(`${V1}/virtualmachines/off`, { ...off, spec: { ...off.spec, powerState: 'On' } });
    expect(on.status).toBe(409);
    expect(on.body.message).toMatch(/25% reserved for failover/);
  });

  it('holds VMs that bypass the API to the same rule at placement, with the numbers in the Scheduled condition', async () => {
    await start(2);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'percentage', cpuPercent: 50, memoryPercent: 50 } });
    await b.createVm('fits', { tenant: 'acme', memoryMiB: 60 * 1024 });
    await b.running(['fits']);
    await b.createVm('over', { tenant: 'acme', memoryMiB: 8 * 1024 });
    await b.advance(5_000);
    const over = await b.vm('over');
    expect(over.status?.phase).toBe('Pending');
    expect(cond(over, 'Scheduled')?.message).toBe(
      '0/2 hosts are available: 1 HaAdmissionControl(zone-a): powering on needs 2 vCPU / 8 GiB; with 50% reserved for failover the zone has 126 vCPU / 4 GiB left, 1 InsufficientMemory.',
    );
    // Turning admission control off lets it run.
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await b.running(['over'], 60_000);
  });
});

describe('slot policy', () => {
  it('counts slots of the largest VM and keeps one host’s worth free', async () => {
    const api = await start(2);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'slots', tolerateHostFailures: 1 } });
    // Slot 2 vCPU / 16 GiB: 4 per 64 GiB host, 8 in all, 4 kept for one host failure.
    for (let i = 1; i <= 4; i++) expect((await api.post(`${V1}/virtualmachines`, vm(`s${i}`, 'acme', 2, 16 * 1024))).status).toBe(201);
    await b.running(['s1', 's2', 's3', 's4']);
    const refused = await api.post<{ message: string }>(`${V1}/virtualmachines`, vm('s5', 'acme', 2, 16 * 1024));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      'HA admission control refuses to power on s5: zone zone-a: powering on needs 2 vCPU / 16 GiB, 1 slot of 2 vCPU / 16 GiB; the zone has 8 slots, 4 kept for 1 host failure and 4 in use: 0 left',
    );
  });
});

describe('dedicated failover hosts', () => {
  it('keeps failover hosts empty in normal operation and restarts there first', async () => {
    await start(3);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'failoverHosts', failoverHosts: [host(3)] } });
    for (let i = 1; i <= 8; i++) await b.createVm(`v${i}`, { tenant: 'acme' });
    await b.running(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    const vms = await b.vms();
    expect(vms.filter((v) => v.status?.host === host(3))).toEqual([]);
    const victim = vms[0]!.status!.host!;
    const lost = vms.filter((v) => v.status?.host === victim).map((v) => v.metadata.name);
    await b.driver.faults.failHost(victim);
    await b.advance(40_000);
    for (const n of lost) expect((await b.vm(n)).status?.host).toBe(host(3));
  });

  it('refuses failover hosts that are missing or in another zone, naming the field', async () => {
    const api = await start(2);
    const z = (await api.get<Zone>(`${V1}/zones/zone-a`)).body;
    const put = (ha: unknown) => api.put<{ message: string }>(`${V1}/zones/zone-a`, { ...z, spec: { ...z.spec, ha } });
    const missing = await put({ enabled: true, admissionControl: { policy: 'failoverHosts', failoverHosts: [host(1), 'nope'] } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/spec\.ha\.admissionControl\.failoverHosts\[1\]: host "nope" does not exist/);
    const none = await put({ enabled: true, admissionControl: { policy: 'failoverHosts' } });
    expect(none.status).toBe(422);
    expect(none.body.message).toMatch(/failoverHosts: policy failoverHosts needs at least one host/);
    const bad = await put({ enabled: true, deadAfterSeconds: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/spec\.ha\.deadAfterSeconds/);
  });
});

describe('zone HA summary', () => {
  it('shows the policy numbers, host states and pending restarts', async () => {
    const api = await start(3, 16);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, host(1), () => b.createVm('a', { tenant: 'acme', memoryMiB: 16 * 1024 }));
    await onHost(b, host(2), () => b.createVm('f2', { tenant: 'acme', memoryMiB: 16 * 1024 }));
    await onHost(b, host(3), () => b.createVm('f3', { tenant: 'acme', memoryMiB: 16 * 1024 }));
    await b.running(['a', 'f2', 'f3']);
    await b.driver.faults.failHost(host(1));
    await b.advance(40_000);
    const s = await api.get<{ enabled: boolean; hosts: { name: string; ha: string }[]; restarts: { vm: string; reason: string }[] }>(`${V1}/zones/zone-a/ha`);
    expect(s.status).toBe(200);
    expect(s.body.enabled).toBe(true);
    expect(s.body.hosts.find((h) => h.name === host(1))?.ha).toBe('Dead');
    expect(s.body.restarts).toEqual([expect.objectContaining({ vm: 'a', reason: 'WaitingForCapacity' })]);
  });
});
