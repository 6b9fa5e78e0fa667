// Health monitor and resurrector on a virtual clock: a host crash takes a node down, it is
// recreated elsewhere with the same disk; when too many nodes go down at once (meltdown), nothing
// is recreated and a Warning event and a Meltdown condition say why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCondition } from '../../api/index.js';
import { actionDone, startBench, type Bench } from './testing.js';

let b: Bench;
beforeEach(async () => {
  b = await startBench();
});
afterEach(async () => {
  await b.close();
});

describe('resurrector', () => {
  it('recreates a node lost in a host crash on a healthy host, with its disk reattached', async () => {
    await b.createCluster('web', { tenant: 'acme', plan: 'small', workers: 2 });
    await b.until(() => actionDone(b, 'web'), 300_000, 'create');
    const vm = (await b.clusterVms('web')).find((v) => v.metadata.name === 'web-worker-1')!;
    const host = vm.status!.host!;
    const disk = vm.spec!.persistentDisks![0]!.diskId;
    await b.driver.faults.failHost(host, 'power supply');
    await b.until(async () => {
      const now = (await b.clusterVms('web')).find((v) => v.metadata.name === 'web-worker-1');
      return now?.status?.phase === 'Running' && now.metadata.uid !== vm.metadata.uid;
    }, 300_000, 'resurrection');
    const again = (await b.clusterVms('web')).find((v) => v.metadata.name === 'web-worker-1')!;
    expect(again.status?.host).not.toBe(host);
    expect(again.spec?.persistentDisks).toEqual([{ diskId: disk }]);
    expect((await b.driver.getVm(again.status!.vmId!)).disks).toEqual([disk]);
    const reasons = (await b.events('web')).map((e) => `${e.spec?.type}/${e.spec?.reason}`);
    expect(reasons).toEqual(expect.arrayContaining(['Warning/NodeDown', 'Normal/Resurrecting', 'Normal/Resurrected']));
    await b.until(async () => (await b.cluster('web')).status?.nodes?.every((n) => n.health === 'Healthy') ?? false, 60_000, 'all healthy');
  });

  it('stops resurrecting in a meltdown (>= 5 nodes and >= 20 % down) and raises a Warning and a condition', async () => {
    await b.createCluster('big', { tenant: 'acme', plan: 'small', workers: 9 });
    await b.until(() => actionDone(b, 'big'), 600_000, 'create');
    const vms = await b.clusterVms('big');
    // Fail hosts until at least 5 of the 10 nodes are on failed hosts.
    const byHost = new Map<string, number>();
    for (const v of vms) byHost.set(v.status!.host!, (byHost.get(v.status!.host!) ?? 0) + 1);
    const failed: string[] = [];
    let down = 0;
    for (const [h, n] of [...byHost].sort((x, y) => y[1] - x[1])) {
      if (down >= 5) break;
      await b.driver.faults.failHost(h, 'rack power');
      failed.push(h);
      down += n;
    }
    await b.advance(120_000);
    const c = await b.cluster('big');
    const meltdown = getCondition(c.status?.conditions, 'Meltdown');
    expect(meltdown).toMatchObject({ status: 'True', reason: 'Meltdown' });
    expect(meltdown?.message).toMatch(new RegExp(`^${down} of 10 nodes down`));
    const events = await b.events('big');
    expect(events.some((e) => e.spec?.type === 'Warning' && e.spec.reason === 'Meltdown')).toBe(true);
    expect(events.some((e) => e.spec?.reason === 'Resurrecting')).toBe(false);
    const lost = (await b.clusterVms('big')).filter((v) => failed.includes(v.status?.host ?? ''));
    expect(lost).toHaveLength(down);
    for (const v of lost) expect(v.status?.phase).toBe('Lost');
    expect(c.status?.nodes?.filter((n) => n.health === 'Unhealthy')).toHaveLength(down);
  });
});
