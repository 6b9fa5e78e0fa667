/**
 * Placement benchmark: 10,000 VMs of mixed sizes, tenants and sensitivities placed one by one
 * (schedule + assume) onto 1,000 and 10,000 generated hosts (2 sockets, 2 NUMA nodes, 32 cores,
 * 512 GiB) in four zones (shared, two per-sensitivity, per-tenant), on one core. Prints VMs/s,
 * p50/p99 decision time and placed/refused, each the median of 3 runs.
 *
 *   npm run build && node dist/bench/placement.js [--vms 10000] [--hosts 1000,10000] [--runs 3]
 */
import { API_VERSION, type Host, type IsolationMode, type Sensitivity, type Tenant, type VirtualMachine, type Zone } from '../src/api/index.js';
import { Random } from '../src/clock/index.js';
import { ClusterSnapshot, Scheduler } from '../src/scheduler/index.js';

const ZONES: readonly { name: string; isolation: IsolationMode }[] = [
  { name: 'z-shared', isolation: 'shared' },
  { name: 'z-sens-a', isolation: 'per-sensitivity' },
  { name: 'z-sens-b', isolation: 'per-sensitivity' },
  { name: 'z-tenant', isolation: 'per-tenant' },
];
const LEVELS: readonly Sensitivity[] = ['low', 'moderate', 'high'];
const TENANTS = 16;
/** [share, vCPUs, GiB]: mostly small, some wider than a NUMA node (16 cores / 256 GiB). */
const SIZES: readonly (readonly [number, number, number])[] = [
  [0.3, 2, 4],
  [0.3, 4, 16],
  [0.2, 8, 32],
  [0.15, 16, 64],
  [0.04, 24, 192],
  [0.01, 32, 320],
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function hosts(n: number): Host[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name: `h-${i}` },
    spec: {
      zone: (ZONES[i % ZONES.length] as (typeof ZONES)[number]).name,
      sockets: 2,
      cores: 32,
      memoryMiB: 512 * 1024,
      numaNodes: [
        { id: 0, socket: 0, cores: 16, memoryMiB: 256 * 1024 },
        { id: 1, socket: 1, cores: 16, memoryMiB: 256 * 1024 },
      ],
      nicMbps: 25_000,
      ...(i % 3 === 0 ? { features: ['sev-es'] } : {}),
    },
    status: { state: 'Ready' },
  }));
}

function zones(): Zone[] {
  return ZONES.map((z) => ({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name: z.name }, spec: { isolation: z.isolation } }));
}

function tenants(): Tenant[] {
  return Array.from({ length: TENANTS }, (_, t) => ({
    apiVersion: API_VERSION,
    kind: 'Tenant',
    metadata: { name: `t-${t}` },
    // every fourth tenant may only use the per-tenant zone; the rest anywhere
    spec: { sensitivity: LEVELS[t % LEVELS.length] as Sensitivity, ...(t % 4 === 3 ? { zones: ['z-tenant'] } : {}) },
  }));
}

function vms(n: number, rng: Random): VirtualMachine[] {
  return Array.from({ length: n }, (_, i) => {
    let r = rng.next();
    let size = SIZES[0] as (typeof SIZES)[number];
    for (const s of SIZES) {
      size = s;
      r -= s[0];
      if (r < 0) break;
    }
    const tenant = rng.int(0, TENANTS - 1);
    return {
      apiVersion: API_VERSION,
      kind: 'VirtualMachine',
      metadata: { name: `vm-${i}`, namespace: `t-${tenant}` },
      spec: {
        tenant: `t-${tenant}`,
        cpus: size[1],
        memoryMiB: size[2] * 1024,
        sensitivity: LEVELS[tenant % LEVELS.length] as Sensitivity,
        ...(rng.next() < 0.1 ? { encryptedMemory: true } : {}),
      },
    };
  });
}

interface RunFigures {
  readonly perSecond: number;
  /** VMs per second of this process's CPU time: steadier than wall time on a shared machine. */
  readonly perCpuSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly placed: number;
  readonly refused: number;
  readonly evaluated: number;
}

function run(hostCount: number, vmCount: number, seed: number): RunFigures {
  const snapshot = ClusterSnapshot.build({ hosts: hosts(hostCount), zones: zones(), tenants: tenants(), seed });
  const scheduler = new Scheduler(snapshot, { seed });
  const input = vms(vmCount, new Random(seed));
  const times = new Float64Array(vmCount);
  let placed = 0;
  let evaluated = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < vmCount; i++) {
    const s = performance.now();
    const r = scheduler.place(input[i] as VirtualMachine);
    times[i] = performance.now() - s;
    evaluated += r.explanation.evaluated;
    if (r.ok) placed++;
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  times.sort();
  return {
    perSecond: vmCount / (elapsed / 1000),
    perCpuSecond: vmCount / ((cpu.user + cpu.system) / 1e6),
    p50: (times[Math.floor(vmCount * 0.5)] ?? 0) * 1000,
    p99: (times[Math.floor(vmCount * 0.99)] ?? 0) * 1000,
    placed,
    refused: vmCount - placed,
    evaluated: evaluated / vmCount,
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const vmCount = Number(arg('vms', '10000'));
const runs = Number(arg('runs', '3'));
const hostCounts = arg('hosts', '1000,10000').split(',').map(Number);

console.log(`placement: ${vmCount} VMs, ${runs} runs each, median shown (node ${process.version}, one core)`);
for (const h of hostCounts) {
  const figures = Array.from({ length: runs }, (_, r) => run(h, vmCount, 42 + r));
  const m = (f: (x: RunFigures) => number): number => median(figures.map(f));
  console.log(
    `${String(h).padStart(6)} hosts: ${Math.round(m((x) => x.perSecond))} VMs/s ` +
      `(${Math.round(m((x) => x.perCpuSecond))} per CPU-second), ` +
      `p50 ${Math.round(m((x) => x.p50))} µs, p99 ${Math.round(m((x) => x.p99))} µs, ` +
      `placed ${m((x) => x.placed)}, refused ${m((x) => x.refused)}, hosts evaluated/decision ${Math.round(m((x) => x.evaluated))}`,
  );
}
