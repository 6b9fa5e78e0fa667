import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment, Pod, VirtualMachine } from '../../api/index.js';
import { startHarness, type Harness } from '../harness.test-util.js';
import { isReady } from './pod-status.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const running = (pods: Pod[]) => pods.filter((p) => p.status?.phase === 'Running');

describe('deployment -> replicaset -> pods -> scheduled -> Running', () => {
  it('runs every replica on a worker of its cluster', async () => {
    await h.cluster('web', 'acme');
    for (let i = 0; i < 3; i++) await h.node(`web-w${i}`, { host: `h${i}` });
    await h.node('web-cp0', { role: 'control-plane' });
    await h.deployment('web', 'shop', 'api', 5);
    await h.run(20_000);
    const pods = h.pods('web');
    expect(pods.length).toBe(5);
    expect(running(pods).length).toBe(5);
    for (const p of pods) {
      expect(p.spec?.nodeName).toMatch(/^web-w/);
      expect(p.status?.host).toMatch(/^h\d$/);
      expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
      expect(p.metadata.labels?.['pod-template-hash']).toMatch(/^[a-z0-9]{10}$/);
      expect(p.status?.qosClass).toBe('Burstable');
    }
    // Spread across the three hosts.
    expect(new Set(pods.map((p) => p.status?.host)).size).toBe(3);
    const d = h.informer<Deployment>('Deployment').get('api', 'web/shop');
    expect(d?.status).toMatchObject({ replicas: 5, readyReplicas: 5, availableReplicas: 5, updatedReplicas: 5, observedGeneration: 1 });
  });

  it('models image pull once per node, then ~1 s starts', async () => {
    await h.node('web-w0');
    await h.deployment('web', 'default', 'api', 1);
    await h.run(1_500);
    expect(running(h.pods()).length).toBe(0); // pull takes 3-10 s for this image
    await h.run(12_000);
    expect(running(h.pods()).length).toBe(1);
    const d = h.informer<Deployment>('Deployment').get('api', 'web/default');
    if (!d?.spec) throw new Error('no deployment');
    await h.store.update({ ...d, spec: { ...d.spec, replicas: 2 } });
    await h.run(1_750);
    expect(running(h.pods()).length).toBe(2); // cached image: start only
  });
});

describe('scaling', () => {
  it('scales up and down, deleting unready pods first', async () => {
    await h.node('web-w0', { cpus: 8, memoryMiB: 32768 });
    const d = await h.deployment('web', 'default', 'api', 2);
    await h.run(15_000);
    expect(running(h.pods()).length).toBe(2);
    const cur = h.informer<Deployment>('Deployment').get('api', 'web/default') ?? d;
    await h.store.update({ ...cur, spec: { ...(cur.spec as NonNullable<Deployment['spec']>), replicas: 6 } });
    await h.run(15_000);
    expect(running(h.pods()).length).toBe(6);
    const cur2 = h.informer<Deployment>('Deployment').get('api', 'web/default') ?? d;
    await h.store.update({ ...cur2, spec: { ...(cur2.spec as NonNullable<Deployment['spec']>), replicas: 1 } });
    await h.run(5_000);
    expect(h.pods().length).toBe(1);
  });
});

describe('rolling update', () => {
  it.each([
    [6, 1, 1],
    [6, 2, 0],
    [5, 0, 2],
  ])('replicas %i, maxSurge %i, maxUnavailable %i: bounds hold at every step', async (replicas, maxSurge, maxUnavailable) => {
    for (let i = 0; i < 4; i++) await h.node(`web-w${i}`, { cpus: 8, memoryMiB: 32768, host: `h${i}` });
    await h.deployment('web', 'default', 'api', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } });
    await h.run(20_000);
    expect(running(h.pods()).filter(isReady).length).toBe(replicas);
    const d = h.informer<Deployment>('Deployment').get('api', 'web/default');
    if (!d?.spec) throw new Error('no deployment');
    const spec = d.spec;
    await h.store.update({ ...d, spec: { ...spec, template: { ...spec.template, spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:2' }] } } } });
    let minAvailable = Infinity;
    let maxTotal = 0;
    for (let t = 0; t < 120_000; t += 100) {
      await h.clock.advance(100);
      const pods = h.pods();
      minAvailable = Math.min(minAvailable, pods.filter(isReady).length);
      maxTotal = Math.max(maxTotal, pods.length);
      if (pods.length === replicas && pods.every((p) => p.spec?.containers[0]?.image.endsWith(':2') && isReady(p))) break;
    }
    const pods = h.pods();
    expect(pods.length).toBe(replicas);
    expect(pods.every((p) => p.spec?.containers[0]?.image.endsWith(':2') && isReady(p))).toBe(true);
    expect(minAvailable).toBeGreaterThanOrEqual(replicas - maxUnavailable);
    expect(maxTotal).toBeLessThanOrEqual(replicas + maxSurge);
    await h.run(2_000);
    const after = h.informer<Deployment>('Deployment').get('api', 'web/default');
    expect(after?.status).toMatchObject({ updatedReplicas: replicas, availableReplicas: replicas, replicas });
  });
});

describe('node failures and drain', () => {
  it('replaces the pods of a node VM that goes Lost on other nodes', async () => {
    for (let i = 0; i < 3; i++) await h.node(`web-w${i}`, { host: `h${i}` });
    await h.deployment('web', 'default', 'api', 6);
    await h.run(20_000);
    const victim = 'web-w1';
    expect(h.pods().some((p) => p.spec?.nodeName === victim)).toBe(true);
    const vm = h.informer<VirtualMachine>('VirtualMachine').get(victim);
    if (!vm) throw new Error('no vm');
    await h.store.update({ ...vm, status: { ...vm.status, phase: 'Lost' } }, { subresource: 'status' });
    await h.run(20_000);
    const pods = h.pods();
    expect(pods.length).toBe(6);
    expect(running(pods).length).toBe(6);
    expect(pods.some((p) => p.spec?.nodeName === victim)).toBe(false);
  });

  it('evicts the pods of a node with bulkhead.dev/drain=requested', async () => {
    for (let i = 0; i < 3; i++) await h.node(`web-w${i}`, { host: `h${i}` });
    await h.deployment('web', 'default', 'api', 6);
    await h.run(20_000);
    const vm = h.informer<VirtualMachine>('VirtualMachine').get('web-w0');
    if (!vm) throw new Error('no vm');
    await h.store.update({ ...vm, metadata: { ...vm.metadata, labels: { ...vm.metadata.labels, 'bulkhead.dev/node-schedulable': 'false' }, annotations: { 'bulkhead.dev/drain': 'requested' } } });
    await h.run(20_000);
    const pods = h.pods();
    expect(pods.filter((p) => p.spec?.nodeName === 'web-w0').length).toBe(0);
    expect(running(pods).length).toBe(6);
  });
});

describe('unschedulable pods', () => {
  it('stay Pending with the per-reason message', async () => {
    await h.cluster('web', 'acme', { name: 'tiny', maxPodsPerNode: 1 });
    await h.node('web-w0', { memoryMiB: 2048 });
    await h.node('web-w1');
    await h.node('web-w2');
    await h.deployment('web', 'default', 'filler', 2, {});
    await h.run(5_000);
    await h.deployment('web', 'default', 'big', 1, {
      selector: { matchLabels: { app: 'big' } },
      template: { metadata: { labels: { app: 'big' } }, spec: { containers: [{ name: 'x', image: 'busybox', resources: { requests: { memory: '3Gi' } } }] } },
    });
    await h.run(5_000);
    const big = h.pods().find((p) => p.metadata.name.startsWith('big-'));
    expect(big?.status?.phase).toBe('Pending');
    const cond = big?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(cond?.message).toMatch(/^0\/3 nodes are available: /);
    expect(cond?.message).toMatch(/Too many pods/);
  });
});
