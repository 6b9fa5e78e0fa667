/**
 * Server memory at scale: a platform restarted on a store that already holds 10,000 hosts
 * (20 zones x 500, generated topology), 100 tenants and 100,000 placed VMs (phase Running, a host
 * and NUMA node 0, no vmId yet, so the VM controller provisions each one through the simulated
 * driver after startup, as after a restart on a fresh datacenter).
 *
 * The parent seeds one SQLite database (first boot registers the hosts, then the tenants and VMs
 * are inserted through the Store), then for each run copies it and starts a child process
 * (`node --expose-gc`) that starts the platform and reports: startup time and RSS/heap when it
 * listens (before and after a forced GC), then the time until every VM runs in the driver and the
 * controllers are idle, and RSS/heap after a forced GC at that point. Prints each run and the median.
 *
 *   npm run build && node dist/bench/rss.js [--zones 20] [--hosts-per-zone 500] [--vms 100000]
 *     [--tenants 100] [--runs 3] [--settle-seconds 600] [--cpu-prof-dir DIR (profile the children)]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify as toYaml } from 'yaml';
import { API_VERSION, type Tenant, type VirtualMachine } from '../src/api/index.js';
import { expandTopology, generateTopology } from '../src/infra/index.js';
import { startPlatform } from '../src/platform/index.js';
import { openStore } from '../src/store/index.js';
import { arg, fmt, intArg, medianRow, note, printTable } from './bench-util.js';

const MiB = 1024 * 1024;
const FIGURES = ['startSec', 'rssListenMiB', 'heapListenMiB', 'rssListenGcMiB', 'heapListenGcMiB', 'settleSec', 'rssSettledGcMiB', 'heapSettledGcMiB', 'running'] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

interface Shape {
  readonly zones: number;
  readonly hostsPerZone: number;
  readonly vms: number;
  readonly tenants: number;
}

const topologyOf = (s: Shape) => generateTopology({ zones: s.zones, hostsPerZone: s.hostsPerZone });

/** Writes the topology file and a store with the hosts, tenants and placed VMs into `dir`. */
async function seed(dir: string, s: Shape): Promise<void> {
  const topologyFile = join(dir, 'topology.yaml');
  writeFileSync(topologyFile, toYaml(topologyOf(s)));
  // First boot registers the zones and hosts.
  const first = await startPlatform({ port: 0, dataDir: dir, topologyFile, banner: false, logLevel: 'error' });
  await first.close();
  const hosts = expandTopology(topologyOf(s)).hosts;
  const store = await openStore(`sqlite:${join(dir, 'bulkhead.db')}`);
  try {
    const tenantName = (i: number): string => `tenant-${String(i).padStart(3, '0')}`;
    await Promise.all(
      Array.from({ length: s.tenants }, (_, i) =>
        store.create<Tenant>({ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: tenantName(i) }, spec: { sensitivity: 'low' } }),
      ),
    );
    const CHUNK = 2000;
    for (let start = 0; start < s.vms; start += CHUNK) {
      const batch: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(s.vms, start + CHUNK); i++) {
        const host = hosts[i % hosts.length];
        if (!host) throw new Error('topology has no hosts');
        const tenant = tenantName(i % s.tenants);
        batch.push(
          store.create<VirtualMachine>({
            apiVersion: API_VERSION,
            kind: 'VirtualMachine',
            metadata: { name: `vm-${String(i).padStart(6, '0')}`, labels: { 'bulkhead.dev/tenant': tenant } },
            spec: { tenant, cpus: 2, memoryMiB: 4096, sensitivity: 'low' },
            status: { phase: 'Running', host: host.name, zone: host.zone, numaNodes: [0] },
          }),
        );
      }
      await Promise.all(batch);
    }
  } finally {
    await store.close();
  }
}

const mem = (): { rss: number; heap: number } => {
  const m = process.memoryUsage();
  return { rss: m.rss / MiB, heap: m.heapUsed / MiB };
};

/** Child: start the platform on `dir`, measure, print one JSON line of Figures. */
async function child(dir: string, vms: number, settleSeconds: number): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run the child with node --expose-gc');
  const t0 = performance.now();
  const p = await startPlatform({ port: 0, dataDir: dir, topologyFile: join(dir, 'topology.yaml'), banner: false, logLevel: 'error' });
  const startSec = (performance.now() - t0) / 1000;
  const listen = mem();
  gc();
  const listenGc = mem();
  const t1 = performance.now();
  const deadline = t1 + settleSeconds * 1000;
  const running = (): number => p.manager.informers.vms.list().filter((v) => v.status?.vmId && v.status.phase === 'Running').length;
  let n = 0;
  let idleChecks = 0;
  for (;;) {
    await sleep(500);
    n = running();
    idleChecks = n >= vms && p.manager.idle() ? idleChecks + 1 : 0;
    if (idleChecks >= 2 || performance.now() > deadline) break;
  }
  const settleSec = (performance.now() - t1) / 1000;
  gc();
  const settled = mem();
  const f: Figures = {
    startSec,
    rssListenMiB: listen.rss,
    heapListenMiB: listen.heap,
    rssListenGcMiB: listenGc.rss,
    heapListenGcMiB: listenGc.heap,
    settleSec,
    rssSettledGcMiB: settled.rss,
    heapSettledGcMiB: settled.heap,
    running: n,
  };
  process.stdout.write(`${JSON.stringify(f)}\n`);
  await p.close();
}

/** Parent: runs one child on a copy of the seeded directory and parses its figures. */
function runChild(dir: string, vms: number, settleSeconds: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const prof = arg('cpu-prof-dir', '');
    const flags = ['--expose-gc', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])];
    const c = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', dir, '--vms', String(vms), '--settle-seconds', String(settleSeconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    c.stdout.setEncoding('utf8');
    c.stdout.on('data', (d: string) => (out += d));
    c.on('error', reject);
    c.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line) return reject(new Error(`rss child exited with ${code ?? 'signal'}: ${out.slice(-500)}`));
      resolve(JSON.parse(line) as Figures);
    });
  });
}

async function main(): Promise<void> {
  const shape: Shape = { zones: intArg('zones', 20), hostsPerZone: intArg('hosts-per-zone', 500), vms: intArg('vms', 100_000), tenants: intArg('tenants', 100) };
  const runs = intArg('runs', 3);
  const settleSeconds = intArg('settle-seconds', 600);
  const template = mkdtempSync(join(tmpdir(), 'bulkhead-bench-rss-seed-'));
  const hosts = shape.zones * shape.hostsPerZone;
  try {
    note(`rss: seeding ${hosts} hosts, ${shape.tenants} tenants, ${shape.vms} VMs`);
    const ts = performance.now();
    await seed(template, shape);
    note(`rss: seeded in ${((performance.now() - ts) / 1000).toFixed(1)} s`);
    const rows: Figures[] = [];
    for (let run = 1; run <= runs; run++) {
      const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-rss-'));
      try {
        cpSync(template, dir, { recursive: true });
        note(`rss: run ${run}/${runs}`);
        rows.push(await runChild(dir, shape.vms, settleSeconds));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const cells = (label: string, f: Figures): string[] => [
      label,
      fmt(f.startSec, 1),
      fmt(f.rssListenMiB, 0),
      fmt(f.heapListenMiB, 0),
      fmt(f.rssListenGcMiB, 0),
      fmt(f.heapListenGcMiB, 0),
      fmt(f.settleSec, 1),
      fmt(f.running, 0),
      fmt(f.rssSettledGcMiB, 0),
      fmt(f.heapSettledGcMiB, 0),
    ];
    printTable(
      `rss: ${hosts} hosts, ${shape.tenants} tenants, ${shape.vms} VMs (SQLite; MiB, seconds)`,
      ['run', 'start s', 'RSS', 'heap', 'RSS gc', 'heap gc', 'settle s', 'running', 'RSS settled gc', 'heap settled gc'],
      [...rows.map((r, i) => cells(String(i + 1), r)), cells('median', medianRow(rows, FIGURES))],
    );
    process.stdout.write('start s: startPlatform until listening; RSS/heap: at listening, then after gc(); settle s: until every VM runs in the driver and the controllers are idle.\n');
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) await child(arg('child', ''), intArg('vms', 100_000), intArg('settle-seconds', 600));
else await main();
