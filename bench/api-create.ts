/**
 * Create throughput through the HTTP API: a fresh in-process platform per run, then N Tenant
 * creates (POST, 201 expected) from C concurrent keep-alive clients on loopback. Prints creates/s
 * and p50/p99/max latency per run and the median of the runs, for SQLite (temp data dir) and,
 * when BULKHEAD_BENCH_PG_URL is set, PostgreSQL (the `bulkhead` schema dropped before each run).
 * The load generator runs in a worker thread (`--client worker`, the default) so it does not share
 * the server's event loop; `--client inline` runs it on the server's thread.
 *
 *   npm run build && node dist/bench/api-create.js [--count 20000] [--concurrency 32] [--runs 3]
 *     [--warmup 1000] [--client worker|inline] [--max-seconds 120]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startPlatform } from '../src/platform/index.js';
import { HttpClient, arg, backends, fmt, intArg, medianRow, note, printTable, resetPgSchema, summarize, tenantBody } from './bench-util.js';

/** What one load run is asked to do. */
interface LoadJob {
  readonly url: string;
  readonly token: string;
  readonly prefix: string;
  readonly count: number;
  readonly concurrency: number;
  readonly maxSeconds: number;
}

/** What one load run measured. */
interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly firstError?: string;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/** Issues `count` creates with `concurrency` in flight; stops early at the deadline. */
async function load(job: LoadJob): Promise<LoadResult> {
  const client = new HttpClient(job.url, job.token, job.concurrency);
  const latenciesMs: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + job.maxSeconds * 1000;
  const worker = async (): Promise<void> => {
    while (next < job.count && performance.now() < deadline) {
      const i = next++;
      const s = performance.now();
      try {
        const res = await client.send('POST', '/apis/bulkhead.dev/v1/tenants', tenantBody(`${job.prefix}-${i}`));
        if (res.status === 201) latenciesMs.push(performance.now() - s);
        else {
          failed++;
          firstError ??= `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
        }
      } catch (e) {
        failed++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  client.close();
  return { ok: latenciesMs.length, failed, seconds, latenciesMs, ...(firstError ? { firstError } : {}) };
}

/** Runs `load` in a worker thread (this same file) or inline. */
function runLoad(job: LoadJob, inWorker: boolean): Promise<LoadResult> {
  if (!inWorker) return load(job);
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    w.once('message', (r: LoadResult) => resolve(r));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

const KEYS = ['createsPerSec', 'p50', 'p99', 'max'] as const;
type Row = Record<(typeof KEYS)[number], number>;

async function oneRun(backend: { name: string; pgUrl?: string }, run: number, o: { count: number; concurrency: number; warmup: number; maxSeconds: number; inWorker: boolean }): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-create-'));
  if (backend.pgUrl) await resetPgSchema(backend.pgUrl);
  const platform = await startPlatform({ port: 0, dataDir, banner: false, logLevel: 'error', ...(backend.pgUrl ? { storeUrl: backend.pgUrl } : {}) });
  try {
    const token = platform.adminToken;
    if (!token) throw new Error('platform returned no admin token');
    const base = { url: platform.url, token, concurrency: o.concurrency, maxSeconds: o.maxSeconds };
    if (o.warmup > 0) await runLoad({ ...base, prefix: `warm${run}`, count: o.warmup }, o.inWorker);
    const r = await runLoad({ ...base, prefix: `t${run}`, count: o.count }, o.inWorker);
    if (r.failed > 0) note(`${backend.name} run ${run}: ${r.failed} failed creates (first: ${r.firstError ?? '?'})`);
    if (r.ok < o.count) note(`${backend.name} run ${run}: stopped at the ${o.maxSeconds} s bound after ${r.ok + r.failed} requests`);
    const s = summarize(r.latenciesMs);
    return { createsPerSec: Math.round(r.ok / r.seconds), p50: s.p50, p99: s.p99, max: s.max };
  } finally {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = {
    count: intArg('count', 20_000),
    concurrency: intArg('concurrency', 32),
    warmup: Number(arg('warmup', '1000')),
    maxSeconds: intArg('max-seconds', 120),
    inWorker: arg('client', 'worker') !== 'inline',
  };
  const runs = intArg('runs', 3);
  const header = ['run', 'creates/s', 'p50 ms', 'p99 ms', 'max ms'];
  const toCells = (label: string, r: Row): string[] => [label, fmt(r.createsPerSec, 0), fmt(r.p50), fmt(r.p99), fmt(r.max)];
  for (const backend of backends()) {
    const rows: Row[] = [];
    for (let run = 1; run <= runs; run++) {
      note(`api-create ${backend.name}: run ${run}/${runs} (${o.count} creates, ${o.concurrency} clients)`);
      rows.push(await oneRun(backend, run, o));
    }
    const med = medianRow(rows, KEYS);
    printTable(
      `api-create ${backend.name}: ${o.count} Tenant creates, ${o.concurrency} concurrent clients (${o.inWorker ? 'worker-thread' : 'inline'} client), ${o.warmup} warm-up`,
      header,
      [...rows.map((r, i) => toCells(String(i + 1), r)), toCells('median', med)],
    );
  }
}

if (isMainThread) await main();
else {
  const result = await load(workerData as LoadJob);
  parentPort?.postMessage(result);
}
