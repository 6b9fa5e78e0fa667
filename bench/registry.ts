/**
 * The registry against docker-registry 2.8.2 (Debian package) on loopback, side by side in one
 * run with the same data: push and pull throughput of ~1 GiB in a mix of blob sizes, manifest GET
 * p50/p99 under 32 concurrent keep-alive clients (closed loop, as fast as each registry answers;
 * then open loop at a fixed offered rate over the same 32 connections), and the scan time (and peak
 * RSS growth) of a ~200 MB image on Bulkhead's scanner.
 *
 * Each run starts a fresh Bulkhead (in-process, SQLite in a temp dir, the platform's bootstrap admin
 * token as Bearer on /v2, scan on push off unless `--scan-on-push`) and a fresh docker-registry (no
 * auth), then runs each phase on both in ABBA order (first half of the images on A then B, second
 * half on B then A), alternating which registry is A from run to run. The load generator is a worker thread (bench/registry-worker.ts), so it never shares the
 * server's event loop. Ratios are taken within a run (Bulkhead ÷ docker-registry) and the median of
 * the runs is reported. Pulled blobs are verified (sha256) in a separate, untimed pass.
 *
 *   npm run build && node dist/bench/registry.js [--size-mib 1024] [--runs 3] [--concurrency 4]
 *     [--chunk-mib 16] [--manifest-clients 32] [--manifest-requests 20000] [--manifest-rate 1000]
 *     [--paced-seconds 5] [--scan-mib 200]
 *     [--repos 8] [--scan-on-push] [--no-docker] [--no-scan]
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { EXTENSIONS } from '../src/platform/extensions.js';
import { startPlatform, type Platform } from '../src/platform/index.js';
import { createRegistryExtension } from '../src/registry/extension.js';
import { fmt, intArg, median, note, printTable, summarize } from './bench-util.js';
import type { LatencyResult, PhaseResult, Target } from './registry-client.js';
import { MiB } from './registry-data.js';
import type { Half, ScanImageInfo, WorkerInit, WorkerRequest } from './registry-worker.js';
import { hasDockerRegistry, startDockerRegistry, type DockerRegistry } from './support/docker-registry.js';

const PROJECT = 'bench';
const OSV_FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/osv');
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

type Omit2<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The worker thread, with request/response matching. */
class LoadGen {
  private readonly w: Worker;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<{ mix: { cls: string; count: number; bytes: number; min: number; max: number }[]; totalBytes: number; blobs: number; images: number }>;

  constructor(init: WorkerInit) {
    this.w = new Worker(new URL('./registry-worker.js', import.meta.url), { workerData: init });
    this.ready = new Promise((res, rej) => {
      const fail = (err: Error): void => {
        rej(err);
        for (const p of this.waiting.values()) p.reject(err);
        this.waiting.clear();
      };
      this.w.on('error', fail);
      this.w.on('exit', (code) => fail(new Error(`load generator exited (${code})`)));
      this.w.on('message', (m: { ready?: true; id?: number; result?: unknown; error?: string }) => {
        if (m.ready) return res(m as never);
        const p = this.waiting.get(m.id ?? -1);
        if (!p) return;
        this.waiting.delete(m.id ?? -1);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.result);
      });
    });
  }

  call<T>(req: Omit2<WorkerRequest>): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.w.postMessage({ ...req, id });
    });
  }

  stop(): Promise<number> {
    return this.w.terminate();
  }
}

/** A started Bulkhead with a project to push to. */
interface Bulkhead {
  readonly platform: Platform;
  readonly target: Target;
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function startBulkhead(scanOnPush: boolean): Promise<Bulkhead> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-bench-registry-'));
  await cp(OSV_FIXTURES, join(dataDir, 'registry', 'osv'), { recursive: true });
  const extensions = EXTENSIONS.map((e) => (e.name === 'registry' ? createRegistryExtension({ scanOnPush }) : e));
  const platform = await startPlatform({ port: 0, dataDir, banner: false, logLevel: 'error', extensions });
  const token = platform.adminToken;
  if (!token) throw new Error('platform returned no admin token');
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${platform.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  await post('/apis/bulkhead.dev/v1/tenants', { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'bench' }, spec: { sensitivity: 'low' } });
  await post('/apis/bulkhead.dev/v1/projects', { apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name: PROJECT }, spec: { tenant: 'bench' } });
  return {
    platform,
    dataDir,
    target: { name: 'bulkhead', url: platform.url, authorization: `Bearer ${token}` },
    async stop() {
      await platform.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** VmRSS and VmHWM (peak) of this process in bytes, from /proc. */
async function procMemory(): Promise<{ rss: number; hwm: number } | undefined> {
  const text = await readFile('/proc/self/status', 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux `clear_refs` 5); false when not allowed. */
async function resetPeak(): Promise<boolean> {
  return writeFile('/proc/self/clear_refs', '5').then(
    () => true,
    () => false,
  );
}

interface ScanFigures {
  readonly seconds: number;
  readonly peakDeltaMiB: number;
  readonly packages: number;
  readonly vulnerabilities: number;
}

async function scanOnce(bh: Bulkhead, reference: string): Promise<ScanFigures> {
  await resetPeak();
  const before = await procMemory();
  // Samples RSS too, in case clear_refs is not permitted (then VmHWM is the process's lifetime peak).
  let sampled = before?.rss ?? 0;
  const timer = setInterval(() => {
    void procMemory().then((m) => (sampled = Math.max(sampled, m?.rss ?? 0)));
  }, 5);
  const t0 = performance.now();
  const res = await fetch(`${bh.platform.url}/registry/v1/scan`, {
    method: 'POST',
    headers: { authorization: bh.target.authorization ?? '', 'content-type': 'application/json' },
    body: JSON.stringify({ repository: `${PROJECT}/scan`, reference }),
  });
  const body = (await res.json()) as { status?: string; manifests?: { report: { scannedPackages?: number } }[]; vulnerabilities?: unknown[]; message?: string };
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const after = await procMemory();
  if (res.status !== 200 || body.status !== 'Success') throw new Error(`scan: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const peak = Math.max(after?.hwm ?? 0, sampled);
  return {
    seconds,
    peakDeltaMiB: before ? (peak - before.rss) / MiB : Number.NaN,
    packages: body.manifests?.[0]?.report.scannedPackages ?? 0,
    vulnerabilities: body.vulnerabilities?.length ?? 0,
  };
}

/**
 * Runs `fn` for each target on the first half, then in reverse order on the second half (ABBA),
 * so that a drift in machine load over the phase weighs on both registries alike.
 */
async function abba<T>(targets: readonly Target[], fn: (t: Target, half: Half) => Promise<T>): Promise<Map<string, [T, T]>> {
  const first = new Map<string, T>();
  for (const t of targets) first.set(t.name, await fn(t, 0));
  const out = new Map<string, [T, T]>();
  for (const t of [...targets].reverse()) out.set(t.name, [first.get(t.name)!, await fn(t, 1)]);
  return out;
}

/** The figures of one registry in one run, and how each is printed. */
const FIGURES = [
  { key: 'pushMiBs', head: 'push MiB/s', decimals: 1 },
  { key: 'pullMiBs', head: 'pull MiB/s', decimals: 1 },
  { key: 'manifestRps', head: 'manifest GET/s', decimals: 0 },
  { key: 'p50', head: 'p50 ms', decimals: 2 },
  { key: 'p99', head: 'p99 ms', decimals: 2 },
  { key: 'pacedP50', head: 'paced p50 ms', decimals: 2 },
  { key: 'pacedP99', head: 'paced p99 ms', decimals: 2 },
] as const;
type FigureKey = (typeof FIGURES)[number]['key'];
type RunFigures = Record<FigureKey, number>;

const medianOf = (rows: readonly RunFigures[]): RunFigures => Object.fromEntries(FIGURES.map(({ key }) => [key, median(rows.map((r) => r[key]))])) as RunFigures;

async function main(): Promise<void> {
  const o = {
    sizeMiB: intArg('size-mib', 1024),
    runs: intArg('runs', 3),
    concurrency: intArg('concurrency', 4),
    chunk: intArg('chunk-mib', 16) * MiB,
    clients: intArg('manifest-clients', 32),
    requests: intArg('manifest-requests', 20_000),
    rate: intArg('manifest-rate', 1000),
    pacedSeconds: intArg('paced-seconds', 5),
    scanMiB: intArg('scan-mib', 200),
    repos: intArg('repos', 8),
    scanOnPush: flag('scan-on-push'),
    docker: !flag('no-docker'),
    scan: !flag('no-scan'),
  };
  if (o.docker && !hasDockerRegistry()) {
    note('registry: docker-registry is not installed (apt-get install docker-registry); running Bulkhead alone');
    o.docker = false;
  }
  note(`registry: generating ${o.sizeMiB} MiB of blobs`);
  const gen = new LoadGen({ sizeMiB: o.sizeMiB, repos: o.repos, project: PROJECT, scanMiB: o.scanMiB });
  const info = await gen.ready;
  printTable(
    `registry data: ${info.blobs} blobs in ${info.images} images (${o.repos} repositories), ${fmt(info.totalBytes / MiB, 1)} MiB; push: POST+PUT up to ${o.chunk / MiB} MiB, POST+PATCH ${o.chunk / MiB} MiB chunks+PUT above; ${o.concurrency} in flight`,
    ['class', 'blobs', 'MiB', 'share', 'smallest', 'largest'],
    info.mix.map((m) => [m.cls, String(m.count), fmt(m.bytes / MiB, 1), `${fmt((100 * m.bytes) / info.totalBytes, 1)}%`, size(m.min), size(m.max)]),
  );

  const rows: { run: number; name: string; f: RunFigures }[] = [];
  const ratios: RunFigures[] = [];
  const scans: (ScanFigures & { image: ScanImageInfo })[] = [];
  try {
    for (let run = 1; run <= o.runs; run++) {
      const bh = await startBulkhead(o.scanOnPush);
      let dr: DockerRegistry | undefined;
      try {
        // The scan first, on a fresh server with nothing else running, so that its peak RSS is
        // not hidden by memory the transfers below have already grown the heap to.
        if (o.scan) {
          note(`run ${run}/${o.runs}: push the ${o.scanMiB} MB scan image to bulkhead and scan it`);
          const image = await gen.call<ScanImageInfo>({ op: 'push-scan', target: bh.target, repo: `${PROJECT}/scan`, tag: 'v1' });
          await scanOnce(bh, 'v1'); // warm-up: loads the advisories, warms the JIT
          scans.push({ ...(await scanOnce(bh, 'v1')), image });
        }
        dr = o.docker ? await startDockerRegistry() : undefined;
        const targets: Target[] = [bh.target, ...(dr ? [{ name: 'docker-registry', url: dr.url }] : [])];
        if (run % 2 === 0) targets.reverse();
        const figs = new Map<string, Partial<Record<keyof RunFigures, number>>>(targets.map((t) => [t.name, {}]));
        for (const [name, [a, b]] of await abba(targets, (t, half) => {
          note(`run ${run}/${o.runs}: push half ${half + 1} to ${t.name}`);
          return gen.call<PhaseResult>({ op: 'push', target: t, concurrency: o.concurrency, chunk: o.chunk, half });
        }))
          figs.get(name)!.pushMiBs = (a.bytes + b.bytes) / MiB / (a.seconds + b.seconds);
        for (const [name, [a, b]] of await abba(targets, (t, half) => {
          note(`run ${run}/${o.runs}: pull half ${half + 1} from ${t.name}`);
          return gen.call<PhaseResult>({ op: 'pull', target: t, concurrency: o.concurrency, verify: false, half });
        }))
          figs.get(name)!.pullMiBs = (a.bytes + b.bytes) / MiB / (a.seconds + b.seconds);
        for (const t of targets) {
          note(`run ${run}/${o.runs}: verify pulled content from ${t.name} (untimed)`);
          await gen.call<PhaseResult>({ op: 'pull', target: t, concurrency: o.concurrency, verify: true });
        }
        for (const t of targets) await gen.call<LatencyResult>({ op: 'manifests', target: t, clients: o.clients, count: Math.min(1000, o.requests) }); // warm-up
        for (const [name, [a, b]] of await abba(targets, (t, half) => {
          note(`run ${run}/${o.runs}: manifest GETs on ${t.name}, ${o.clients} clients (half ${half + 1})`);
          return gen.call<LatencyResult>({ op: 'manifests', target: t, clients: o.clients, count: Math.ceil(o.requests / 2) });
        })) {
          const s = summarize([...a.latenciesMs, ...b.latenciesMs]);
          Object.assign(figs.get(name)!, { manifestRps: Math.round((a.requests + b.requests) / (a.seconds + b.seconds)), p50: s.p50, p99: s.p99 });
        }
        for (const [name, [a, b]] of await abba(targets, async (t, half) => {
          note(`run ${run}/${o.runs}: manifest GETs on ${t.name} at ${o.rate}/s for ${o.pacedSeconds / 2} s (half ${half + 1})`);
          // Bulkhead's event loop is this thread's: its delay tells server stalls from machine noise.
          const loop = t.name === 'bulkhead' ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
          loop?.enable();
          const r = await gen.call<LatencyResult>({ op: 'manifests', target: t, clients: o.clients, count: Math.ceil((o.rate * o.pacedSeconds) / 2), rate: o.rate });
          loop?.disable();
          if (loop) note(`run ${run}/${o.runs}: bulkhead event-loop delay meanwhile: p99 ${fmt(loop.percentile(99) / 1e6)} ms, max ${fmt(loop.max / 1e6)} ms`);
          return r;
        })) {
          const s = summarize([...a.latenciesMs, ...b.latenciesMs]);
          Object.assign(figs.get(name)!, { pacedP50: s.p50, pacedP99: s.p99 });
        }
        for (const [name, f] of figs) rows.push({ run, name, f: f as RunFigures });
        const b = figs.get('bulkhead') as RunFigures;
        const d = figs.get('docker-registry') as RunFigures | undefined;
        if (d) ratios.push(Object.fromEntries(FIGURES.map(({ key }) => [key, b[key] / d[key]])) as RunFigures);
      } finally {
        // stop() must run only once: a second call waits for an exit event that has already fired.
        await dr?.stop().catch(() => undefined);
        await bh.stop();
      }
    }
  } finally {
    await gen.stop();
  }

  const cells = (label: string, name: string, f: RunFigures): string[] => [label, name, ...FIGURES.map(({ key, decimals }) => fmt(f[key], decimals))];
  const ratioCells = (label: string, f: RunFigures): string[] => [label, 'ratio bulkhead/docker', ...FIGURES.map(({ key }) => `${fmt(f[key])}x`)];
  const names = ['bulkhead', ...(o.docker ? ['docker-registry'] : [])];
  const table: string[][] = [];
  for (let run = 1; run <= o.runs; run++) {
    for (const r of rows.filter((x) => x.run === run)) table.push(cells(String(run), r.name, r.f));
    const ratio = ratios[run - 1];
    if (ratio) table.push(ratioCells(String(run), ratio));
  }
  for (const n of names) table.push(cells('median', n, medianOf(rows.filter((r) => r.name === n).map((r) => r.f))));
  if (ratios.length) table.push(ratioCells('median', medianOf(ratios)));
  printTable(
    `registry throughput and manifest latency: ${fmt(info.totalBytes / MiB, 1)} MiB, ${o.concurrency} transfers in flight; manifest GET by tag from ${o.clients} keep-alive connections: ${o.requests} closed-loop requests (after 1000 warm-up), then ${o.rate}/s offered for ${o.pacedSeconds} s ("paced"); ratios are Bulkhead ÷ docker-registry within each run`,
    ['run', 'registry', ...FIGURES.map((f) => f.head)],
    table,
  );
  if (scans.length) {
    const img = scans[0]!.image;
    const scanCells = (label: string, s: ScanFigures): string[] => [label, fmt(s.seconds), fmt(img.compressed / 1e6 / s.seconds, 1), fmt(img.uncompressed / 1e6 / s.seconds, 1), fmt(s.peakDeltaMiB, 1), String(s.packages), String(s.vulnerabilities)];
    printTable(
      `scan (POST /registry/v1/scan, OSV fixtures): ${img.layers} gzip layers, ${fmt(img.compressed / 1e6, 1)} MB compressed, ${fmt(img.uncompressed / 1e6, 1)} MB of tar, ${img.files} files`,
      ['run', 'seconds', 'MB/s (gz)', 'MB/s (tar)', 'peak RSS +MiB', 'packages', 'vulns'],
      [
        ...scans.map((s, i) => scanCells(String(i + 1), s)),
        scanCells('median', { seconds: median(scans.map((s) => s.seconds)), peakDeltaMiB: median(scans.map((s) => s.peakDeltaMiB)), packages: scans[0]!.packages, vulnerabilities: scans[0]!.vulnerabilities }),
      ],
    );
  }
}

function size(n: number): string {
  if (n >= MiB) return `${fmt(n / MiB, 1)} MiB`;
  return `${fmt(n / 1024, 1)} KiB`;
}

await main();
