// The cluster controller on a virtual clock: create, resize up and down (with drain), delete,
// delete during creation. Real store, simulated datacenter, real VM placement and lifecycle.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Resource, VirtualMachine } from '../../api/index.js';
import { actionDone, startBench, type Bench } from './testing.js';

let b: Bench;
beforeEach(async () => {
  b = await startBench();
});
afterEach(async () => {
  await b.close();
});

const names = (vms: readonly VirtualMachine[]) => vms.map((v) => v.metadata.name).sort();

describe('cluster create', () => {
  it('creates the control plane and workers as owned VMs with disks, then succeeds', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    const c = await b.cluster('web');
    expect(c.status?.lastAction).toMatchObject({ type: 'create', state: 'succeeded', description: 'Instance provisioning completed' });
    expect(c.status?.kubernetesVersion).toBe('1.30');
    expect(c.status?.workersReady).toBe('2/2');
    expect(c.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    const vms = await b.clusterVms('web');
    expect(names(vms)).toEqual(['web-cp-0', 'web-worker-0', 'web-worker-1']);
    for (const vm of vms) {
      expect(vm.status?.phase).toBe('Running');
      expect(vm.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Cluster', name: 'web', uid: c.metadata.uid });
      expect(vm.metadata.labels).toMatchObject({ 'bulkhead.dev/cluster': 'web', 'bulkhead.dev/tenant': 'acme' });
      expect(vm.spec?.sensitivity).toBe('low');
      const disk = vm.spec?.persistentDisks?.[0]?.diskId;
      expect(disk).toBe(c.status?.disks?.[vm.metadata.name]);
      expect((await b.driver.getVm(vm.status!.vmId!)).disks).toEqual([disk]);
    }
    const cp = vms.find((v) => v.metadata.name === 'web-cp-0')!;
    expect(cp.metadata.labels).toMatchObject({ 'bulkhead.dev/role': 'control-plane', 'bulkhead.dev/node-index': '0' });
    expect(cp.spec).toMatchObject({ cpus: 2, memoryMiB: 4096, image: 'bulkhead-ubuntu-jammy/k8s-1.30' });
    expect(c.status?.nodes?.map((n) => [n.name, n.role, n.health, n.version])).toEqual([
      ['web-cp-0', 'control-plane', 'Healthy', '1.30'],
      ['web-worker-0', 'worker', 'Healthy', '1.30'],
      ['web-worker-1', 'worker', 'Healthy', '1.30'],
    ]);
    const reasons = (await b.events('web')).map((e) => e.spec?.reason);
    expect(reasons).toEqual(expect.arrayContaining(['CreateStarted', 'CreateSucceeded']));
  });
});

describe('cluster resize', () => {
  it('adds workers, then drains and removes the highest-index ones and releases their disks', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    await b.updateCluster('web', { workers: 4 });
    await b.until(() => actionDone(b, 'web', 'update'), 300_000, 'resize up');
    expect(names(await b.clusterVms('web'))).toEqual(['web-cp-0', 'web-worker-0', 'web-worker-1', 'web-worker-2', 'web-worker-3']);
    const disks = (await b.cluster('web')).status!.disks!;
    expect(Object.keys(disks)).toHaveLength(5);

    // A pod sits on worker-3: the scale-down must wait for it to leave.
    await b.store.create<Resource>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1', namespace: 'web/shop' }, spec: { nodeName: 'web-worker-3' }, status: { phase: 'Running' } });
    await b.updateCluster('web', { workers: 2 });
    await b.advance(20_000);
    let vms = await b.clusterVms('web');
    const w3 = vms.find((v) => v.metadata.name === 'web-worker-3')!;
    expect(w3.metadata.deletionTimestamp).toBeUndefined();
    expect(w3.metadata.labels).toMatchObject({ 'bulkhead.dev/node-schedulable': 'false' });
    expect(w3.metadata.annotations).toMatchObject({ 'bulkhead.dev/drain': 'requested' });
    const w2 = vms.find((v) => v.metadata.name === 'web-worker-2');
    expect(w2 === undefined || w2.metadata.deletionTimestamp !== undefined).toBe(true); // no pods: removed at once
    expect((await b.cluster('web')).status?.lastAction?.state).toBe('in progress');

    await b.store.delete('Pod', 'web/shop', 'api-1'); // evicted by the workloads controllers
    await b.until(() => actionDone(b, 'web', 'update'), 120_000, 'resize down');
    vms = await b.clusterVms('web');
    expect(names(vms)).toEqual(['web-cp-0', 'web-worker-0', 'web-worker-1']);
    const after = (await b.cluster('web')).status!;
    expect(Object.keys(after.disks ?? {}).sort()).toEqual(['web-cp-0', 'web-worker-0', 'web-worker-1']);
    expect(await b.driver.hasDisk(disks['web-worker-3']!)).toBe(false);
    expect(await b.driver.hasDisk(disks['web-worker-0']!)).toBe(true);
  });

  it('removes a node whose pods do not leave once the drain timeout passes', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    await b.store.create<Resource>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stuck', namespace: 'web/shop' }, spec: { nodeName: 'web-worker-1' }, status: { phase: 'Running' } });
    const t0 = b.clock.now();
    await b.updateCluster('web', { workers: 1 });
    await b.until(() => actionDone(b, 'web', 'update'), 600_000, 'resize down');
    expect(b.clock.now() - t0).toBeGreaterThanOrEqual(300_000); // the small plan's drain timeout
    expect((await b.events('web')).some((e) => e.spec?.reason === 'DrainTimeout' && e.spec.type === 'Warning')).toBe(true);
  });
});

describe('cluster delete', () => {
  it('releases every VM and disk, then the cluster goes', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    const disks = Object.values((await b.cluster('web')).status!.disks!);
    await b.store.delete('Cluster', '', 'web');
    await b.until(async () => !(await b.store.tryGet('Cluster', '', 'web')), 120_000, 'delete');
    expect(await b.clusterVms('web')).toEqual([]);
    expect((await b.driver.listVms()).length).toBe(0);
    for (const d of disks) expect(await b.driver.hasDisk(d)).toBe(false);
    expect((await b.events('web')).map((e) => e.spec?.reason)).toEqual(expect.arrayContaining(['DeleteStarted', 'Deleted']));
  });

  it('deleting during creation stops the creation and releases everything', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 3 });
    await b.until(async () => (await b.driver.listVms()).length > 0, 60_000, 'first VM in the driver');
    await b.store.delete('Cluster', '', 'web');
    await b.until(async () => !(await b.store.tryGet('Cluster', '', 'web')), 180_000, 'delete');
    await b.advance(60_000);
    expect(await b.clusterVms('web')).toEqual([]);
    expect(await b.driver.listVms()).toEqual([]);
    expect(b.driver.stats().disks).toBe(0);
  });
});
