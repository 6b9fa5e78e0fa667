// HostController over real informers and a SQLite store, on two virtual clocks (control plane and
// infrastructure): host state from heartbeats and failure events, allocation from placed VMs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_VERSION, getCondition, type Host, type VirtualMachine, type VmPhase } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { Informer } from '../framework/index.js';
import { HostController } from './host-controller.js';

const GRACE = 30_000;

const hostObj = (name: string): Host => ({
  apiVersion: API_VERSION,
  kind: 'Host',
  metadata: { name },
  spec: {
    zone: 'z1',
    sockets: 2,
    cores: 16,
    memoryMiB: 65536,
    nicMbps: 10_000,
    numaNodes: [
      { id: 0, socket: 0, cores: 8, memoryMiB: 32768 },
      { id: 1, socket: 1, cores: 8, memoryMiB: 32768 },
    ],
  },
});

function vmObj(name: string, cpus: number, memoryMiB: number, status: { phase: VmPhase; host?: string; numaNodes?: number[] }): VirtualMachine {
  return { apiVersion: API_VERSION, kind: 'VirtualMachine', metadata: { name }, spec: { tenant: 'acme', cpus, memoryMiB }, status };
}

let store: Store;
let clock: VirtualClock;
let infra: VirtualClock;
let hosts: Informer<Host>;
let vms: Informer<VirtualMachine>;
let queued: string[];
let ctl: HostController;

/** Waits until both informer caches hold exactly what the store holds. */
async function synced(): Promise<void> {
  for (const inf of [hosts, vms] as Informer[]) {
    const want = (await store.list(inf.kind)).items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
    await vi.waitFor(() => expect(inf.list().map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort()).toEqual(want));
  }
}

/** Reconciles a host and returns it as the informer then sees it. */
async function reconcile(name: string): Promise<Host> {
  await synced();
  await ctl.reconcile(name);
  await synced();
  const h = hosts.get(name);
  if (!h) throw new Error(`host ${name} not in the cache`);
  return h;
}

/** Pops the keys the controller enqueued since the last call. */
function takeQueued(): string[] {
  return queued.splice(0);
}

beforeEach(async () => {
  clock = new VirtualClock(Date.UTC(2026, 5, 1));
  infra = new VirtualClock(Date.UTC(2026, 5, 1, 12));
  store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  await store.create(hostObj('h1'));
  await store.create(hostObj('h2'));
  hosts = new Informer<Host>(store, 'Host');
  vms = new Informer<VirtualMachine>(store, 'VirtualMachine');
  await hosts.start();
  await vms.start();
  queued = [];
  ctl = new HostController(store, clock, infra, hosts, vms, (h) => queued.push(h), { heartbeatGraceMs: GRACE });
});

afterEach(async () => {
  hosts.stop();
  vms.stop();
  await store.close();
});

describe('HostController: state', () => {
  it('enqueues every known host at start', () => {
    expect(takeQueued().sort()).toEqual(['h1', 'h2']);
  });

  it('a host is Ready after a Heartbeats event', async () => {
    // Silent since start: past the grace period it is NotReady ...
    await infra.advance(GRACE + 1);
    expect((await reconcile('h1')).status?.state).toBe('NotReady');
    takeQueued();
    // ... and the next heartbeat brings it back.
    ctl.onInfraEvent({ type: 'Heartbeats', time: infra.now(), hosts: ['h1'] });
    expect(takeQueued()).toEqual(['h1']);
    const h = await reconcile('h1');
    expect(h.status?.state).toBe('Ready');
    expect(h.status?.lastHeartbeat).toBe(new Date(clock.now()).toISOString());
    expect(getCondition(h.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'HeartbeatReceived' });
  });

  it('NotReady once the grace period has passed without heartbeats, measured on the infra clock', async () => {
    ctl.onInfraEvent({ type: 'Heartbeats', time: infra.now(), hosts: ['h1', 'h2'] });
    expect((await reconcile('h1')).status?.state).toBe('Ready');
    takeQueued();

    // The control plane's clock does not decide heartbeat deadlines.
    await clock.advance(10 * GRACE);
    ctl.checkSilence();
    expect(takeQueued()).toEqual([]);

    await infra.advance(GRACE);
    ctl.checkSilence();
    expect(takeQueued()).toEqual([]);
    expect((await reconcile('h1')).status?.state).toBe('Ready');

    await infra.advance(1);
    ctl.checkSilence();
    expect(takeQueued()).toEqual(['h1']); // h2 was never reconciled to Ready, so is not re-checked
    const h = await reconcile('h1');
    expect(h.status?.state).toBe('NotReady');
    expect(getCondition(h.status?.conditions, 'Ready')).toMatchObject({ status: 'Unknown', reason: 'HeartbeatMissed', message: 'no heartbeat for 30 s' });
  });

  it('a heartbeat inside the grace period keeps the host Ready', async () => {
    for (let i = 0; i < 5; i++) {
      await infra.advance(GRACE - 1);
      ctl.onInfraEvent({ type: 'Heartbeats', time: infra.now(), hosts: ['h1'] });
    }
    await infra.advance(GRACE);
    ctl.checkSilence();
    expect((await reconcile('h1')).status?.state).toBe('Ready');
  });

  it('Failed on HostFailed, heartbeats do not hide it, and Ready again after HostRecovered', async () => {
    expect((await reconcile('h1')).status?.state).toBe('NotReady'); // no heartbeat seen yet
    ctl.onInfraEvent({ type: 'Heartbeats', time: infra.now(), hosts: ['h1'] });
    expect((await reconcile('h1')).status?.state).toBe('Ready');
    takeQueued();
    ctl.onInfraEvent({ type: 'HostFailed', time: infra.now(), host: 'h1', reason: 'power supply' });
    expect(takeQueued()).toEqual(['h1']);
    let h = await reconcile('h1');
    expect(h.status?.state).toBe('Failed');
    const failedCond = getCondition(h.status?.conditions, 'Ready');
    expect(failedCond).toMatchObject({ status: 'False', reason: 'HostFailed' });
    expect(failedCond?.message).toContain('power supply');
    expect(failedCond?.lastTransitionTime).toBe(new Date(clock.now()).toISOString());

    ctl.onInfraEvent({ type: 'Heartbeats', time: infra.now(), hosts: ['h1'] });
    expect(takeQueued()).toEqual([]);
    expect((await reconcile('h1')).status?.state).toBe('Failed');

    await clock.advance(5_000);
    await infra.advance(GRACE * 3);
    ctl.onInfraEvent({ type: 'HostRecovered', time: infra.now(), host: 'h1' });
    expect(takeQueued()).toEqual(['h1']);
    h = await reconcile('h1');
    expect(h.status?.state).toBe('Ready');
    expect(getCondition(h.status?.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'HeartbeatReceived', lastTransitionTime: new Date(clock.now()).toISOString() });
    // The recovery was h1's alone: h2 has stayed silent all along.
    expect((await reconcile('h2')).status?.state).toBe('NotReady');
  });

  it('writes nothing when nothing changed', async () => {
    const first = await reconcile('h1');
    const rev = await store.revision();
    await clock.advance(1_000);
    await infra.advance(1_000);
    const again = await reconcile('h1');
    expect(await store.revision()).toBe(rev);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('ignores a host it does not know', async () => {
    const rev = await store.revision();
    await ctl.reconcile('nope');
    expect(await store.revision()).toBe(rev);
  });
});

describe('HostController: allocation', () => {
  it('sums vCPUs, memory, per-NUMA-node shares and VM count from placed VMs, excluding Pending ones', async () => {
    await store.create(vmObj('spans', 5, 1025, { phase: 'Running', host: 'h1', numaNodes: [0, 1] }));
    await store.create(vmObj('one-node', 2, 512, { phase: 'Stopped', host: 'h1', numaNodes: [1] }));
    await store.create(vmObj('booting', 1, 256, { phase: 'Provisioning', host: 'h1', numaNodes: [0] }));
    await store.create(vmObj('pending', 8, 8192, { phase: 'Pending' }));
    await store.create(vmObj('pending-with-host', 8, 8192, { phase: 'Pending', host: 'h1', numaNodes: [0] }));
    await store.create(vmObj('failed', 8, 8192, { phase: 'Failed', host: 'h1', numaNodes: [0] }));
    await store.create(vmObj('elsewhere', 4, 4096, { phase: 'Running', host: 'h2', numaNodes: [0] }));
    await synced();
    const h1 = await reconcile('h1');
    expect(h1.status).toMatchObject({ allocatedVcpus: 8, allocatedMemoryMiB: 1793, vms: 3 });
    // 5 vCPUs over two nodes: 3 + 2; 1025 MiB: 513 + 512.
    expect(h1.status?.numa).toEqual([
      { id: 0, vcpus: 3 + 1, memoryMiB: 513 + 256 },
      { id: 1, vcpus: 2 + 2, memoryMiB: 512 + 512 },
    ]);
    const h2 = await reconcile('h2');
    expect(h2.status).toMatchObject({ allocatedVcpus: 4, allocatedMemoryMiB: 4096, vms: 1, numa: [{ id: 0, vcpus: 4, memoryMiB: 4096 }, { id: 1, vcpus: 0, memoryMiB: 0 }] });
  });

  it('follows VMs as they are placed, move and go away', async () => {
    takeQueued();
    const vm = await store.create(vmObj('v', 2, 1024, { phase: 'Pending' }));
    await synced();
    expect((await reconcile('h1')).status).toMatchObject({ allocatedVcpus: 0, vms: 0 });

    const placed = await store.update({ ...vm, status: { phase: 'Provisioning', host: 'h1', numaNodes: [0] } }, { subresource: 'status' });
    await synced();
    expect(takeQueued()).toContain('h1');
    expect((await reconcile('h1')).status).toMatchObject({ allocatedVcpus: 2, allocatedMemoryMiB: 1024, vms: 1 });

    const moved = await store.update({ ...placed, status: { phase: 'Running', host: 'h2', numaNodes: [1] } }, { subresource: 'status' });
    await synced();
    expect(takeQueued().sort()).toEqual(['h1', 'h2']);
    expect((await reconcile('h1')).status).toMatchObject({ allocatedVcpus: 0, allocatedMemoryMiB: 0, vms: 0 });
    expect((await reconcile('h2')).status).toMatchObject({ allocatedVcpus: 2, vms: 1, numa: [{ id: 0, vcpus: 0, memoryMiB: 0 }, { id: 1, vcpus: 2, memoryMiB: 1024 }] });

    await store.update({ ...moved, status: { ...moved.status, phase: 'Failed' } }, { subresource: 'status' });
    await synced();
    expect(takeQueued()).toContain('h2');
    expect((await reconcile('h2')).status).toMatchObject({ allocatedVcpus: 0, vms: 0 });

    const again = await store.get<VirtualMachine>('VirtualMachine', '', 'v');
    await store.update({ ...again, status: { phase: 'Running', host: 'h2', numaNodes: [1] } }, { subresource: 'status' });
    await synced();
    expect((await reconcile('h2')).status).toMatchObject({ allocatedVcpus: 2, vms: 1 });
    takeQueued();
    await store.delete('VirtualMachine', '', 'v');
    await synced();
    expect(takeQueued()).toContain('h2');
    expect((await reconcile('h2')).status).toMatchObject({ allocatedVcpus: 0, allocatedMemoryMiB: 0, vms: 0 });
  });
});
