/**
 * The OCI client of the registry benchmark, on node:http with a keep-alive Agent: blob push
 * (monolithic POST + PUT, or POST + PATCH chunks + PUT for large blobs), manifest push, blob and
 * manifest pulls, and a manifest GET latency load. It speaks only the Distribution API, so the same
 * code drives Bulkhead and docker-registry; Locations are followed as the server returns them
 * (docker-registry answers absolute URLs with a new `_state` after every PATCH).
 */
import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { OCI_MANIFEST, type Plan, type PlanBlob, type PlanImage } from './registry-data.js';

/** Where to send requests: base URL and the Authorization header, if any. */
export interface Target {
  readonly name: string;
  readonly url: string;
  readonly authorization?: string;
}

export interface Res {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Body bytes received (the body itself is kept only when asked). */
  readonly length: number;
  readonly body?: Buffer;
}

const MANIFEST_ACCEPT = [OCI_MANIFEST, 'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');

export class OciClient {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(
    readonly target: Target,
    maxSockets: number,
  ) {
    this.base = new URL(target.url);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /**
   * One request. `onData` sees each body chunk (then the body is not kept unless `keep`); the
   * promise resolves at the end of the response.
   */
  send(method: string, pathOrUrl: string, opts: { body?: Buffer; headers?: Record<string, string | number>; keep?: boolean; onData?: (c: Buffer) => void } = {}): Promise<Res> {
    const u = new URL(pathOrUrl, this.base);
    const headers: Record<string, string | number> = { ...opts.headers };
    if (this.target.authorization) headers.authorization = this.target.authorization;
    headers['content-length'] = opts.body?.length ?? 0;
    return new Promise((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, method, path: `${u.pathname}${u.search}`, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (c: Buffer) => {
          length += c.length;
          if (opts.onData) opts.onData(c);
          if (opts.keep) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, length, ...(opts.keep ? { body: Buffer.concat(chunks) } : {}) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  private async expect(what: string, res: Promise<Res>, status: number): Promise<Res> {
    const r = await res;
    if (r.status !== status) throw new Error(`${this.target.name}: ${what}: HTTP ${r.status}, wanted ${status}`);
    return r;
  }

  private location(what: string, r: Res): string {
    const loc = r.headers.location;
    if (!loc) throw new Error(`${this.target.name}: ${what}: no Location`);
    return loc;
  }

  /** Pushes a blob: POST + PUT with the body, or POST + PATCH chunks of `chunk` bytes + PUT when larger than `chunk`. */
  async pushBlob(repo: string, b: PlanBlob, chunk: number): Promise<void> {
    const what = `push ${b.digest.slice(0, 19)} (${b.bytes.length} B)`;
    let loc = this.location(what, await this.expect(`${what}: POST`, this.send('POST', `/v2/${repo}/blobs/uploads/`), 202));
    let body: Buffer | undefined = b.bytes;
    if (b.bytes.length > chunk) {
      for (let off = 0; off < b.bytes.length; off += chunk) {
        const part = b.bytes.subarray(off, Math.min(off + chunk, b.bytes.length));
        const r = await this.expect(`${what}: PATCH`, this.send('PATCH', loc, { body: part, headers: { 'content-type': 'application/octet-stream', 'content-range': `${off}-${off + part.length - 1}` } }), 202);
        loc = this.location(what, r);
      }
      body = undefined;
    }
    const sep = loc.includes('?') ? '&' : '?';
    await this.expect(`${what}: PUT`, this.send('PUT', `${loc}${sep}digest=${encodeURIComponent(b.digest)}`, { ...(body ? { body } : {}), headers: { 'content-type': 'application/octet-stream' } }), 201);
  }

  async pushManifest(img: PlanImage): Promise<void> {
    await this.expect(`PUT manifest ${img.repo}:${img.tag}`, this.send('PUT', `/v2/${img.repo}/manifests/${img.tag}`, { body: img.manifest, headers: { 'content-type': OCI_MANIFEST } }), 201);
  }

  /** GETs a blob; returns the bytes received (hashing them when `verify` is given). */
  async pullBlob(repo: string, digest: string, verify?: (got: string) => void): Promise<number> {
    const hash = verify ? createHash('sha256') : undefined;
    const r = await this.expect(`GET blob ${digest.slice(0, 19)}`, this.send('GET', `/v2/${repo}/blobs/${digest}`, hash ? { onData: (c) => hash.update(c) } : {}), 200);
    if (hash && verify) verify(`sha256:${hash.digest('hex')}`);
    return r.length;
  }

  async getManifest(repo: string, ref: string, keep = false): Promise<Res> {
    return this.expect(`GET manifest ${repo}:${ref}`, this.send('GET', `/v2/${repo}/manifests/${ref}`, { headers: { accept: MANIFEST_ACCEPT }, keep }), 200);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `fn` over `items` with `concurrency` in flight; rejects on the first failure. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/** Which repository each blob is pushed to: the first image that uses it. */
function blobRepos(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const img of plan.images) for (const b of [img.config, ...img.layers]) if (!out.has(b.digest)) out.set(b.digest, img.repo);
  return out;
}

export interface PhaseResult {
  readonly seconds: number;
  readonly bytes: number;
  readonly requests: number;
}

/** Push phase: every blob with `concurrency` uploads in flight, then every manifest. */
export async function pushAll(target: Target, plan: Plan, concurrency: number, chunk: number): Promise<PhaseResult> {
  const c = new OciClient(target, concurrency);
  const repos = blobRepos(plan);
  try {
    const t0 = performance.now();
    await pool(plan.blobs, concurrency, (b) => c.pushBlob(repos.get(b.digest)!, b, chunk));
    await pool(plan.images, concurrency, (img) => c.pushManifest(img));
    return { seconds: (performance.now() - t0) / 1000, bytes: plan.totalBytes, requests: plan.blobs.length + plan.images.length };
  } finally {
    c.close();
  }
}

/** Pull phase: every manifest by tag, then every blob, `concurrency` in flight. */
export async function pullAll(target: Target, plan: Plan, concurrency: number, verify: boolean): Promise<PhaseResult> {
  const c = new OciClient(target, concurrency);
  const repos = blobRepos(plan);
  let bytes = 0;
  try {
    const t0 = performance.now();
    await pool(plan.images, concurrency, async (img) => {
      const r = await c.getManifest(img.repo, img.tag, verify);
      if (verify && !r.body?.equals(img.manifest)) throw new Error(`${target.name}: manifest ${img.repo}:${img.tag} differs from what was pushed`);
    });
    await pool(plan.blobs, concurrency, async (b) => {
      const n = await c.pullBlob(repos.get(b.digest)!, b.digest, verify ? (got) => {
        if (got !== b.digest) throw new Error(`${target.name}: blob ${b.digest} came back as ${got}`);
      } : undefined);
      if (n !== b.bytes.length) throw new Error(`${target.name}: blob ${b.digest}: ${n} bytes, wanted ${b.bytes.length}`);
      bytes += n;
    });
    return { seconds: (performance.now() - t0) / 1000, bytes, requests: plan.blobs.length + plan.images.length };
  } finally {
    c.close();
  }
}

export interface LatencyResult {
  readonly seconds: number;
  readonly requests: number;
  readonly latenciesMs: number[];
}

/** Manifest GETs by tag (images taken round-robin) from `clients` keep-alive connections. */
export async function manifestLoad(target: Target, plan: Plan, clients: number, count: number): Promise<LatencyResult> {
  const c = new OciClient(target, clients);
  const latenciesMs: number[] = [];
  let next = 0;
  try {
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (next < count) {
        const img = plan.images[next++ % plan.images.length]!;
        const s = performance.now();
        await c.getManifest(img.repo, img.tag);
        latenciesMs.push(performance.now() - s);
      }
    };
    await Promise.all(Array.from({ length: clients }, worker));
    return { seconds: (performance.now() - t0) / 1000, requests: latenciesMs.length, latenciesMs };
  } finally {
    c.close();
  }
}

/**
 * Manifest GETs offered at a fixed `rate` (requests/s, open loop) over at most `clients`
 * keep-alive connections. Each request is handed to the connection pool when it is due (timer
 * granularity: about 1 ms) whether or not earlier ones have finished, and its latency counts from
 * then, so waiting for a free connection is included.
 */
export async function manifestPaced(target: Target, plan: Plan, clients: number, count: number, rate: number): Promise<LatencyResult> {
  const c = new OciClient(target, clients);
  const latenciesMs: number[] = [];
  const inflight: Promise<void>[] = [];
  try {
    const t0 = performance.now() + 5;
    for (let i = 0; i < count; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const img = plan.images[i % plan.images.length]!;
      const sent = performance.now();
      inflight.push(c.getManifest(img.repo, img.tag).then(() => void latenciesMs.push(performance.now() - sent)));
    }
    await Promise.all(inflight);
    return { seconds: (performance.now() - t0) / 1000, requests: latenciesMs.length, latenciesMs };
  } finally {
    c.close();
  }
}
