// Maintenance mode through the real HTTP API on the virtual clock: entering evacuates the host by
// live migration within the placement rules and takes no new VMs; it is refused with the reasons
// when the rest of the zone cannot take the load under the HA policy, and for the last host;
// exiting returns the host to service; a host failing during an evacuation has a defined outcome.
import { afterEach, describe, expect, it } from 'vitest';
import type { Host, VmMigration } from '../../src/api/index.js';
import { startHaBench, tenant, type HaBench } from '../../src/availability/testing.js';
import { cond, host, hostOf, onHost, smallZone, vmsOn } from './ha-helpers.js';
import { Api, V1 } from './harness.js';

let b: HaBench;
let api: Api;
afterEach(async () => {
  await b?.close();
});

const H1 = host(1);

async function start(hosts: number, memoryGiB = 64): Promise<void> {
  b = await startHaBench({ topology: smallZone(hosts, memoryGiB), clusters: false, http: true, tenants: [tenant('acme', 'low'), tenant('bank', 'high')] });
  api = new Api(b.url!, b.adminToken);
}

async function setMaintenance(name: string, on: boolean) {
  const h = (await api.get<Host>(`${V1}/hosts/${name}`)).body;
  return api.put<Host & { message: string }>(`${V1}/hosts/${name}`, { ...h, spec: { ...h.spec, maintenance: on } });
}

const hostObj = (name: string) => b.store.get<Host>('Host', '', name);

describe('entering and exiting', () => {
  it('evacuates the running VMs by live migration within the placement rules, places nothing new there, and returns to service on exit', async () => {
    await start(4);
    await onHost(b, H1, async () => {
      for (const n of ['a', 'b', 'c']) await b.createVm(n, { tenant: 'acme' });
    });
    await onHost(b, host(2), () => b.createVm('vault', { tenant: 'bank' }));
    await b.running(['a', 'b', 'c', 'vault']);
    const put = await setMaintenance(H1, true);
    expect(put.status).toBe(200);
    await b.advance(1_000);
    expect((await hostObj(H1)).status?.state).toBe('Maintenance');
    expect(cond(await hostObj(H1), 'Maintenance')).toMatchObject({ status: 'False', reason: 'Evacuating' });
    // A VM created meanwhile does not go there.
    await b.createVm('new', { tenant: 'acme' });
    await b.until(async () => cond(await hostObj(H1), 'Maintenance')?.status === 'True', 300_000, 'evacuated');
    expect(cond(await hostObj(H1), 'Maintenance')?.message).toBe(`no VM runs on ${H1}: in maintenance mode`);
    expect(await vmsOn(b, H1)).toEqual([]);
    for (const n of ['a', 'b', 'c']) {
      const to = await hostOf(b, n);
      expect(to).not.toBe(H1);
      expect(to).not.toBe(host(2)); // the high-sensitivity host is off limits for low VMs
    }
    await b.running(['new']);
    expect(await hostOf(b, 'new')).not.toBe(H1);
    const migrations = (await b.store.list<VmMigration>('VmMigration')).items;
    expect(migrations.map((m) => [m.spec?.vm, m.spec?.reason, m.status?.phase, m.metadata.labels?.['bulkhead.dev/maintenance-host']]).sort()).toEqual([
      ['a', 'Maintenance', 'Succeeded', H1],
      ['b', 'Maintenance', 'Succeeded', H1],
      ['c', 'Maintenance', 'Succeeded', H1],
    ]);
    // Each move took the pre-copy model's time.
    for (const m of migrations) expect(m.status?.totalMs).toBeGreaterThan(1_000);

    expect((await setMaintenance(H1, false)).status).toBe(200);
    await b.advance(2_000);
    const back = await hostObj(H1);
    expect(back.status?.state).toBe('Ready');
    expect(cond(back, 'Maintenance')).toBeUndefined();
    await onHost(b, H1, () => b.createVm('later', { tenant: 'acme' }));
    await b.running(['later']);
    expect(await hostOf(b, 'later')).toBe(H1);
  });
});

describe('refusals', () => {
  it('refuses maintenance of the last host in service', async () => {
    await start(2);
    expect((await setMaintenance(host(2), true)).status).toBe(200);
    await b.advance(2_000);
    const last = await setMaintenance(H1, true);
    expect(last.status).toBe(409);
    expect(last.body.message).toBe(`${H1} is the last host in service in zone zone-a: maintenance mode would leave the zone without hosts`);
  });

  it('refuses, with the reasons, when the rest cannot take the load under the HA policy', async () => {
    // 3 hosts of 64 GiB; HA keeps a third free (tolerate 1 failure); 44 GiB runs on each of two hosts.
    await start(3);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'percentage', tolerateHostFailures: 1 } });
    await onHost(b, H1, () => b.createVm('a', { tenant: 'acme', memoryMiB: 44 * 1024 }));
    await onHost(b, host(2), () => b.createVm('b', { tenant: 'acme', memoryMiB: 44 * 1024 }));
    await b.running(['a', 'b']);
    const refused = await setMaintenance(H1, true);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(
      `${H1} cannot enter maintenance mode: without ${H1} the zone has 256 vCPU / 128 GiB; keeping 33.3% for failover leaves 170.7 vCPU / 85.3 GiB, but 4 vCPU / 88 GiB is in use`,
    );
    expect((await hostObj(H1)).spec?.maintenance).toBeUndefined();
  });

  it('refuses when a VM could not be placed elsewhere within the isolation rules', async () => {
    await start(2);
    await onHost(b, H1, () => b.createVm('low', { tenant: 'acme' }));
    await onHost(b, host(2), () => b.createVm('vault', { tenant: 'bank' }));
    await b.running(['low', 'vault']);
    const refused = await setMaintenance(H1, true);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/no other host can take low \(2 vCPU \/ 4 GiB\): 1 host: SensitivityIsolation/);
  });
});

describe('faults during maintenance', () => {
  it('a host failing while being evacuated: its VMs are restarted by HA, the evacuation stops there', async () => {
    await start(3);
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, async () => {
      for (const n of ['a', 'b']) await b.createVm(n, { tenant: 'acme', memoryMiB: 48 * 1024 });
    });
    await b.running(['a', 'b']);
    expect((await setMaintenance(H1, true)).status).toBe(200);
    await b.advance(2_000);
    await b.driver.faults.failHost(H1);
    await b.advance(5_000);
    const migrations = (await b.store.list<VmMigration>('VmMigration')).items;
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) expect(m.status?.phase).toBe('Failed');
    await b.until(async () => (await hostOf(b, 'a')) !== H1 && (await hostOf(b, 'b')) !== H1, 60_000, 'HA restarts');
    await b.running(['a', 'b'], 120_000);
    expect(cond(await hostObj(H1), 'Maintenance')?.status).toBe('True');
  });
});
