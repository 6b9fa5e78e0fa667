/**
 * ApiClient: the one typed HTTP client every command uses. It speaks the server's contract
 * (Kubernetes-style paths, bearer auth, `Status` error bodies, newline-delimited watch streams)
 * over Node's global fetch, with a timeout on every request.
 */
import type { Resource } from '../api/index.js';
import { UserError } from './errors.js';

/** Where platform-scoped kinds are served. */
export const API_PREFIX = '/apis/bulkhead.dev/v1';

/** A non-2xx answer from the server, carrying its `Status` body's reason and message. */
export class ApiError extends UserError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached at all (refused, DNS, timeout). */
export class ConnectionError extends UserError {
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

/** One page of a list. */
export interface ListPage<T extends Resource = Resource> {
  readonly items: T[];
  readonly resourceVersion?: string;
  readonly continue?: string;
}

/** One line of a watch stream. ERROR events are turned into thrown ApiErrors. */
export interface WatchEventLine<T extends Resource = Resource> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
}

export interface ListQuery {
  readonly labelSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Overrides the client's default timeout; 0 means none. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token?: string;
  /** Default per-request timeout. */
  readonly timeoutMs?: number;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Builds an ApiError from a `Status` body (or whatever the server sent instead). */
export function apiErrorFrom(status: number, statusText: string, body: unknown): ApiError {
  const rec = asRecord(body);
  if (rec && typeof rec.message === 'string') {
    const code = typeof rec.code === 'number' ? rec.code : status;
    const reason = typeof rec.reason === 'string' ? rec.reason : statusText;
    return new ApiError(code, reason, rec.message, rec.details);
  }
  return new ApiError(status, statusText, `server returned ${status}${statusText ? ` ${statusText}` : ''}`);
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const rec = asRecord(cur);
    if (rec && typeof rec.code === 'string') return rec.code;
    cur = rec?.cause;
  }
  return undefined;
}

/** The typed client over the HTTP API. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Path of a kind's collection, or of one object in it. */
  static path(plural: string, name?: string): string {
    return `${API_PREFIX}/${encodeURIComponent(plural)}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  }

  private url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const url = this.url(path, opts.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const signals: AbortSignal[] = [];
    if (timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs));
    if (opts.signal) signals.push(opts.signal);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals),
      });
    } catch (e) {
      throw this.connectionError(e, timeoutMs);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      throw apiErrorFrom(res.status, res.statusText, body);
    }
    return res;
  }

  private connectionError(e: unknown, timeoutMs: number): ConnectionError {
    const name = asRecord(e)?.name;
    if (name === 'TimeoutError') return new ConnectionError(this.baseUrl, `no answer from the Bulkhead server at ${this.baseUrl} within ${timeoutMs} ms`, { cause: e });
    if (name === 'AbortError') return new ConnectionError(this.baseUrl, 'request aborted', { cause: e });
    const code = errorCode(e);
    if (code === 'ECONNREFUSED')
      return new ConnectionError(this.baseUrl, `cannot connect to the Bulkhead server at ${this.baseUrl} (connection refused); start one with \`npm start\` or point --server / BULKHEAD_SERVER at it`, { cause: e });
    const cause = asRecord(asRecord(e)?.cause);
    const why = code ?? (typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e));
    return new ConnectionError(this.baseUrl, `cannot reach the Bulkhead server at ${this.baseUrl} (${why}); start one with \`npm start\` or point --server / BULKHEAD_SERVER at it`, { cause: e });
  }

  /** Sends a request and parses the JSON answer (an empty body yields `{}`). */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    const text = await res.text();
    if (!text) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new ApiError(res.status, 'BadResponse', `the server sent a response that is not JSON (${method} ${path})`, { cause: String(e) });
    }
  }

  list<T extends Resource = Resource>(plural: string, q: ListQuery = {}): Promise<ListPage<T>> {
    return this.request<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>('GET', ApiClient.path(plural), {
      query: { labelSelector: q.labelSelector, limit: q.limit, continue: q.continue },
    }).then((r) => ({
      items: r.items ?? [],
      resourceVersion: r.metadata?.resourceVersion,
      continue: r.metadata?.continue || undefined,
    }));
  }

  /** Lists every page (following `continue`), pageSize at a time. */
  async listAll<T extends Resource = Resource>(plural: string, q: Omit<ListQuery, 'limit' | 'continue'> = {}, pageSize = 500): Promise<ListPage<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await this.list<T>(plural, { ...q, limit: pageSize, continue: cont });
      items.push(...page.items);
      resourceVersion ??= page.resourceVersion;
      cont = page.continue;
    } while (cont);
    return { items, resourceVersion };
  }

  get<T extends Resource = Resource>(plural: string, name: string): Promise<T> {
    return this.request<T>('GET', ApiClient.path(plural, name));
  }

  create<T extends Resource = Resource>(plural: string, obj: unknown): Promise<T> {
    return this.request<T>('POST', ApiClient.path(plural), { body: obj });
  }

  replace<T extends Resource = Resource>(plural: string, name: string, obj: unknown): Promise<T> {
    return this.request<T>('PUT', ApiClient.path(plural, name), { body: obj });
  }

  delete<T extends Resource = Resource>(plural: string, name: string): Promise<T> {
    return this.request<T>('DELETE', ApiClient.path(plural, name));
  }

  /**
   * Follows a kind's changes after `resourceVersion`, yielding events as the server streams them.
   * Ends when the server closes the stream or `signal` aborts.
   */
  async *watch<T extends Resource = Resource>(
    plural: string,
    opts: { resourceVersion?: string; labelSelector?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<WatchEventLine<T>> {
    const res = await this.send('GET', ApiClient.path(plural), {
      query: { watch: 'true', resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector },
      timeoutMs: 0,
      signal: opts.signal,
    });
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) yield parseWatchLine<T>(line);
      }
    }
    const rest = (buffered + decoder.decode()).trim();
    if (rest) yield parseWatchLine<T>(rest);
  }
}

/** Parses one watch line; an ERROR event becomes an ApiError from its Status object. */
export function parseWatchLine<T extends Resource>(line: string): WatchEventLine<T> {
  let ev: unknown;
  try {
    ev = JSON.parse(line);
  } catch {
    throw new ApiError(0, 'BadResponse', `the server sent a watch line that is not JSON: ${line.slice(0, 80)}`);
  }
  const rec = asRecord(ev);
  const type = rec?.type;
  if (type === 'ERROR') throw apiErrorFrom(0, 'WatchError', rec?.object);
  if ((type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') && asRecord(rec?.object)) {
    return { type, object: rec?.object as T };
  }
  throw new ApiError(0, 'BadResponse', `the server sent an unexpected watch event: ${line.slice(0, 80)}`);
}
