/**
 * An OCI distribution client over fetch, for talking to another registry (docker-registry,
 * Harbor, another Bulkhead): ping, Basic or the Bearer token flow (oci-auth.ts), manifests with an
 * Accept of every OCI and Docker v2 type (docker-registry 404s an OCI manifest without one), blobs
 * streamed in and out, uploads monolithic (POST + PUT) or, above `chunkBytes`, in PATCH chunks
 * (Harbor's copy-by-chunk), cross-repository mounts, tags and catalog following `Link` pages
 * (and tolerating registries that ignore `n`/`last`), referrers, and deletes.
 */
import { createHash } from 'node:crypto';
import { DOCKER_LIST, DOCKER_MANIFEST, MANIFEST_TYPES, MAX_MANIFEST_BYTES, OCI_INDEX, OCI_MANIFEST } from '../media-types.js';
import { isDigest } from '../names.js';
import { repositoryScope } from './auth-challenge.js';
import type { FetchedManifest, ManifestRef, RegistryEndpoint } from './endpoint.js';
import { DigestMismatchError, RegistryRequestError, RegistryUnreachableError, ReplicationError } from './errors.js';
import { RegistryAuth, type RegistryCredentials } from './oci-auth.js';
import { SliceReader, toWebStream } from './streams.js';
import { transportFor, type HttpTransport } from './transport.js';

/** Every manifest type we can copy, as the Accept header (docker-registry needs it for OCI types). */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST].join(', ');
/** Harbor's copy-by-chunk default (`REPLICATION_CHUNK_SIZE`). */
export const DEFAULT_CHUNK_BYTES = 10 * 1024 * 1024;
const PAGE_SIZE = 1000;
const PING = '/v2/';
const MAX_PAGES = 10_000;

export interface OciClientOptions {
  /** Base URL, e.g. `https://registry.example.com` (the API is under /v2/). */
  readonly url: string;
  readonly credentials?: RegistryCredentials;
  /** Skip TLS verification. */
  readonly insecure?: boolean;
  /** Blobs larger than this are uploaded in PATCH chunks of this size. */
  readonly chunkBytes?: number;
  /** Aborts every request (execution stopped, server closing). */
  readonly signal?: AbortSignal;
  /** Limit for requests without a streamed body (default 60 s). */
  readonly requestTimeoutMs?: number;
  readonly transport?: HttpTransport;
}

interface SendOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  /** No overall timeout (blob bodies take as long as they take). */
  readonly streaming?: boolean;
}

const pull = (repo: string) => [repositoryScope(repo, ['pull'])];
const push = (repo: string) => [repositoryScope(repo, ['pull', 'push'])];

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel="?next"?/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

function causeOfType<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let cur: unknown = err;
  for (let depth = 0; cur instanceof Error && depth < 5; depth++, cur = cur.cause) if (cur instanceof type) return cur;
  return undefined;
}

function digestOf(bytes: Buffer, alg: string): string {
  return `${alg}:${createHash(alg).update(bytes).digest('hex')}`;
}

function mediaTypeOf(header: string | null, bytes: Buffer): string {
  const ct = header?.split(';')[0]?.trim().toLowerCase();
  if (ct && MANIFEST_TYPES.has(ct)) return ct;
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown };
    if (typeof doc.mediaType === 'string') return doc.mediaType;
    return doc.manifests !== undefined ? OCI_INDEX : OCI_MANIFEST;
  } catch {
    return ct ?? OCI_MANIFEST;
  }
}

export class OciClient implements RegistryEndpoint {
  readonly name: string;
  private readonly base: string;
  private readonly auth: RegistryAuth;
  private readonly transport: HttpTransport;
  private readonly chunkBytes: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: OciClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.name = this.base;
    this.transport = opts.transport ?? transportFor(this.base, opts.insecure);
    this.auth = new RegistryAuth(this.transport, opts.credentials, opts.signal);
    this.chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
  }

  private url(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.base}/`).toString();
  }

  private signalFor(streaming: boolean | undefined): AbortSignal | undefined {
    const parts = [this.opts.signal, streaming ? undefined : AbortSignal.timeout(this.timeoutMs)].filter((s): s is AbortSignal => s !== undefined);
    return parts.length > 1 ? AbortSignal.any(parts) : parts[0];
  }

  /** One request with authentication: a 401 teaches the scheme and a replayable request is retried once. */
  private async send(method: string, pathOrUrl: string, scopes: readonly string[], o: SendOptions = {}): Promise<Response> {
    const url = this.url(pathOrUrl);
    const replayable = o.body === undefined || Buffer.isBuffer(o.body);
    // Learn the scheme from /v2/ first, as docker does: a streamed body cannot be sent twice, and a
    // registry that lets anonymous callers list (a catalog, public tags) would otherwise never
    // challenge us, silently showing less than our credentials may see.
    if (!this.auth.known && pathOrUrl !== PING && (!replayable || this.opts.credentials)) await this.ping();
    const attempt = async (): Promise<Response> => {
      const authorization = await this.auth.header(scopes);
      const signal = this.signalFor(o.streaming);
      try {
        return await this.transport(url, { method, headers: { ...o.headers, ...(authorization ? { authorization } : {}) }, ...(o.body !== undefined ? { body: o.body } : {}), ...(signal ? { signal } : {}) });
      } catch (err) {
        if (this.opts.signal?.aborted) throw this.opts.signal.reason ?? err;
        // A failure of our own body stream (a digest mismatch at the source) surfaces as fetch's TypeError.
        const own = causeOfType(err, ReplicationError);
        if (own) throw own;
        throw new RegistryUnreachableError(`${method} ${url}`, err);
      }
    };
    let res = await attempt();
    if (res.status === 401 && replayable) {
      await res.body?.cancel();
      if (this.auth.learn(res.headers.get('www-authenticate'), scopes)) res = await attempt();
      else return res;
    }
    if (res.status !== 401) this.auth.noteAnonymous();
    return res;
  }

  /** Turns an unexpected answer into a RegistryRequestError with the OCI error code and message. */
  private async failure(method: string, pathOrUrl: string, res: Response): Promise<RegistryRequestError> {
    const text = method === 'HEAD' ? '' : await res.text().catch(() => '');
    let code: string | undefined;
    let detail = text.slice(0, 300).trim();
    try {
      const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
      const first = body.errors?.[0];
      if (first) {
        code = first.code;
        detail = first.message ?? '';
      }
    } catch {
      // not an OCI error body
    }
    if (res.status === 401) detail = `${detail ? `${detail}; ` : ''}${this.opts.credentials ? 'credentials refused' : 'the registry needs credentials'}`;
    const path = new URL(this.url(pathOrUrl)).pathname;
    return new RegistryRequestError(method, `${this.base}${path}`, res.status, code, detail);
  }

  private async drain(res: Response): Promise<void> {
    await res.body?.cancel().catch(() => undefined);
  }

  /** GET /v2/: the registry answers and our credentials (if any) are accepted. */
  async ping(): Promise<void> {
    const res = await this.send('GET', PING, []);
    if (res.status !== 200) throw await this.failure('GET', PING, res);
    await this.drain(res);
  }

  /** Follows `Link: <...>; rel="next"` pages of a list endpoint; undefined on a 404 (or `missing` status). */
  private async pages<T>(first: string, scopes: readonly string[], missing: ReadonlySet<number>, read: (body: unknown) => readonly T[]): Promise<T[] | undefined> {
    const out: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined = first;
    for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
      const res = await this.send('GET', next, scopes, { headers: { accept: 'application/json' } });
      if (missing.has(res.status)) {
        await this.drain(res);
        return page === 0 ? undefined : out;
      }
      if (res.status !== 200) throw await this.failure('GET', next, res);
      const items = read(await res.json().catch(() => ({})));
      let added = 0;
      for (const it of items) {
        const key = JSON.stringify(it);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(it);
        added++;
      }
      // A registry that ignores `last` would hand back the same page forever.
      next = added > 0 ? nextLink(res.headers.get('link')) : undefined;
    }
    return out;
  }

  async repositories(namespace?: string): Promise<string[] | undefined> {
    const names = await this.pages(`/v2/_catalog?n=${PAGE_SIZE}`, ['registry:catalog:*'], new Set([400, 401, 403, 404, 405]), (b) => {
      const r = (b as { repositories?: unknown }).repositories;
      return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
    });
    if (names === undefined || namespace === undefined) return names;
    return names.filter((n) => n.startsWith(`${namespace}/`));
  }

  async tags(repo: string): Promise<string[]> {
    const tags = await this.pages(`/v2/${repo}/tags/list?n=${PAGE_SIZE}`, pull(repo), new Set([404]), (b) => {
      const t = (b as { tags?: unknown }).tags;
      return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
    });
    return (tags ?? []).sort();
  }

  async headManifest(repo: string, ref: string): Promise<ManifestRef | undefined> {
    const path = `/v2/${repo}/manifests/${ref}`;
    const res = await this.send('HEAD', path, pull(repo), { headers: { accept: MANIFEST_ACCEPT } });
    await this.drain(res);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw await this.failure('HEAD', path, res);
    const digest = res.headers.get('docker-content-digest') ?? (isDigest(ref) ? ref : undefined);
    const type = res.headers.get('content-type')?.split(';')[0]?.trim();
    if (digest && type && MANIFEST_TYPES.has(type)) return { digest, mediaType: type, size: Number(res.headers.get('content-length') ?? 0) };
    // No digest or type in the HEAD answer: fetch the bytes and compute them.
    const m = await this.getManifest(repo, ref);
    return m && { digest: m.digest, mediaType: m.mediaType, size: m.size };
  }

  async getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined> {
    const path = `/v2/${repo}/manifests/${ref}`;
    const res = await this.send('GET', path, pull(repo), { headers: { accept: MANIFEST_ACCEPT } });
    if (res.status === 404) {
      await this.drain(res);
      return undefined;
    }
    if (res.status !== 200) throw await this.failure('GET', path, res);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_MANIFEST_BYTES) {
      await this.drain(res);
      throw new ReplicationError(`manifest ${repo}:${ref} is larger than ${MAX_MANIFEST_BYTES} bytes`, false);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const claimed = isDigest(ref) ? ref : (res.headers.get('docker-content-digest') ?? undefined);
    const alg = claimed?.split(':')[0] ?? 'sha256';
    const digest = digestOf(bytes, alg);
    if (claimed !== undefined && claimed !== digest) throw new DigestMismatchError(claimed, digest);
    return { digest, mediaType: mediaTypeOf(res.headers.get('content-type'), bytes), size: bytes.length, bytes };
  }

  async referrers(repo: string, digest: string): Promise<ManifestRef[] | undefined> {
    return this.pages(`/v2/${repo}/referrers/${digest}`, pull(repo), new Set([400, 404, 405]), (b) => {
      const list = (b as { manifests?: unknown }).manifests;
      if (!Array.isArray(list)) return [];
      const out: ManifestRef[] = [];
      for (const d of list as { digest?: unknown; mediaType?: unknown; size?: unknown }[]) {
        if (typeof d.digest === 'string' && isDigest(d.digest) && typeof d.mediaType === 'string') out.push({ digest: d.digest, mediaType: d.mediaType, size: Number(d.size ?? 0) });
      }
      return out;
    });
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const path = `/v2/${repo}/blobs/${digest}`;
    const res = await this.send('HEAD', path, pull(repo));
    await this.drain(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.failure('HEAD', path, res);
  }

  async readBlob(repo: string, digest: string): Promise<AsyncIterable<Uint8Array>> {
    const path = `/v2/${repo}/blobs/${digest}`;
    const res = await this.send('GET', path, pull(repo), { streaming: true });
    if (res.status !== 200 || !res.body) throw await this.failure('GET', path, res);
    return res.body;
  }

  /** POST an upload session; its Location (absolute). */
  private async startUpload(repo: string): Promise<string> {
    const path = `/v2/${repo}/blobs/uploads/`;
    const res = await this.send('POST', path, push(repo), { headers: { 'content-length': '0' }, body: Buffer.alloc(0) });
    const loc = res.headers.get('location');
    if (res.status !== 202 || !loc) throw await this.failure('POST', path, res);
    await this.drain(res);
    return this.url(loc);
  }

  private withDigest(location: string, digest: string): string {
    const u = new URL(location);
    u.searchParams.set('digest', digest);
    return u.toString();
  }

  private async cancelUpload(repo: string, location: string): Promise<void> {
    const res = await this.send('DELETE', location, push(repo)).catch(() => undefined);
    if (res) await this.drain(res);
  }

  async writeBlob(repo: string, digest: string, size: number, open: () => Promise<AsyncIterable<Uint8Array>>): Promise<void> {
    let location = await this.startUpload(repo);
    const octets = { 'content-type': 'application/octet-stream' };
    let body: AsyncIterable<Uint8Array>;
    try {
      body = await open();
    } catch (err) {
      await this.cancelUpload(repo, location);
      throw err;
    }
    if (size <= this.chunkBytes) {
      const res = await this.send('PUT', this.withDigest(location, digest), push(repo), { headers: { ...octets, 'content-length': String(size) }, body: toWebStream(body), streaming: true }).catch(async (err: unknown) => {
        await this.cancelUpload(repo, location);
        throw err;
      });
      if (res.status !== 201) throw await this.failure('PUT', location, res);
      await this.drain(res);
      return;
    }
    const reader = new SliceReader(body);
    try {
      for (let offset = 0; offset < size; ) {
        const n = Math.min(this.chunkBytes, size - offset);
        const headers = { ...octets, 'content-length': String(n), 'content-range': `${offset}-${offset + n - 1}` };
        const res = await this.send('PATCH', location, push(repo), { headers, body: toWebStream(reader.take(n)), streaming: true });
        if (res.status !== 202) throw await this.failure('PATCH', location, res);
        await this.drain(res);
        const next = res.headers.get('location');
        if (next) location = this.url(next);
        offset += n;
      }
      await reader.finish();
      const res = await this.send('PUT', this.withDigest(location, digest), push(repo), { headers: { ...octets, 'content-length': '0' }, body: Buffer.alloc(0) });
      if (res.status !== 201) throw await this.failure('PUT', location, res);
      await this.drain(res);
    } catch (err) {
      await reader.close().catch(() => undefined);
      await this.cancelUpload(repo, location);
      throw err;
    }
  }

  async mountBlob(repo: string, digest: string, from: string): Promise<boolean> {
    const path = `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const res = await this.send('POST', path, [...push(repo), ...pull(from)], { headers: { 'content-length': '0' }, body: Buffer.alloc(0) });
    await this.drain(res);
    if (res.status === 201) return true;
    // 202: the registry started an ordinary upload instead; we upload through our own session.
    const loc = res.headers.get('location');
    if (res.status === 202 && loc) await this.cancelUpload(repo, this.url(loc));
    return false;
  }

  async putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<void> {
    const path = `/v2/${repo}/manifests/${ref}`;
    const res = await this.send('PUT', path, push(repo), { headers: { 'content-type': mediaType, 'content-length': String(bytes.length) }, body: bytes });
    if (res.status < 200 || res.status >= 300) throw await this.failure('PUT', path, res);
    await this.drain(res);
  }

  async deleteManifest(repo: string, ref: string): Promise<boolean> {
    const path = `/v2/${repo}/manifests/${ref}`;
    const res = await this.send('DELETE', path, [repositoryScope(repo, ['delete'])]);
    if (res.status === 404) {
      await this.drain(res);
      return false;
    }
    if (res.status < 200 || res.status >= 300) throw await this.failure('DELETE', path, res);
    await this.drain(res);
    return true;
  }
}
