/**
 * Watch latency: how long after a Tenant create commits does an HTTP watcher
 * (GET /apis/bulkhead.dev/v1/tenants?watch=true&resourceVersion=N) receive its ADDED event.
 * Each create carries its send time in an annotation; the bench records, per object, the send,
 * the moment the store published the commit (an in-process store.watch on the same store), the
 * arrival of the 201 response, and the arrival of the watch line. Two phases per run: paced at
 * --rate creates/s, then full speed with --concurrency clients. Client, watcher and server share
 * one event loop (the platform runs in-process), as a co-located watcher would.
 *
 *   npm run build && node dist/bench/watch-latency.js [--count 2000] [--rate 500] [--concurrency 32] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlatform, type Platform } from '../src/platform/index.js';
import { HttpClient, backends, fmt, intArg, median, note, printTable, resetPgSchema, summarize, tenantBody, type Summary } from './bench-util.js';

const SENT_AT = 'bench.bulkhead.dev/sent-at';
const WAIT_FOR_EVENTS_MS = 15_000;

/** Timestamps of one create, in ms on a clock shared by all threads (timeOrigin + performance.now()). */
interface Stamps {
  sent: number;
  response?: number;
  committed?: number;
  watched?: number;
  /** Send time as read back from the annotation of the watched object. */
  annotated?: number;
}

const now = (): number => performance.timeOrigin + performance.now();

const METRICS = ['commit → watch', 'response → watch', 'send(annotation) → watch', 'send → response'] as const;
type Metric = (typeof METRICS)[number];

function metric(s: Stamps, m: Metric): number | undefined {
  switch (m) {
    case 'commit → watch':
      return s.committed !== undefined && s.watched !== undefined ? s.watched - s.committed : undefined;
    case 'response → watch':
      return s.response !== undefined && s.watched !== undefined ? s.watched - s.response : undefined;
    case 'send(annotation) → watch':
      return s.annotated !== undefined && s.watched !== undefined ? s.watched - s.annotated : undefined;
    case 'send → response':
      return s.response !== undefined ? s.response - s.sent : undefined;
  }
}

interface PhaseResult {
  readonly summaries: Record<Metric, Summary>;
  readonly missing: number;
  readonly achievedRate: number;
}

/** One phase: `count` creates, paced at `rate`/s (open loop) or as fast as `concurrency` clients allow. */
async function phase(p: Platform, client: HttpClient, label: string, count: number, pace: { rate: number } | { concurrency: number }): Promise<PhaseResult> {
  const stamps = new Map<string, Stamps>();
  const fromRevision = await p.store.revision();
  const storeWatch = await p.store.watch(
    { kind: 'Tenant', fromRevision },
    {
      onEvent: (e) => {
        const s = stamps.get(e.object.metadata.name);
        if (s && e.type === 'ADDED') s.committed = now();
      },
    },
  );
  let seen = 0;
  const httpWatch = await client.watch(`/apis/bulkhead.dev/v1/tenants?watch=true&resourceVersion=${fromRevision}`, (line) => {
    const at = now();
    const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string; annotations?: Record<string, string> } } };
    const s = stamps.get(ev.object.metadata.name);
    if (!s || ev.type !== 'ADDED') return;
    s.watched = at;
    const a = ev.object.metadata.annotations?.[SENT_AT];
    if (a !== undefined) s.annotated = Number(a);
    seen++;
  });
  const send = async (i: number): Promise<void> => {
    const name = `${label}-${i}`;
    const sent = now();
    const s: Stamps = { sent };
    stamps.set(name, s);
    const res = await client.send('POST', '/apis/bulkhead.dev/v1/tenants', tenantBody(name, { [SENT_AT]: sent.toFixed(3) }));
    if (res.status !== 201) throw new Error(`create ${name}: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    s.response = now();
  };
  const t0 = performance.now();
  if ('rate' in pace) {
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / pace.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      inflight.push(send(i));
    }
    await Promise.all(inflight);
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) await send(next++);
    };
    await Promise.all(Array.from({ length: pace.concurrency }, worker));
  }
  const achievedRate = count / ((performance.now() - t0) / 1000);
  const deadline = performance.now() + WAIT_FOR_EVENTS_MS;
  while (seen < count && performance.now() < deadline) await sleep(10);
  httpWatch.close();
  storeWatch.close();
  const all = [...stamps.values()];
  const summaries = {} as Record<Metric, Summary>;
  for (const m of METRICS) summaries[m] = summarize(all.map((s) => metric(s, m)).filter((v): v is number => v !== undefined));
  return { summaries, missing: count - seen, achievedRate };
}

async function oneRun(backend: { name: string; pgUrl?: string }, run: number, o: { count: number; rate: number; concurrency: number }): Promise<{ paced: PhaseResult; full: PhaseResult }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-watch-'));
  if (backend.pgUrl) await resetPgSchema(backend.pgUrl);
  const p = await startPlatform({ port: 0, dataDir, banner: false, logLevel: 'error', ...(backend.pgUrl ? { storeUrl: backend.pgUrl } : {}) });
  const client = new HttpClient(p.url, p.adminToken ?? '', o.concurrency);
  try {
    // Warm the create path and the watch route before measuring.
    await phase(p, client, `warm${run}`, Math.min(500, o.count), { concurrency: o.concurrency });
    const paced = await phase(p, client, `paced${run}`, o.count, { rate: o.rate });
    const full = await phase(p, client, `full${run}`, o.count, { concurrency: o.concurrency });
    for (const [name, r] of [['paced', paced], ['full', full]] as const) if (r.missing > 0) note(`${backend.name} run ${run} ${name}: ${r.missing} events not received within ${WAIT_FOR_EVENTS_MS} ms`);
    return { paced, full };
  } finally {
    client.close();
    await p.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(title: string, results: readonly PhaseResult[]): void {
  const rows = METRICS.map((m) => {
    const med = (k: keyof Summary): number => median(results.map((r) => r.summaries[m][k]));
    return [m, fmt(med('p50')), fmt(med('p99')), fmt(med('max')), results.map((r) => fmt(r.summaries[m].p99)).join(' / ')];
  });
  const rate = median(results.map((r) => r.achievedRate));
  const missing = results.reduce((n, r) => n + r.missing, 0);
  printTable(`${title}, achieved ${fmt(rate, 0)} creates/s${missing ? `, ${missing} events missing` : ''} (median of ${results.length} runs, ms)`, ['latency', 'p50', 'p99', 'max', 'p99 per run'], rows);
}

async function main(): Promise<void> {
  const o = { count: intArg('count', 2000), rate: intArg('rate', 500), concurrency: intArg('concurrency', 32) };
  const runs = intArg('runs', 3);
  for (const backend of backends()) {
    const results: { paced: PhaseResult; full: PhaseResult }[] = [];
    for (let run = 1; run <= runs; run++) {
      note(`watch-latency ${backend.name}: run ${run}/${runs}`);
      results.push(await oneRun(backend, run, o));
    }
    report(`watch-latency ${backend.name}: ${o.count} creates paced at ${o.rate}/s`, results.map((r) => r.paced));
    report(`watch-latency ${backend.name}: ${o.count} creates at full speed, ${o.concurrency} clients`, results.map((r) => r.full));
  }
}

await main();
