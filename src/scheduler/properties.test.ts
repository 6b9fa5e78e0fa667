/**
 * Property tests: a random stream of VM placements and deletions over random small clusters,
 * checked after every step against an independent ledger and a brute-force oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Host, IsolationMode, Sensitivity, VirtualMachine, Zone } from '../api/index.js';
import { makeHost, makeTenant, makeVm, makeZone } from './fixtures.js';
import { Scheduler } from './scheduler.js';
import { ClusterSnapshot } from './snapshot.js';

const LEVELS: readonly Sensitivity[] = ['low', 'moderate', 'high'];
const MODES: readonly IsolationMode[] = ['shared', 'per-sensitivity', 'per-tenant'];
const GiB = 1024;

interface Placed {
  readonly vm: VirtualMachine;
  readonly sensitivity: Sensitivity;
  readonly host: string;
  readonly numaNodes: readonly number[];
}

const zoneArb = fc.record({ mode: fc.constantFrom(...MODES), cpu: fc.constantFrom(100, 150, 200, 400), mem: fc.constantFrom(50, 100, 150) });
const hostArb = fc.record({
  zone: fc.nat(2),
  state: fc.constantFrom('Ready', 'Ready', 'Ready', 'NotReady') as fc.Arbitrary<'Ready' | 'NotReady'>,
  cordoned: fc.nat(9).map((x) => x === 0),
  sev: fc.boolean(),
  nodes: fc.array(fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 4, max: 32 })), { minLength: 1, maxLength: 3 }),
});
const vmArb = fc.record({
  tenant: fc.nat(3),
  cpus: fc.integer({ min: 1, max: 16 }),
  memGiB: fc.integer({ min: 1, max: 40 }),
  encrypted: fc.boolean(),
  pin: fc.option(fc.nat(2), { freq: 4 }),
  sensitivity: fc.option(fc.constantFrom(...LEVELS), { freq: 3 }),
});
const opArb = fc.oneof({ weight: 4, arbitrary: vmArb.map((v) => ({ kind: 'place' as const, v })) }, { weight: 1, arbitrary: fc.nat(50).map((i) => ({ kind: 'delete' as const, i })) });
const clusterArb = fc.record({
  zones: fc.array(zoneArb, { minLength: 3, maxLength: 3 }),
  hosts: fc.array(hostArb, { minLength: 1, maxLength: 6 }),
  tenantLevels: fc.array(fc.constantFrom(...LEVELS), { minLength: 4, maxLength: 4 }),
  tenantZones: fc.array(fc.option(fc.subarray([0, 1, 2], { minLength: 1 }), { freq: 2 }), { minLength: 4, maxLength: 4 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
  seed: fc.nat(),
});

const share = (total: number, k: number, j: number) => Math.floor(total / k) + (j < total % k ? 1 : 0);

/** Independent oracle: node-set masks the VM may take on the host given the ledger, by the rules. */
function feasibleSets(host: Host, zone: Zone, vm: VirtualMachine, sens: Sensitivity, tenantZones: readonly string[] | undefined, ledger: readonly Placed[]): number[] {
  const spec = host.spec;
  const z = zone.spec;
  if (spec === undefined || z === undefined || vm.spec === undefined) throw new Error('spec');
  if (host.status?.state !== 'Ready' || spec.unschedulable === true) return [];
  if (vm.spec.zone !== undefined ? vm.spec.zone !== spec.zone : tenantZones !== undefined && !tenantZones.includes(spec.zone)) return [];
  if (vm.spec.zone !== undefined && tenantZones !== undefined && !tenantZones.includes(vm.spec.zone)) return [];
  if (vm.spec.encryptedMemory === true && !(spec.features ?? []).includes('sev-es')) return [];
  const here = ledger.filter((p) => p.host === host.metadata.name);
  if (z.isolation === 'per-sensitivity' && here.some((p) => p.sensitivity !== sens)) return [];
  if (z.isolation === 'per-tenant' && here.some((p) => p.vm.spec?.tenant !== vm.spec?.tenant)) return [];
  const cpuPct = z.cpuOvercommitPercent ?? 0;
  const memPct = z.memoryOvercommitPercent ?? 0;
  const usedCpu = here.reduce((a, p) => a + (p.vm.spec?.cpus ?? 0), 0);
  const usedMem = here.reduce((a, p) => a + (p.vm.spec?.memoryMiB ?? 0), 0);
  if (usedCpu + vm.spec.cpus > Math.floor((spec.cores * cpuPct) / 100)) return [];
  if (usedMem + vm.spec.memoryMiB > Math.floor((spec.memoryMiB * memPct) / 100)) return [];
  const nodeUse = nodeUsage(spec.numaNodes.length, here);
  const n = spec.numaNodes.length;
  const fitsOne = spec.numaNodes.some((nd) => nd.cores >= vm.spec!.cpus && nd.memoryMiB >= vm.spec!.memoryMiB);
  const out: number[] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const idx = [...Array(n).keys()].filter((i) => mask & (1 << i));
    if (fitsOne && idx.length !== 1) continue;
    const ok = idx.every((i, j) => {
      const nd = spec.numaNodes[i]!;
      const c = share(vm.spec!.cpus, idx.length, j);
      const m = share(vm.spec!.memoryMiB, idx.length, j);
      return (
        c <= nd.cores &&
        m <= nd.memoryMiB &&
        nodeUse[i]![0] + c <= Math.floor((nd.cores * cpuPct) / 100) &&
        nodeUse[i]![1] + m <= Math.floor((nd.memoryMiB * memPct) / 100)
      );
    });
    if (ok) out.push(mask);
  }
  return out;
}

function nodeUsage(n: number, here: readonly Placed[]): [number, number][] {
  const use = Array.from({ length: n }, () => [0, 0] as [number, number]);
  for (const p of here) {
    p.numaNodes.forEach((id, j) => {
      use[id]![0] += share(p.vm.spec?.cpus ?? 0, p.numaNodes.length, j);
      use[id]![1] += share(p.vm.spec?.memoryMiB ?? 0, p.numaNodes.length, j);
    });
  }
  return use;
}

const popcount = (m: number) => [...m.toString(2)].filter((c) => c === '1').length;

describe('scheduler properties', () => {
  it('never overcommits, never mixes isolation groups, and refuses only what fits nowhere', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const zoneNames = ['za', 'zb', 'zc'];
        const zones = c.zones.map((z, i) => makeZone(zoneNames[i]!, z.mode, z.cpu, z.mem));
        const hosts = c.hosts.map((h, i) =>
          makeHost(`h${i}`, {
            zone: zoneNames[h.zone],
            state: h.state,
            unschedulable: h.cordoned,
            ...(h.sev ? { features: ['sev-es'] } : {}),
            nodes: h.nodes.map(([cores, gib]) => [cores, gib * GiB] as const),
          }),
        );
        const tenantZones = c.tenantZones.map((zs) => (zs === null ? undefined : zs.map((i) => zoneNames[i]!)));
        const tenants = c.tenantLevels.map((lvl, i) => makeTenant(`t${i}`, lvl, tenantZones[i]));
        const sched = new Scheduler(ClusterSnapshot.build({ hosts, zones, tenants, seed: c.seed }), { seed: c.seed });
        const ledger: Placed[] = [];
        c.ops.forEach((op, step) => {
          if (op.kind === 'delete') {
            const victim = ledger[op.i % Math.max(1, ledger.length)];
            if (victim === undefined) return;
            ledger.splice(ledger.indexOf(victim), 1);
            expect(sched.snapshot.forget(`${victim.vm.metadata.namespace}/${victim.vm.metadata.name}`)).toBe(true);
            return;
          }
          const v = op.v;
          const vm = makeVm(`v${step}`, {
            tenant: `t${v.tenant}`,
            cpus: v.cpus,
            memoryMiB: v.memGiB * GiB,
            encryptedMemory: v.encrypted,
            ...(v.pin !== null ? { zone: zoneNames[v.pin] } : {}),
            ...(v.sensitivity !== null ? { sensitivity: v.sensitivity } : {}),
          });
          const sens = v.sensitivity ?? c.tenantLevels[v.tenant]!;
          const sets = hosts.map((h, i) => feasibleSets(h, zones[c.hosts[i]!.zone]!, vm, sens, tenantZones[v.tenant], ledger));
          const r = sched.place(vm);
          if (!r.ok) {
            // refused: brute force agrees that no host can take it
            expect(sets.every((s) => s.length === 0)).toBe(true);
            expect(r.explanation.feasible).toBe(0);
            return;
          }
          const i = hosts.findIndex((h) => h.metadata.name === r.host);
          const mask = r.numaNodes.reduce((m, id) => m | (1 << id), 0);
          // the choice is one the oracle allows, with the fewest nodes possible on that host
          expect(sets[i]).toContain(mask);
          expect(popcount(mask)).toBe(Math.min(...sets[i]!.map(popcount)));
          ledger.push({ vm, sensitivity: sens, host: r.host, numaNodes: r.numaNodes });
        });
        // final state: within limits per host and per node, isolation held, snapshot agrees with ledger
        hosts.forEach((h, i) => {
          const here = ledger.filter((p) => p.host === h.metadata.name);
          const z = zones[c.hosts[i]!.zone]!.spec!;
          const spec = h.spec!;
          const cpu = here.reduce((a, p) => a + p.vm.spec!.cpus, 0);
          const mem = here.reduce((a, p) => a + p.vm.spec!.memoryMiB, 0);
          expect(cpu).toBeLessThanOrEqual(Math.floor((spec.cores * z.cpuOvercommitPercent!) / 100));
          expect(mem).toBeLessThanOrEqual(Math.floor((spec.memoryMiB * z.memoryOvercommitPercent!) / 100));
          nodeUsage(spec.numaNodes.length, here).forEach(([nc, nm], n) => {
            expect(nc).toBeLessThanOrEqual(Math.floor((spec.numaNodes[n]!.cores * z.cpuOvercommitPercent!) / 100));
            expect(nm).toBeLessThanOrEqual(Math.floor((spec.numaNodes[n]!.memoryMiB * z.memoryOvercommitPercent!) / 100));
          });
          if (z.isolation === 'per-sensitivity') expect(new Set(here.map((p) => p.sensitivity)).size).toBeLessThanOrEqual(1);
          if (z.isolation === 'per-tenant') expect(new Set(here.map((p) => p.vm.spec!.tenant)).size).toBeLessThanOrEqual(1);
          const info = sched.snapshot.host(h.metadata.name)!;
          expect([info.allocatedVcpus, info.allocatedMemoryMiB, info.vmCount]).toEqual([cpu, mem, here.length]);
        });
      }),
      { numRuns: 300 },
    );
  });
});
