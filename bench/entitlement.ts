/**
 * Entitlement benchmark: one full computation (divvy over the pool tree for CPU and memory, the
 * per-host pass, CPU ready and memory pressure) for 1,000 hosts (32 cores at 2,600 MHz, 512 GiB),
 * 20,000 VMs and a tree of 100 pools (10 tenant pools with 9 child pools each), about a third of
 * the hosts contended. DRS-style controllers call this every pass, so it must stay well under
 * 100 ms. Also times building the tree with the VMs' reservations and the `top` aggregation.
 * Prints the median and the range over the runs (wall time, and CPU time for the main step).
 *
 *   npm run build && node dist/bench/entitlement.js [--hosts 1000] [--vms 20000] [--runs 9]
 */
import { Random } from '../src/clock/index.js';
import {
  admitReservations,
  computeEntitlements,
  rootPoolName,
  topReport,
  validatePoolTree,
  zoneCapacities,
  type HostCapacity,
  type PoolDef,
  type SharesLevel,
  type VmLoad,
} from '../src/resources/index.js';
import { fmt, intArg, median, note, printTable } from './bench-util.js';

const ZONE = 'z1';
const CORE_MHZ = 2600;
const TENANT_POOLS = 10;
const CHILDREN = 9;
const LEVELS: readonly SharesLevel[] = ['low', 'normal', 'normal', 'high'];

function hosts(n: number): HostCapacity[] {
  return Array.from({ length: n }, (_, i) => ({ name: `h-${i}`, zone: ZONE, cores: 32, coreMHz: CORE_MHZ, memoryMiB: 512 * 1024 }));
}

function pools(capacityMHz: number, rng: Random): PoolDef[] {
  const out: PoolDef[] = [];
  for (let t = 0; t < TENANT_POOLS; t++) {
    const name = `tenant-${t}`;
    out.push({
      name,
      spec: {
        zone: ZONE,
        cpu: { shares: { level: LEVELS[t % LEVELS.length] as SharesLevel }, reservationMHz: Math.floor(capacityMHz * 0.03), expandableReservation: true },
        memory: { shares: { level: 'normal' } },
      },
    });
    for (let c = 0; c < CHILDREN; c++) {
      out.push({
        name: `${name}-app-${c}`,
        spec: {
          zone: ZONE,
          parent: name,
          cpu: { shares: { level: LEVELS[rng.int(0, LEVELS.length - 1)] as SharesLevel }, ...(c === 0 ? { limitMHz: Math.floor(capacityMHz * 0.004) } : {}) },
          memory: {},
        },
      });
    }
  }
  return out;
}

function vms(n: number, hostList: readonly HostCapacity[], poolList: readonly PoolDef[], rng: Random): VmLoad[] {
  const leaves = poolList.filter((p) => p.spec.parent !== undefined);
  return Array.from({ length: n }, (_, i) => {
    const h = hostList[i % hostList.length] as HostCapacity;
    const vcpus = [2, 4, 8][rng.int(0, 2)] as number;
    const memoryMiB = vcpus * 4 * 1024;
    // A third of the hosts run hot: their VMs demand up to 1.5x their vCPUs' worth.
    const hot = (i % hostList.length) % 3 === 0;
    const load = hot ? 0.3 + rng.next() * 0.7 : rng.next() * 0.5;
    const reserve = rng.next() < 0.1;
    const limit = rng.next() < 0.1;
    return {
      name: `vm-${i}`,
      host: h.name,
      tenant: `t-${i % TENANT_POOLS}`,
      vcpus,
      memoryMiB,
      cpuDemandMHz: load * vcpus * CORE_MHZ,
      memoryDemandMiB: Math.min(1, load) * memoryMiB,
      allocation: {
        pool: (leaves[rng.int(0, leaves.length - 1)] as PoolDef).name,
        cpu: {
          shares: { level: LEVELS[rng.int(0, LEVELS.length - 1)] as SharesLevel },
          ...(reserve ? { reservationMHz: vcpus * 500 } : {}),
          ...(limit ? { limitMHz: vcpus * 1500 } : {}),
        },
        memory: reserve ? { reservationMiB: memoryMiB / 4 } : {},
      },
    };
  });
}

/** Wall time and this process's CPU time (steadier than wall time on a shared machine). */
function time<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
}

const hostCount = intArg('hosts', 1000);
const vmCount = intArg('vms', 20_000);
const runs = intArg('runs', 9);
const rng = new Random(42);
const hostList = hosts(hostCount);
const capacity = zoneCapacities(hostList);
const poolList = pools((capacity.get(ZONE) as { cpuMHz: number }).cpuMHz, rng);
const vmList = vms(vmCount, hostList, poolList, rng);

const treeTimes: number[] = [];
const computeTimes: number[] = [];
const computeCpu: number[] = [];
const topTimes: number[] = [];
let contended = 0;
let readyVms = 0;
let refused = 0;
note(`entitlement: ${hostCount} hosts, ${vmCount} VMs, ${poolList.length} pools, ${runs} runs (+1 warm-up) on node ${process.version}`);
for (let r = 0; r <= runs; r++) {
  const built = time(() => {
    const v = validatePoolTree(poolList, capacity);
    if (!v.ok) throw new Error(`bench tree invalid: ${v.causes[0]?.message ?? ''}`);
    return admitReservations(
      v.tree,
      vmList.map((vm) => ({ pool: vm.allocation?.pool ?? rootPoolName(ZONE), cpuMHz: vm.allocation?.cpu?.reservationMHz ?? 0, memoryMiB: vm.allocation?.memory?.reservationMiB ?? 0 })),
    );
  });
  const computed = time(() => computeEntitlements({ hosts: hostList, tree: built.value.tree, vms: vmList }));
  const top = time(() => topReport(computed.value, hostList));
  if (r === 0) continue; // warm-up
  treeTimes.push(built.ms);
  computeTimes.push(computed.ms);
  computeCpu.push(computed.cpuMs);
  topTimes.push(top.ms);
  refused = built.value.refused.length;
  contended = top.value.hosts.filter((h) => h.totals.cpuDemandMHz > (h.totals.cpuCapacityMHz ?? Infinity)).length;
  readyVms = computed.value.vms.filter((v) => v.cpu.readyMs > 0).length;
}

const range = (xs: readonly number[]): string[] => [fmt(median(xs), 1), fmt(Math.min(...xs), 1), fmt(Math.max(...xs), 1)];
printTable(
  `entitlement: ${hostCount} hosts, ${vmCount} VMs, ${poolList.length} pools (${contended} hosts over-demanded, ${readyVms} VMs with CPU ready, ${refused} reservations refused); ms over ${runs} runs`,
  ['step', 'median ms', 'min ms', 'max ms'],
  [
    ['validatePoolTree + admit VM reservations', ...range(treeTimes)],
    ['computeEntitlements (cpu + memory, divvy + hosts)', ...range(computeTimes)],
    ['  the same, process CPU time', ...range(computeCpu)],
    ['topReport (vm/host/zone/tenant totals)', ...range(topTimes)],
  ],
);
