// Live migration through the real HTTP API on the virtual clock: a migration is an operation with
// the pre-copy model's duration (the VM shows it while it runs, the VmMigration records rounds,
// total and stun time); bad destinations are refused naming the conflict; a host failing
// mid-migration has a defined outcome; tenant administrators may migrate only their VMs.
import { afterEach, describe, expect, it } from 'vitest';
import type { VmMigration } from '../../src/api/index.js';
import { startHaBench, tenant, type HaBench } from '../../src/availability/testing.js';
import { DEFAULT_SIM_TIMINGS, planPrecopy } from '../../src/infra/index.js';
import { cond, host, hostOf, onHost, smallZone } from './ha-helpers.js';
import { Api, V1 } from './harness.js';

let b: HaBench;
let api: Api;
afterEach(async () => {
  await b?.close();
});

const H1 = host(1);
const H2 = host(2);

async function start(opts: { hosts?: number; migration?: Partial<typeof DEFAULT_SIM_TIMINGS.migration> } = {}): Promise<void> {
  b = await startHaBench({
    topology: smallZone(opts.hosts ?? 4),
    clusters: false,
    http: true,
    tenants: [tenant('acme', 'low'), tenant('bank', 'high'), tenant('other', 'low')],
    ...(opts.migration ? { timings: { migration: opts.migration } } : {}),
  });
  api = new Api(b.url!, b.adminToken);
}

const migrate = (vm: string, body: unknown = {}) => api.post<VmMigration & { message: string }>(`${V1}/virtualmachines/${vm}/migrate`, body);
const migration = async (name: string) => (await api.get<VmMigration>(`${V1}/vmmigrations/${name}`)).body;

describe('a live migration', () => {
  it('takes the pre-copy time on the virtual clock, shows on the VM while it runs, and records rounds, total and stun', async () => {
    await start();
    await onHost(b, H1, () => b.createVm('web', { tenant: 'acme', memoryMiB: 16 * 1024 }));
    await b.running(['web']);
    const created = await migrate('web', { toHost: H2 });
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({ vm: 'web', toHost: H2, reason: 'User' });
    expect(created.body.metadata.labels).toMatchObject({ 'bulkhead.dev/tenant': 'acme', 'bulkhead.dev/vm': 'web' });
    const name = created.body.metadata.name;
    // 25 Gb/s NICs, 16 GiB, 200 MB/s dirty rate: the model's figures.
    const plan = planPrecopy({ memoryMiB: 16 * 1024, dirtyRateMBps: 200, linkMbps: 25_000 }, DEFAULT_SIM_TIMINGS.migration);
    await b.advance(1_000);
    const running = await migration(name);
    expect(running.status).toMatchObject({ phase: 'Running', fromHost: H1, toHost: H2 });
    expect(running.status?.message).toMatch(new RegExp(`predicted: ${plan.rounds} pre-copy rounds`));
    const during = await b.vm('web');
    expect(during.status?.host).toBe(H1);
    expect(cond(during, 'Migrating')).toMatchObject({ status: 'True', reason: 'LiveMigration' });
    await b.until(async () => (await migration(name)).status?.phase === 'Succeeded', 60_000, 'migration done');
    const done = await migration(name);
    expect(done.status).toMatchObject({ rounds: plan.rounds, totalMs: plan.totalMs, stunMs: plan.stunMs, transferredMiB: plan.transferredMiB, fromHost: H1, toHost: H2 });
    expect(Date.parse(done.status!.finishedAt!) - Date.parse(done.status!.startedAt!)).toBeGreaterThanOrEqual(plan.totalMs);
    const after = await b.vm('web');
    expect(after.status).toMatchObject({ phase: 'Running', host: H2, vmId: during.status?.vmId });
    expect(cond(after, 'Migrating')).toMatchObject({ status: 'False', reason: 'Migrated' });
    expect((await b.driver.getVm(after.status!.vmId!)).host).toBe(H2);
  });

  it('lets the scheduler pick a destination in the same zone when none is given', async () => {
    await start();
    await onHost(b, H1, () => b.createVm('web', { tenant: 'acme' }));
    await b.running(['web']);
    const created = await migrate('web');
    expect(created.status).toBe(201);
    await b.until(async () => (await migration(created.body.metadata.name)).status?.phase === 'Succeeded', 60_000, 'migration done');
    const to = await hostOf(b, 'web');
    expect(to).not.toBe(H1);
    expect(to).toMatch(/^zone-a-host-/);
  });
});

describe('refusals name the conflict', () => {
  it('refuses a destination that would break isolation, a failover host, an unknown host, the same host, and a VM that is not running', async () => {
    await start();
    await onHost(b, H1, () => b.createVm('web', { tenant: 'acme' }));
    await onHost(b, H2, () => b.createVm('vault', { tenant: 'bank' }));
    await b.running(['web', 'vault']);

    const iso = await migrate('web', { toHost: H2 });
    expect(iso.status).toBe(422);
    expect(iso.body.message).toBe(`toHost: ${H2} runs high-sensitivity VMs and zone zone-a keeps sensitivity levels apart (isolation per-sensitivity); web is low`);
    const unknown = await migrate('web', { toHost: 'zone-a-host-99' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('toHost: host zone-a-host-99 does not exist');
    const same = await migrate('web', { toHost: H1 });
    expect(same.body.message).toMatch(/web already runs on zone-a-host-01/);
    const bad = await migrate('web', { toHost: 'Not A Host!' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/toHost: must be a host name/);
    const extra = await migrate('web', { to: H2 });
    expect(extra.body.message).toMatch(/to: unknown field \(only toHost\)/);

    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'failoverHosts', failoverHosts: [host(4)] } });
    const fo = await migrate('web', { toHost: host(4) });
    expect(fo.status).toBe(422);
    expect(fo.body.message).toMatch(/zone-a-host-04 is a dedicated HA failover host of zone zone-a and takes no VMs in normal operation/);

    await b.createVm('fresh', { tenant: 'acme' });
    await b.advance(1_000);
    const booting = await migrate('fresh', { toHost: host(3) });
    expect(booting.status).toBe(409);
    expect(booting.body.message).toMatch(/fresh is Provisioning; only a running VM can be live-migrated/);
    expect((await migrate('ghost', { toHost: H2 })).status).toBe(404);
    // Nothing was created for the refused requests.
    expect((await b.store.list('VmMigration')).items).toEqual([]);
  });

  it('lets a tenant administrator migrate the tenant’s VMs and hides other tenants’ VMs', async () => {
    await start();
    await onHost(b, H1, async () => {
      await b.createVm('mine', { tenant: 'acme' });
      await b.createVm('theirs', { tenant: 'other' });
    });
    await b.running(['mine', 'theirs']);
    await api.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name: 'alice' }, spec: {} });
    await api.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'alice-acme' }, spec: { role: 'tenant-admin', tenant: 'acme', subjects: [{ kind: 'User', name: 'alice' }] } });
    const token = (await api.post<{ token: string }>('/auth/tokens', { user: 'alice' })).body.token;
    const alice = api.as(token);
    await b.advance(1_000);
    const ok = await alice.post<VmMigration>(`${V1}/virtualmachines/mine/migrate`, { toHost: host(3) });
    expect(ok.status).toBe(201);
    expect((await alice.post(`${V1}/virtualmachines/theirs/migrate`, { toHost: host(3) })).status).toBe(404);
    // Through the generic API, a label naming her tenant does not let her move another tenant's VM.
    const sneaky = await alice.post<{ message: string }>(`${V1}/vmmigrations`, { apiVersion: 'bulkhead.dev/v1', kind: 'VmMigration', metadata: { name: 'sneaky', labels: { 'bulkhead.dev/tenant': 'acme' } }, spec: { vm: 'theirs', toHost: host(3) } });
    expect(sneaky.status).toBe(422);
    expect(sneaky.body.message).toMatch(/spec\.vm: virtual machine "theirs" does not exist/);
    const list = await alice.get<{ items: VmMigration[] }>(`${V1}/vmmigrations`);
    expect(list.body.items.map((m) => m.spec?.vm)).toEqual(['mine']);
  });
});

describe('faults during a migration', () => {
  it('keeps the VM on its source when the destination fails mid-migration', async () => {
    await start();
    await onHost(b, H1, () => b.createVm('web', { tenant: 'acme', memoryMiB: 32 * 1024 }));
    await b.running(['web']);
    const vmId = (await b.vm('web')).status!.vmId;
    const name = (await migrate('web', { toHost: H2 })).body.metadata.name;
    await b.advance(3_000);
    expect((await migration(name)).status?.phase).toBe('Running');
    await b.driver.faults.failHost(H2);
    await b.advance(2_000);
    const m = await migration(name);
    expect(m.status?.phase).toBe('Failed');
    expect(m.status?.message).toBe(`destination host ${H2} failed during the migration; web keeps running on ${H1}`);
    const v = await b.vm('web');
    expect(v.status).toMatchObject({ phase: 'Running', host: H1, vmId });
    expect(cond(v, 'Migrating')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect((await b.driver.getVm(vmId!)).power).toBe('running');
  });

  it('fails the migration when the source fails mid-migration, and HA restarts the VM', async () => {
    await start();
    await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'disabled' } });
    await onHost(b, H1, () => b.createVm('web', { tenant: 'acme', memoryMiB: 32 * 1024 }));
    await b.running(['web']);
    const name = (await migrate('web', { toHost: H2 })).body.metadata.name;
    await b.advance(3_000);
    await b.driver.faults.failHost(H1);
    await b.advance(2_000);
    const m = await migration(name);
    expect(m.status?.phase).toBe('Failed');
    expect(m.status?.message).toBe(`source host ${H1} failed during the migration: web went down with it; HA restarts it once the host is declared dead`);
    expect((await b.vm('web')).status).toMatchObject({ phase: 'Lost', host: H1 });
    await b.until(async () => (await hostOf(b, 'web')) !== H1, 60_000, 'HA restart');
    await b.running(['web'], 120_000);
  });

  it('fails a migration that does not converge when the datacenter is configured to, leaving the VM where it was', async () => {
    await start({ migration: { sdpsMaxLambda: 0, onNoConvergence: 'fail' } });
    await onHost(b, H1, () => b.createVm('hot', { tenant: 'acme', memoryMiB: 64 * 1024 }));
    await b.running(['hot']);
    b.driver.setVmDirtyRate((await b.vm('hot')).status!.vmId!, 4000);
    const name = (await migrate('hot', { toHost: H2 })).body.metadata.name;
    await b.until(async () => (await migration(name)).status?.phase === 'Failed', 600_000, 'migration failed');
    expect((await migration(name)).status?.message).toMatch(/pre-copy of VM .* did not converge: after \d+ rounds .*; hot keeps running on zone-a-host-01/);
    expect((await b.vm('hot')).status).toMatchObject({ phase: 'Running', host: H1 });
  });
});
