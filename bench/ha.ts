/**
 * HA benchmark: a simulated datacenter of 5,000 hosts running 100,000 VMs (2 vCPU / 8 GiB, 20 per
 * host) with the whole control plane (SQLite store in memory, informers, placement, VM and host
 * controllers, the availability controllers) on one VirtualClock. One host crashes; the bench
 * measures
 *   - detection: virtual time from the crash to HA declaring the host dead (15 s of silence plus
 *     the 3 s datastore check, counted from its last heartbeat);
 *   - the restart pass's wall time from that declaration to every VM of the host placed again
 *     (planning over the zone: its hosts and VMs, the placement rules, the priority order; then
 *     the store writes), and its planning part alone;
 *   - virtual time from the crash until all of them run again (clone + boot, 40 s +-15 %).
 * Each configuration runs 3 times (`--runs`); every run and the median are printed.
 *
 *   npm run build && node dist/bench/ha.js [--hosts 5000] [--vms 100000] [--zones 1,50] [--runs 3]
 */
import { API_VERSION, type Tenant, type VirtualMachine, type Zone } from '../src/api/index.js';
import { addAvailabilityControllers } from '../src/availability/index.js';
import { VirtualClock } from '../src/clock/index.js';
import { ControllerManager, syncInventory } from '../src/controllers/index.js';
import { createSimDriver, generateTopology } from '../src/infra/index.js';
import { openSqliteStore } from '../src/store/index.js';
import pino from 'pino';
import { arg, fmt, intArg, medianRow, note, printTable } from './bench-util.js';

interface Row {
  readonly setupS: number;
  readonly restarted: number;
  readonly detectS: number;
  readonly planMs: number;
  readonly passMs: number;
  readonly placedMs: number;
  readonly allRunningS: number;
}

const KEYS = ['setupS', 'restarted', 'detectS', 'planMs', 'passMs', 'placedMs', 'allRunningS'] as const;
const VM_MIB = 8192;
const VM_CPUS = 2;

async function run(hosts: number, vms: number, zones: number, seed: number): Promise<Row> {
  const t0 = performance.now();
  const clock = new VirtualClock(Date.UTC(2026, 5, 1));
  const topology = generateTopology({ zones, hostsPerZone: Math.ceil(hosts / zones), memoryMiB: 512 * 1024, sevEsFraction: 0 });
  const driver = createSimDriver({ clock, seed, topology, historyLimit: 1_000 });
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  await syncInventory(store, driver);
  const tenant: Tenant = { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } };
  await store.create(tenant);
  for (const z of (await store.list<Zone>('Zone')).items) {
    await store.update<Zone>({ ...z, spec: { ...z.spec, ha: { enabled: true, admissionControl: { policy: 'percentage', tolerateHostFailures: 1 } } } });
  }

  // The VMs run in the datacenter and are recorded as running in the store (no placement pass).
  const inv = (await driver.inventory()).hosts;
  const perHost = Math.ceil(vms / inv.length);
  const pending: Promise<{ vmId: string }>[] = [];
  const where: { name: string; host: string; zone: string; numa: number }[] = [];
  for (let i = 0; i < vms; i++) {
    const h = inv[Math.floor(i / perHost)]!;
    const numa = i % 2;
    const name = `vm-${i}`;
    where.push({ name, host: h.name, zone: h.zone, numa });
    pending.push(driver.createVm({ agentId: name, host: h.name, stemcell: 'bench', resources: { cpus: VM_CPUS, memoryMiB: VM_MIB, numaNodes: [numa] }, env: { name } }));
  }
  await clock.advance(60_000);
  const ids = await Promise.all(pending);
  for (let c = 0; c < vms; c += 5_000) {
    await store.transaction(async (tx) => {
      for (let i = c; i < Math.min(vms, c + 5_000); i++) {
        const w = where[i]!;
        const vm: VirtualMachine = {
          apiVersion: API_VERSION,
          kind: 'VirtualMachine',
          metadata: { name: w.name, finalizers: ['bulkhead.dev/vm-cleanup'], labels: { 'bulkhead.dev/tenant': 'acme' } },
          spec: { tenant: 'acme', cpus: VM_CPUS, memoryMiB: VM_MIB, sensitivity: 'low', powerState: 'On', restartPriority: (['high', 'medium', 'low'] as const)[i % 3] },
          status: { phase: 'Running', host: w.host, zone: w.zone, numaNodes: [w.numa], vmId: ids[i]!.vmId },
        };
        await tx.create(vm);
      }
    });
  }

  const log = pino({ level: 'silent' });
  const manager = new ControllerManager({ store, driver, clock, infraClock: clock, log, seed, heartbeatIntervalMs: driver.timings.heartbeatIntervalMs });
  const ha = addAvailabilityControllers({ store, driver, clock, infraClock: clock, log, seed, ...manager.hooks });
  await manager.start();
  for (let i = 0; i < 30 && !(manager.idle() && clock.now() > 0); i++) await clock.advance(1_000);
  await clock.advance(15_000);
  const setupS = (performance.now() - t0) / 1000;

  const victim = inv[0]!.name;
  const lost = where.filter((w) => w.host === victim).map((w) => w.name);
  let declaredAt = 0;
  let declaredWall = 0;
  ha.health.observe((c) => {
    if (c.host !== victim || c.to.state !== 'dead') return;
    declaredAt = clock.now();
    declaredWall = performance.now();
  });
  let pass: { planMs: number; wallMs: number; placed: number; doneWall: number } | undefined;
  ha.restarts.onPass = (r) => {
    if (r.placed > 0 && pass === undefined) pass = { ...r, doneWall: performance.now() };
  };
  const failedAt = clock.now();
  await driver.faults.failHost(victim, 'bench');
  while (pass === undefined && clock.now() - failedAt < 120_000) await clock.advance(100);
  if (pass === undefined) throw new Error('no restart pass within 120 virtual seconds');
  const vmInf = manager.informers.vms;
  const allRunning = () => lost.every((n) => vmInf.get(n)?.status?.phase === 'Running' && vmInf.get(n)?.status?.host !== victim);
  while (!allRunning() && clock.now() - failedAt < 600_000) await clock.advance(1_000);
  if (!allRunning()) throw new Error('the lost VMs did not all run again within 600 virtual seconds');
  const unplaced = lost.filter((n) => vmInf.get(n)?.status?.host === victim);
  if (unplaced.length) throw new Error(`${unplaced.length} VMs were not restarted`);
  const row: Row = {
    setupS,
    restarted: pass.placed,
    detectS: (declaredAt - failedAt) / 1000,
    planMs: pass.planMs,
    passMs: pass.wallMs,
    placedMs: pass.doneWall - declaredWall,
    allRunningS: (clock.now() - failedAt) / 1000,
  };
  await manager.stop();
  await driver.close();
  await store.close();
  return row;
}

async function main(): Promise<void> {
  const hosts = intArg('hosts', 5_000);
  const vms = intArg('vms', 100_000);
  const runs = intArg('runs', 3);
  const zoneCounts = arg('zones', '1,50').split(',').map(Number);
  const rows: string[][] = [];
  for (const zones of zoneCounts) {
    const results: Row[] = [];
    for (let r = 0; r < runs; r++) {
      const row = await run(hosts, vms, zones, 100 + r);
      results.push(row);
      note(`  ${hosts} hosts / ${vms} VMs / ${zones} zone(s), run ${r + 1}: restarted ${row.restarted} VMs; dead after ${fmt(row.detectS, 1)} s (virtual); plan ${fmt(row.planMs, 1)} ms, plan + writes ${fmt(row.passMs, 1)} ms, declared -> all placed ${fmt(row.placedMs, 1)} ms (wall); all running ${fmt(row.allRunningS, 1)} s (virtual) after the crash; setup ${fmt(row.setupS, 1)} s`);
    }
    const m = medianRow(results, KEYS);
    rows.push([String(hosts), String(vms), String(zones), String(m.restarted), fmt(m.detectS, 1), fmt(m.planMs, 1), fmt(m.passMs, 1), fmt(m.placedMs, 1), m.placedMs < 1000 ? 'yes' : 'no', fmt(m.allRunningS, 1)]);
  }
  printTable('HA: one host of the datacenter fails (medians)', ['hosts', 'VMs', 'zones', 'restarted', 'crash -> declared dead s (virtual)', 'plan ms', 'plan + writes ms', 'declared -> all placed ms (wall)', '< 1 s', 'crash -> all running s (virtual)'], rows);
}

await main();
