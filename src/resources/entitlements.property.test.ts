/**
 * Invariants of the entitlement computation over random zones, pool trees and VMs: capacity is
 * never exceeded, nobody gets more than its limit or demand or less than its (admitted)
 * reservation, children never get more than their parent, and nothing is left idle while demand
 * within limits is unmet (work conservation), at every level of the tree and on every host.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostCpuMHz, zoneCapacities, type HostCapacity } from './capacity.js';
import { computeEntitlements, type EntitlementResult } from './entitlements.js';
import { ZONE, pool } from './fixtures.test-util.js';
import type { SharesSpec, VmResourceAllocation } from './pool-schema.js';
import { rootPoolName, type PoolDef, type PoolTree, type ResourceKind } from './pool-tree.js';
import { admitReservations } from './reservations.js';
import { validatePoolTree } from './validate-pool-tree.js';
import type { VmLoad } from './vm-load.js';

const EPS = 1e-6;
const ROOT = rootPoolName(ZONE);

/** A fraction in [0, max/100], uniform over whole percents (fc.double would crowd near 0). */
const percent = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max }).map((p) => p / 100);

const sharesArb: fc.Arbitrary<SharesSpec | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<SharesSpec>({ level: 'low' }, { level: 'normal' }, { level: 'high' }),
  fc.integer({ min: 1, max: 100_000 }).map((shares): SharesSpec => ({ level: 'custom', shares })),
);

const hostArb = fc.record({ cores: fc.integer({ min: 1, max: 16 }), coreMHz: fc.constantFrom(1000, 2000, 2600), memoryMiB: fc.integer({ min: 1024, max: 65_536 }) });
const poolArb = fc.record({
  parent: fc.nat(),
  cpuShares: sharesArb,
  memShares: sharesArb,
  /** Fractions of the zone's capacity; often none. */
  cpuRes: fc.option(percent(30), { freq: 2 }),
  memRes: fc.option(percent(30), { freq: 2 }),
  cpuLimitExtra: fc.option(fc.integer({ min: 0, max: 30_000 }), { freq: 3 }),
  memLimitExtra: fc.option(fc.integer({ min: 0, max: 30_000 }), { freq: 3 }),
  cpuExp: fc.boolean(),
  memExp: fc.boolean(),
});
const vmArb = fc.record({
  host: fc.nat(),
  pool: fc.nat(),
  vcpus: fc.integer({ min: 1, max: 8 }),
  memoryMiB: fc.integer({ min: 512, max: 16_384 }),
  cpuDemand: percent(150),
  memDemand: percent(120),
  cpuShares: sharesArb,
  memShares: sharesArb,
  /** Fractions of what the VM can use at most (vCPUs x core MHz, configured memory). */
  cpuRes: fc.option(percent(100)),
  memRes: fc.option(percent(100)),
  cpuLimitExtra: fc.option(fc.integer({ min: 0, max: 8000 }), { freq: 3 }),
  memLimitExtra: fc.option(fc.integer({ min: 0, max: 8000 }), { freq: 3 }),
  tenant: fc.constantFrom('t1', 't2', 't3'),
});
const worldArb = fc.record({
  hosts: fc.array(hostArb, { minLength: 1, maxLength: 5 }),
  pools: fc.array(poolArb, { maxLength: 8 }),
  vms: fc.array(vmArb, { maxLength: 30 }),
  noPoolLimits: fc.boolean(),
});

interface World {
  readonly hosts: HostCapacity[];
  readonly tree: PoolTree;
  readonly vms: VmLoad[];
  readonly poolLimits: boolean;
}

/** Builds a valid world: pools that do not fit lose their reservation, VM reservations refused at admission are dropped. */
type RawWorld = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(w: RawWorld): World {
  const hosts = w.hosts.map((h, i): HostCapacity => ({ name: `h${i}`, zone: ZONE, ...h }));
  const caps = zoneCapacities(hosts);
  const defs: PoolDef[] = [];
  const zone = caps.get(ZONE) as { cpuMHz: number; memoryMiB: number };
  w.pools.forEach((p, i) => {
    const parent = p.parent % (defs.length + 1);
    const cpuRes = Math.floor((p.cpuRes ?? 0) * zone.cpuMHz);
    const memRes = Math.floor((p.memRes ?? 0) * zone.memoryMiB);
    const opts = {
      ...(parent > 0 ? { parent: (defs[parent - 1] as PoolDef).name } : {}),
      ...(p.cpuShares ? { cpuShares: p.cpuShares } : {}),
      ...(p.memShares ? { memShares: p.memShares } : {}),
      cpuExpandable: p.cpuExp,
      memExpandable: p.memExp,
    };
    const limits = w.noPoolLimits
      ? {}
      : { ...(p.cpuLimitExtra !== null ? { cpuLimit: cpuRes + p.cpuLimitExtra } : {}), ...(p.memLimitExtra !== null ? { memLimit: memRes + p.memLimitExtra } : {}) };
    const full = pool(`p${i}`, { ...opts, ...limits, cpuRes, memRes });
    if (validatePoolTree([...defs, full], caps).ok) defs.push(full);
    else defs.push(pool(`p${i}`, { ...opts, ...limits }));
  });
  const r = validatePoolTree(defs, caps);
  if (!r.ok) throw new Error(`generator built an invalid tree: ${JSON.stringify(r.causes)}`);
  const nodes = [ROOT, ...defs.map((d) => d.name)];
  let vms: VmLoad[] = w.vms.map((v, i) => {
    const host = hosts[v.host % hosts.length] as HostCapacity;
    const poolName = nodes[v.pool % nodes.length] as string;
    const cpuRes = v.cpuRes === null ? undefined : Math.floor(v.cpuRes * v.vcpus * host.coreMHz);
    const memRes = v.memRes === null ? undefined : Math.floor(v.memRes * v.memoryMiB);
    const allocation: VmResourceAllocation = {
      ...(poolName !== ROOT ? { pool: poolName } : {}),
      cpu: {
        ...(v.cpuShares ? { shares: v.cpuShares } : {}),
        ...(cpuRes !== undefined ? { reservationMHz: cpuRes } : {}),
        ...(v.cpuLimitExtra !== null ? { limitMHz: (cpuRes ?? 0) + v.cpuLimitExtra } : {}),
      },
      memory: {
        ...(v.memShares ? { shares: v.memShares } : {}),
        ...(memRes !== undefined ? { reservationMiB: memRes } : {}),
        ...(v.memLimitExtra !== null ? { limitMiB: (memRes ?? 0) + v.memLimitExtra } : {}),
      },
    };
    return {
      name: `vm${i}`,
      host: host.name,
      tenant: v.tenant,
      vcpus: v.vcpus,
      memoryMiB: v.memoryMiB,
      cpuDemandMHz: v.cpuDemand * v.vcpus * host.coreMHz,
      memoryDemandMiB: v.memDemand * v.memoryMiB,
      allocation,
    };
  });
  const admitted = admitReservations(
    r.tree,
    vms.map((v) => ({ pool: v.allocation?.pool ?? ROOT, cpuMHz: v.allocation?.cpu?.reservationMHz ?? 0, memoryMiB: v.allocation?.memory?.reservationMiB ?? 0 })),
  );
  const refused = new Set(admitted.refused.map((x) => x.index));
  vms = vms.map((v, i) => {
    if (!refused.has(i) || v.allocation === undefined) return v;
    const { reservationMHz: _c, ...cpu } = v.allocation.cpu ?? {};
    const { reservationMiB: _m, ...memory } = v.allocation.memory ?? {};
    return { ...v, allocation: { ...v.allocation, cpu, memory } };
  });
  return { hosts, tree: admitted.tree, vms, poolLimits: !w.noPoolLimits };
}

interface Limits {
  readonly reservation: number;
  readonly limit: number;
  readonly runnable: number;
}

function vmLimits(v: VmLoad, h: HostCapacity, kind: ResourceKind): Limits {
  const a = v.allocation;
  return kind === 'cpu'
    ? { reservation: a?.cpu?.reservationMHz ?? 0, limit: a?.cpu?.limitMHz ?? Infinity, runnable: Math.min(v.cpuDemandMHz, v.vcpus * h.coreMHz) }
    : { reservation: a?.memory?.reservationMiB ?? 0, limit: a?.memory?.limitMiB ?? Infinity, runnable: Math.min(v.memoryDemandMiB, v.memoryMiB) };
}

const pick = (r: EntitlementResult, kind: ResourceKind) => ({
  vmEnt: r.vms.map((v) => (kind === 'cpu' ? v.cpu.entitlementMHz : v.memory.entitlementMiB)),
  vmUse: r.vms.map((v) => (kind === 'cpu' ? v.cpu.usageMHz : v.memory.usageMiB)),
  vmHostCap: r.vms.map((v) => (kind === 'cpu' ? v.cpu.capMHz : v.memory.capMiB)),
  pool: new Map(
    r.pools.map((p) => [
      p.name,
      kind === 'cpu' ? { ent: p.cpu.entitlementMHz, demand: p.cpu.demandMHz, usage: p.cpu.usageMHz } : { ent: p.memory.entitlementMiB, demand: p.memory.demandMiB, usage: p.memory.usageMiB },
    ]),
  ),
});

describe('computeEntitlements invariants', () => {
  it('respects capacity, limits, demand, reservations and the tree, and conserves work', () => {
    fc.assert(
      fc.property(worldArb, (raw) => {
        const w = build(raw);
        const r = computeEntitlements({ hosts: w.hosts, tree: w.tree, vms: w.vms });
        expect(computeEntitlements({ hosts: w.hosts, tree: w.tree, vms: w.vms })).toEqual(r);
        const hostOf = new Map(w.hosts.map((h) => [h.name, h]));
        for (const kind of ['cpu', 'memory'] as const) {
          const { vmEnt, vmUse, vmHostCap, pool: pools } = pick(r, kind);
          const capacity = kind === 'cpu' ? w.hosts.reduce((a, h) => a + hostCpuMHz(h), 0) : w.hosts.reduce((a, h) => a + h.memoryMiB, 0);
          const caps = w.vms.map((v) => {
            const l = vmLimits(v, hostOf.get(v.host) as HostCapacity, kind);
            return { ...l, cap: Math.min(l.runnable, l.limit) };
          });
          // Capacity, limits, demand, reservations.
          expect(vmEnt.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(capacity + EPS);
          vmEnt.forEach((e, i) => {
            const c = caps[i] as Limits & { cap: number };
            expect(e).toBeGreaterThanOrEqual(-EPS);
            expect(e).toBeLessThanOrEqual(c.cap + EPS);
            expect(e).toBeGreaterThanOrEqual(Math.min(c.reservation, c.cap) - EPS);
            expect(vmUse[i] as number).toBeLessThanOrEqual((vmHostCap[i] as number) + EPS);
            expect(vmHostCap[i] as number).toBeLessThanOrEqual(c.cap + EPS);
          });
          // The tree: children within the parent, all of it used unless their demand is smaller.
          for (const node of w.tree.nodes.values()) {
            const p = pools.get(node.name) as { ent: number; demand: number; usage: number };
            let childEnt = 0;
            let childDemand = 0;
            for (const c of node.children) {
              childEnt += (pools.get(c) as { ent: number }).ent;
              childDemand += (pools.get(c) as { demand: number }).demand;
            }
            w.vms.forEach((v, i) => {
              if ((v.allocation?.pool ?? ROOT) !== node.name) return;
              childEnt += vmEnt[i] as number;
              childDemand += (caps[i] as { cap: number }).cap;
            });
            expect(childEnt).toBeLessThanOrEqual(p.ent + 1e-4);
            expect(childEnt).toBeCloseTo(Math.min(p.ent, childDemand), 3);
            if (!node.isRoot) {
              expect(p.ent).toBeLessThanOrEqual(node[kind].limit + EPS);
              // Pool limits hold on the hosts too: what the VMs below actually use stays within.
              expect(p.usage).toBeLessThanOrEqual(node[kind].limit + 1e-4);
              expect(p.ent).toBeGreaterThanOrEqual(Math.min(node[kind].reservation, p.demand) - EPS);
            }
            else expect(p.ent).toBeCloseTo(Math.min(capacity, childDemand), 3);
          }
          // Zone-wide work conservation: without pool limits, unmet demand means a full zone.
          if (!w.poolLimits && vmEnt.some((e, i) => e < (caps[i] as { cap: number }).cap - 1e-3))
            expect(vmEnt.reduce((a, b) => a + b, 0)).toBeCloseTo(capacity, 3);
          // Hosts: never over capacity, and never idle while a VM on it wants more.
          for (const h of w.hosts) {
            const hostCap = kind === 'cpu' ? hostCpuMHz(h) : h.memoryMiB;
            let used = 0;
            let wanted = 0;
            w.vms.forEach((v, i) => {
              if (v.host !== h.name) return;
              used += vmUse[i] as number;
              wanted += vmHostCap[i] as number;
            });
            expect(used).toBeLessThanOrEqual(hostCap + EPS);
            expect(used).toBeCloseTo(Math.min(hostCap, wanted), 3);
          }
        }
        for (const v of r.vms) {
          expect(v.cpu.readyMs).toBeGreaterThanOrEqual(0);
          expect(v.cpu.readyPercent).toBeLessThanOrEqual(100 + EPS);
          expect(v.memory.balloonMiB + v.memory.swapMiB).toBeCloseTo(Math.max(0, Math.min(v.memory.demandMiB, (w.vms.find((x) => x.name === v.name) as VmLoad).memoryMiB) - v.memory.usageMiB), 3);
        }
      }),
      { numRuns: 200 },
    );
  });
});
