// HA and the cluster lifecycle on the virtual clock: HA restarts a lost node VM (same object, new
// host, its disk) before the resurrector's 60 s, and the resurrector leaves it alone while HA owns
// it; two hosts failing during a rolling upgrade do not fail the upgrade: HA brings the nodes back
// and the rollout finishes.
import { afterEach, describe, expect, it } from 'vitest';
import { API_VERSION, type Cluster, type ClusterEvent, type ClusterSpec, type VirtualMachine } from '../../src/api/index.js';
import { startHaBench, tenant, type HaBench } from '../../src/availability/testing.js';
import { admitCluster } from '../../src/server/admission-cluster.js';
import { cond } from './ha-helpers.js';

let b: HaBench;
afterEach(async () => {
  await b?.close();
});

async function start(): Promise<void> {
  // The default datacenter (2 zones x 8 hosts); the tenant uses zone-a, where HA is on.
  b = await startHaBench({ tenants: [tenant('acme', 'low', ['zone-a'])] });
  await b.setHa('zone-a', { enabled: true, admissionControl: { policy: 'percentage', tolerateHostFailures: 2 } });
}

async function createCluster(name: string, spec: Partial<ClusterSpec> & { plan: string }): Promise<void> {
  const c: Cluster = { apiVersion: API_VERSION, kind: 'Cluster', metadata: { name }, spec: { tenant: 'acme', ...spec } };
  await b.store.create(await admitCluster({ store: b.store }, c, undefined));
}

const cluster = (name: string) => b.store.get<Cluster>('Cluster', '', name);
const nodes = async (name: string) => (await b.store.list<VirtualMachine>('VirtualMachine', { labelSelector: `bulkhead.dev/cluster=${name}` })).items;
const events = async (name: string) => (await b.store.list<ClusterEvent>('Event', { labelSelector: `bulkhead.dev/cluster=${name}` })).items;
const done = async (name: string, type: string) => {
  const a = (await cluster(name)).status?.lastAction;
  return a?.type === type && a.state !== 'in progress';
};

describe('HA and the resurrector', () => {
  it('restarts a lost node VM itself; the resurrector neither alerts nor recreates it, even past its 60 s', async () => {
    await start();
    // Detection slower than the resurrector's 60 s grace: only the HaRestart claim keeps it away.
    await b.setHa('zone-a', { enabled: true, deadAfterSeconds: 75, admissionControl: { policy: 'disabled' } });
    await createCluster('web', { plan: 'small', workers: 2 });
    await b.until(() => done('web', 'create'), 300_000, 'create');
    const before = (await nodes('web')).find((v) => v.metadata.name === 'web-worker-1')!;
    const victim = before.status!.host!;
    await b.driver.faults.failHost(victim, 'power supply');
    await b.until(async () => {
      const v = (await nodes('web')).find((x) => x.metadata.name === 'web-worker-1');
      return v?.status?.phase === 'Running' && v.status.host !== victim;
    }, 300_000, 'node back');
    const after = (await nodes('web')).find((v) => v.metadata.name === 'web-worker-1')!;
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(cond(after, 'HaRestart')).toMatchObject({ status: 'False', reason: 'Restarted' });
    const disk = before.spec!.persistentDisks![0]!.diskId;
    expect((await b.driver.getVm(after.status!.vmId!)).disks).toEqual([disk]);
    await b.advance(120_000);
    const reasons = (await events('web')).map((e) => e.spec?.reason);
    expect(reasons).not.toContain('NodeDown');
    expect(reasons).not.toContain('Resurrecting');
    expect((await nodes('web')).find((v) => v.metadata.name === 'web-worker-1')?.metadata.uid).toBe(before.metadata.uid);
  });
});

describe('two hosts failing during a rolling upgrade', () => {
  it('HA restarts the nodes on the failed hosts (one of them in its watch time) and the upgrade finishes', async () => {
    await start();
    await createCluster('web', { plan: 'medium', workers: 3 });
    await b.until(() => done('web', 'create'), 600_000, 'create');
    const c = await cluster('web');
    await b.store.update<Cluster>({ ...c, spec: { ...c.spec!, kubernetesVersion: '1.31' } });
    // Once a recreated node is being watched, fail its host and the host of a node not yet replaced.
    let watched = '';
    await b.until(async () => {
      const r = (await cluster('web')).status?.replacing ?? {};
      watched = Object.entries(r).find(([, x]) => x.step === 'watching')?.[0] ?? '';
      return watched !== '';
    }, 600_000, 'a node in its watch time');
    const all = await nodes('web');
    const first = all.find((v) => v.metadata.name === watched)!.status!.host!;
    const second = all.find((v) => v.status?.host !== first && v.metadata.labels?.['bulkhead.dev/kubernetes-version'] !== '1.31')!.status!.host!;
    const hosts = [first, second];
    const restarted = new Set<string>();
    b.manager.informers.vms.addHandlers({
      onUpdate: (_o: VirtualMachine, n: VirtualMachine) => {
        if (cond(n, 'HaRestart')?.reason === 'Restarting') restarted.add(n.metadata.name);
      },
    });
    for (const h of hosts) await b.driver.faults.failHost(h, 'rack power');
    await b.until(() => done('web', 'upgrade'), 3_600_000, 'upgrade finished');
    const after = await cluster('web');
    expect(after.status?.lastAction).toMatchObject({ type: 'upgrade', state: 'succeeded' });
    expect(after.status?.kubernetesVersion).toBe('1.31');
    for (const v of await nodes('web')) {
      expect(v.status?.phase).toBe('Running');
      expect(hosts).not.toContain(v.status?.host);
      expect(v.spec?.image).toBe('bulkhead-ubuntu-jammy/k8s-1.31');
    }
    expect(restarted.size).toBeGreaterThan(0);
    const reasons = (await events('web')).map((e) => e.spec?.reason);
    expect(reasons).not.toContain('UpgradeFailed');
    expect(reasons).not.toContain('Meltdown');
  });
});
