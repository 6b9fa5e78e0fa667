// Rolling upgrades on a virtual clock: BOSH order (control plane one at a time, then a canary,
// then max-in-flight), disks kept across recreation, a failed canary stopping the rollout, and
// an upgrade during an upgrade refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, type ClusterEvent } from '../../api/index.js';
import { actionDone, startBench, type Bench } from './testing.js';

let b: Bench;
beforeEach(async () => {
  b = await startBench();
});
afterEach(async () => {
  await b.close();
});

/** Nodes in the order their recreation started, from the UpdatingNode events' first timestamps. */
function updateOrder(events: readonly ClusterEvent[]): string[] {
  return events
    .filter((e) => e.spec?.reason === 'UpdatingNode')
    .map((e) => ({ at: e.spec!.firstTimestamp, node: /node (\S+) with/.exec(e.spec!.message)?.[1] ?? '?' }))
    .sort((x, y) => x.at.localeCompare(y.at) || Number(x.node.split('-').pop()) - Number(y.node.split('-').pop()))
    .map((x) => x.node);
}

describe('cluster upgrade', () => {
  it('recreates the control plane one at a time, then a canary, then max-in-flight batches, keeping every disk', async () => {
    // medium: 3 control-plane nodes, canaries 1, maxInFlight 2.
    await b.createCluster('web', { tenant: 'acme', plan: 'medium', workers: 5 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    const before = (await b.cluster('web')).status!.disks!;
    await b.updateCluster('web', { kubernetesVersion: '1.31' });

    let maxCp = 0;
    let maxWorkers = 0;
    let workersBeforeCpDone = false;
    await b.until(async () => {
      const r = (await b.cluster('web')).status?.replacing ?? {};
      const cp = Object.keys(r).filter((k) => k.includes('-cp-')).length;
      const wk = Object.keys(r).filter((k) => k.includes('-worker-')).length;
      maxCp = Math.max(maxCp, cp);
      maxWorkers = Math.max(maxWorkers, wk);
      if (wk > 0) {
        const vms = await b.clusterVms('web');
        workersBeforeCpDone ||= vms.some((v) => v.metadata.name.includes('-cp-') && v.metadata.labels?.['bulkhead.dev/kubernetes-version'] !== '1.31');
      }
      return actionDone(b, 'web', 'upgrade');
    }, 3_600_000, 'upgrade');

    const c = await b.cluster('web');
    expect(c.status?.lastAction).toMatchObject({ type: 'upgrade', state: 'succeeded' });
    expect(c.status?.kubernetesVersion).toBe('1.31');
    expect(maxCp).toBe(1);
    expect(maxWorkers).toBe(2);
    expect(workersBeforeCpDone).toBe(false);
    const events = await b.events('web');
    expect(updateOrder(events)).toEqual(['web-cp-0', 'web-cp-1', 'web-cp-2', 'web-worker-0', 'web-worker-1', 'web-worker-2', 'web-worker-3', 'web-worker-4']);
    expect(events.find((e) => e.spec?.message.includes('canary worker node web-worker-0'))).toBeDefined();
    for (const vm of await b.clusterVms('web')) {
      expect(vm.spec?.image).toBe('bulkhead-ubuntu-jammy/k8s-1.31');
      expect((await b.driver.getVm(vm.status!.vmId!)).disks).toEqual([before[vm.metadata.name]]);
    }
    expect(c.status?.disks).toEqual(before);
  });

  it('a failed canary stops the rollout; the untouched workers keep serving the old version', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 3 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    b.brokenNodes.add('web-worker-0');
    await b.updateCluster('web', { kubernetesVersion: '1.31' });
    await b.until(() => actionDone(b, 'web', 'upgrade'), 1_800_000, 'upgrade to finish');
    const c = await b.cluster('web');
    expect(c.status?.lastAction?.state).toBe('failed');
    expect(c.status?.lastAction?.description).toMatch(/^upgrade stopped: canary web-worker-0 failed: VM Failed/);
    expect(c.status?.kubernetesVersion).toBe('1.30');
    const vms = await b.clusterVms('web');
    // The control plane went first and was upgraded; the workers after the canary were not touched.
    expect(vms.find((v) => v.metadata.name === 'web-cp-0')?.spec?.image).toBe('bulkhead-ubuntu-jammy/k8s-1.31');
    for (const n of ['web-worker-1', 'web-worker-2']) {
      const vm = vms.find((v) => v.metadata.name === n)!;
      expect(vm.status?.phase).toBe('Running');
      expect(vm.spec?.image).toBe('bulkhead-ubuntu-jammy/k8s-1.30');
      expect(vm.metadata.labels?.['bulkhead.dev/node-schedulable']).toBeUndefined();
    }
    expect((await b.events('web')).some((e) => e.spec?.reason === 'UpgradeFailed' && e.spec.type === 'Warning')).toBe(true);
    expect((await b.events('web')).filter((e) => e.spec?.reason === 'UpdatingNode')).toHaveLength(2);
  });

  it('a control-plane node that fails stops the rollout before any worker', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    b.brokenNodes.add('web-cp-0');
    await b.updateCluster('web', { stemcell: 'bulkhead-ubuntu-noble' });
    await b.until(() => actionDone(b, 'web', 'upgrade'), 1_800_000, 'upgrade to finish');
    expect((await b.cluster('web')).status?.lastAction?.description).toMatch(/^upgrade stopped: node web-cp-0 failed: VM Failed/);
    for (const vm of (await b.clusterVms('web')).filter((v) => v.metadata.name.includes('worker'))) expect(vm.spec?.image).toBe('bulkhead-ubuntu-jammy/k8s-1.30');
  });

  it('refuses an upgrade while another action is in progress', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 1 });
    await b.advance(5_000);
    await expect(b.updateCluster('web', { kubernetesVersion: '1.31' })).rejects.toThrow(ConflictError);
    await expect(b.updateCluster('web', { kubernetesVersion: '1.31' })).rejects.toThrow(/cannot upgrade while the create action is in progress/);
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    await b.updateCluster('web', { kubernetesVersion: '1.31' });
    await b.advance(5_000);
    await expect(b.updateCluster('web', { kubernetesVersion: '1.29' })).rejects.toThrow(/cannot upgrade while the upgrade action is in progress/);
    await expect(b.updateCluster('web', { workers: 3 })).rejects.toThrow(/cannot resize while the upgrade action is in progress/);
  });
});
