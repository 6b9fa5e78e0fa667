/**
 * Shared helpers of the HTTP benchmarks: argument parsing, percentiles and medians, a plain-text
 * table, a keep-alive HTTP client on node:http, and PostgreSQL schema reset between runs.
 */
import { Agent, request } from 'node:http';
import pg from 'pg';

/** `--name value` from argv, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** A positive integer flag; exits with a one-line message on a bad value. */
export function intArg(name: string, fallback: number): number {
  const v = Number(arg(name, String(fallback)));
  if (!Number.isSafeInteger(v) || v < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(1);
  }
  return v;
}

/** The q-quantile (0..1) of an ascending array, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** p50/p99/max of a sample, in its unit. */
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(sample: readonly number[]): Summary {
  const s = [...sample].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? Number.NaN };
}

/** The median of the values (the middle one of 3 runs). */
export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Column-wise median of run rows: each numeric field replaced by the median over the runs. */
export function medianRow<K extends string>(rows: readonly Readonly<Record<K, number>>[], keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = median(rows.map((r) => r[k]));
  return out;
}

/** Formats a number: integers as is, others with the given decimals. */
export function fmt(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(decimals);
}

/** Prints a table with right-aligned cells (left-aligned first column) to stdout. */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  const out = [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ''];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Progress and chatter go to stderr so stdout holds only the tables. */
export function note(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** A response as the benchmarks need it. */
export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/** A keep-alive JSON client on node:http against one base URL with a bearer token. */
export class HttpClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    private readonly token: string,
    maxSockets: number,
  ) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Sends a request and resolves with status and body text; rejects on a socket error. */
  send(method: string, path: string, body?: unknown): Promise<HttpResult> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Opens a watch stream and calls `onLine` with each NDJSON line and its arrival time
   * (performance.now()); resolves once the response headers have arrived.
   */
  watch(path: string, onLine: (line: string, at: number) => void): Promise<{ close(): void }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, method: 'GET', path, agent: false, headers: { authorization: `Bearer ${this.token}` } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: HTTP ${res.statusCode ?? 0}`));
          res.resume();
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line) onLine(line, at);
            nl = buf.indexOf('\n');
          }
        });
        res.on('error', () => undefined);
        resolve({ close: () => req.destroy() });
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The Tenant body the benchmarks create. */
export function tenantBody(name: string, annotations?: Readonly<Record<string, string>>): unknown {
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'Tenant',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { sensitivity: 'low' },
  };
}

/** Drops the store's PostgreSQL schema ('bulkhead', the one `openStore(url)` uses) so a run starts empty. */
export async function resetPgSchema(url: string, schema = 'bulkhead'): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Which store backends to run: SQLite always, PostgreSQL when BULKHEAD_BENCH_PG_URL is set. */
export function backends(): { readonly name: 'sqlite' | 'postgres'; readonly pgUrl?: string }[] {
  const pgUrl = process.env.BULKHEAD_BENCH_PG_URL;
  return [{ name: 'sqlite' }, ...(pgUrl ? [{ name: 'postgres' as const, pgUrl }] : [])];
}
