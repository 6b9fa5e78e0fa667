/**
 * How the OCI client sends HTTP: Node's `fetch`, or, for a remote marked `insecure` over https,
 * a small fetch-shaped adapter on `node:https` that skips certificate verification (Node's fetch
 * takes no TLS options without the undici package, which we do not depend on).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

/** A request as the client makes it: the subset of fetch's RequestInit it uses. */
export interface HttpRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A Buffer, or a stream sent as it is read. */
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  readonly signal?: AbortSignal;
}

export type HttpTransport = (url: string, req: HttpRequest) => Promise<Response>;

/** Node's fetch (redirects followed; Authorization dropped on a cross-origin redirect). */
export const fetchTransport: HttpTransport = (url, req) =>
  fetch(url, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body, duplex: 'half' as const } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  });

const NULL_BODY = new Set([101, 204, 205, 304]);
const MAX_REDIRECTS = 5;

function toResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const status = res.statusCode ?? 502;
  const empty = method === 'HEAD' || NULL_BODY.has(status);
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, headers });
}

function once(url: URL, req: HttpRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const r = send(url, { method: req.method, headers: req.headers, rejectUnauthorized: false, ...(req.signal ? { signal: req.signal } : {}) }, resolve);
    r.on('error', reject);
    const body = req.body;
    if (body === undefined) r.end();
    else if (Buffer.isBuffer(body)) r.end(body);
    else Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>).on('error', (err) => r.destroy(err)).pipe(r);
  });
}

/** The adapter for `insecure` remotes: no certificate verification; GET/HEAD redirects followed. */
export const insecureTransport: HttpTransport = async (url, req) => {
  let target = new URL(url);
  let headers = req.headers;
  for (let hops = 0; ; hops++) {
    const res = await once(target, { ...req, headers });
    const location = res.headers.location;
    const redirect = res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400 && location !== undefined;
    if (!redirect || (req.method !== 'GET' && req.method !== 'HEAD') || hops >= MAX_REDIRECTS) return toResponse(res, req.method);
    res.resume();
    const next = new URL(location, target);
    // Credentials never follow a redirect to another origin (OCI distribution spec, main).
    if (next.origin !== target.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    target = next;
  }
};

/** The transport for a remote: the adapter only where certificate checks must be skipped. */
export function transportFor(url: string, insecure: boolean | undefined): HttpTransport {
  return insecure && url.startsWith('https:') ? insecureTransport : fetchTransport;
}
