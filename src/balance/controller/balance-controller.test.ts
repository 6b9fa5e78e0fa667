// The balance controller on the virtual clock: demand from pods and profiles becomes entitlements
// in status, DRS passes run every intervalSeconds of simulated time, manual mode leaves
// recommendations with their figures, fully automated mode issues VmMigrations with reason DRS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualMachine, VmMigration } from '../../api/index.js';
import type { DrsRecommendationObject, DrsRuleObject, ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { API_VERSION } from '../../api/index.js';
import { GiB, ZONE, startBench, type Bench } from '../balance.test-util.js';
import type { VmStatusWithResources } from './status-figures.js';

let b: Bench;
beforeEach(async () => {
  b = await startBench();
});
afterEach(async () => {
  await b.close();
});

const resources = (vm: VirtualMachine) => (vm.status as VmStatusWithResources | undefined)?.resources;
const recs = async () => (await b.store.list<DrsRecommendationObject>('DrsRecommendation')).items;
const migrations = async () => (await b.store.list<VmMigration>('VmMigration')).items;

/** Six 4-vCPU VMs, then the ones sharing the first VM's host demand 4 cores each, the rest 0.2. */
async function skewedZone(): Promise<{ hot: string; hotVms: string[] }> {
  const vms = await b.runVms(['v1', 'v2', 'v3', 'v4', 'v5', 'v6'], { demand: { cpuMillis: 200, memoryMiB: 1024 } });
  const hot = vms[0]?.status?.host as string;
  const hotVms = vms.filter((v) => v.status?.host === hot).map((v) => v.metadata.name);
  for (const v of hotVms) await b.setDemand(v, { cpuMillis: 4000, memoryMiB: 6 * GiB });
  return { hot, hotVms };
}

describe('demand, entitlement and status', () => {
  it('writes each running VM its demand from pods and profile, its entitlement and its pool', async () => {
    await b.createPool('acme', { tenant: 'acme', tenantDefault: true, cpu: { shares: { level: 'high' } } });
    await b.runVms(['plain', 'node']);
    await b.addPod('node', 'api-1', { cpu: '1500m', memory: '1Gi' });
    await b.addPod('node', 'api-2', { cpu: '500m', memory: '512Mi', cpuLimit: '1' }, { 'bulkhead.dev/demand-profile': JSON.stringify({ kind: 'constant', cpuMillis: 3000, memoryMiB: 256 }) });
    const s = await b.pass();
    expect(s.outcome).toBe('ran');
    const plain = resources(await b.vm('plain'));
    // No pods, no annotation: 25 % of 4 vCPUs at 2,000 MHz, 50 % of 8 GiB.
    expect(plain?.cpu.demandMHz).toBe(2000);
    expect(plain?.memory.demandMiB).toBe(4096);
    expect(plain).toMatchObject({ pool: 'acme', poolSource: 'tenant' });
    const node = resources(await b.vm('node'));
    // System reserve of a 4 vCPU node (80 m) + 1500 m + api-2 held to its 1-core limit = 2580 m.
    expect(node?.cpu.demandMHz).toBe(Math.round((2.58 * 2000)));
    expect(node?.cpu.readyMs).toBe(0);
    const pool = await b.store.get<ResourcePoolObject>('ResourcePool', '', 'acme');
    expect(pool.status?.vms).toBe(2);
    expect(pool.status?.cpu?.demandMHz).toBe(2000 + 5160);
    expect(pool.status?.conditions?.[0]).toMatchObject({ type: 'Valid', status: 'True' });
  });

  it('gives contended VMs less than their demand, by shares, with CPU ready', async () => {
    const big = await b.runVms(['a', 'b', 'c', 'd', 'e', 'f'], { cpus: 8, demand: { cpuMillis: 8000, memoryMiB: 1024 } });
    const host = big[0]?.status?.host as string;
    const same = big.filter((v) => v.status?.host === host);
    expect(same.length).toBeGreaterThanOrEqual(2);
    await b.pass();
    const figures = await Promise.all(same.map(async (v) => resources(await b.vm(v.metadata.name))));
    const used = figures.reduce((a, f) => a + (f?.cpu.usageMHz ?? 0), 0);
    // Each host has 8 cores x 2,000 MHz; its VMs together want more.
    expect(used).toBeLessThanOrEqual(16_000 + same.length);
    for (const f of figures) {
      expect(f?.cpu.demandMHz).toBe(16_000);
      expect(f?.cpu.usageMHz).toBeLessThan(16_000);
      expect(f?.cpu.readyMs).toBeGreaterThan(0);
    }
  });

  it('writes a steady VM status once, not at every pass', async () => {
    await b.runVms(['steady']);
    await b.pass();
    const rv = (await b.vm('steady')).metadata.resourceVersion;
    await b.pass();
    await b.pass();
    expect((await b.vm('steady')).metadata.resourceVersion).toBe(rv);
    await b.setDemand('steady', { cpuMillis: 3000, memoryMiB: 4096 });
    await b.pass();
    expect(resources(await b.vm('steady'))?.cpu.demandMHz).toBe(6000);
  });
});

describe('DRS passes', () => {
  it('runs a pass every intervalSeconds of simulated time, and follows a changed interval', async () => {
    await b.runVms(['p1']);
    const count = () => b.runtime.passCount.get(ZONE) ?? 0;
    const start = count();
    await b.advance(3 * 300_000);
    expect(count() - start).toBeGreaterThanOrEqual(2);
    expect(count() - start).toBeLessThanOrEqual(3);
    await b.setDrs({ intervalSeconds: 60 });
    const before = count();
    await b.advance(10 * 60_000);
    expect(count() - before).toBeGreaterThanOrEqual(9);
  });

  it('manual: a skewed zone gets recommendations with imbalance before/after and cost, and nothing moves', async () => {
    const { hot, hotVms } = await skewedZone();
    const s = await b.pass();
    expect(s.outcome).toBe('ran');
    expect(s.before?.imbalance).toBeGreaterThan(s.target as number);
    expect(s.after?.imbalance).toBeLessThan(s.before?.imbalance as number);
    const pending = await recs();
    expect(pending.length).toBe(s.recommendations);
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) {
      expect(r.status?.phase).toBe('Pending');
      if (r.spec?.from === hot) expect(hotVms).toContain(r.spec.vm);
      expect(r.status?.imbalanceAfter).toBeLessThan(r.status?.imbalanceBefore as number);
      expect(r.status?.cost?.seconds).toBeGreaterThan(0);
      expect(r.status?.cost?.transferredMiB).toBeGreaterThanOrEqual(8 * GiB);
      expect(r.status?.pass).toMatchObject({ automation: 'manual', threshold: 3 });
    }
    expect(pending.filter((r) => r.spec?.from === hot).length).toBeGreaterThan(0);
    expect(await migrations()).toEqual([]);
    // The next pass proposes the same moves: same objects, no churn.
    const names = pending.map((r) => r.metadata.name).sort();
    await b.pass();
    expect((await recs()).map((r) => r.metadata.name).sort()).toEqual(names);
  });

  it('fullyAutomated: the pass issues VmMigrations with reason DRS and waits for them', async () => {
    await skewedZone();
    await b.setDrs({ automation: 'fullyAutomated' });
    const s = await b.pass();
    expect(s.migrations).toBeGreaterThan(0);
    const ms = await migrations();
    expect(ms.length).toBe(s.migrations);
    const applied = await recs();
    for (const m of ms) {
      const rec = applied.find((r) => r.metadata.name === m.metadata.labels?.['bulkhead.dev/drs-recommendation']);
      expect(rec?.status?.phase).toBe('Applied');
      expect(m.spec).toEqual({ vm: rec?.spec?.vm, toHost: rec?.spec?.to, reason: 'DRS' });
    }
    const next = await b.pass();
    expect(next.outcome).toBe('waiting');
    expect(next.message).toMatch(/waiting for \d+ migration\(s\)/);
  });

  it('disabled: no recommendations, statuses still written', async () => {
    await skewedZone();
    await b.setDrs({ enabled: false });
    const s = await b.pass();
    expect(s.outcome).toBe('disabled');
    expect(await recs()).toEqual([]);
    expect(resources(await b.vm('v1'))).toBeDefined();
  });

  it('fixes a must anti-affinity violation first and reports the rule unsatisfied meanwhile', async () => {
    const vms = await b.runVms(['x1', 'x2', 'x3', 'x4', 'x5', 'x6'], { demand: { cpuMillis: 200, memoryMiB: 512 } });
    const host = vms[0]?.status?.host;
    const pair = vms.filter((v) => v.status?.host === host).map((v) => v.metadata.name);
    expect(pair.length).toBeGreaterThanOrEqual(2);
    const rule: DrsRuleObject = { apiVersion: API_VERSION, kind: 'DrsRule', metadata: { name: 'apart' }, spec: { zone: ZONE, type: 'vmAntiAffinity', vms: pair.slice(0, 2) } };
    await b.store.create(rule);
    await b.advance(10);
    await b.pass();
    const r = await recs();
    expect(r.some((x) => x.spec?.kind === 'mustRule' && x.spec.priority === 1 && pair.includes(x.spec.vm))).toBe(true);
    const stored = await b.store.get<DrsRuleObject>('DrsRule', '', 'apart');
    expect(stored.status).toMatchObject({ satisfied: false });
    expect(stored.status?.message).toMatch(/sharing hosts/);
  });
});
