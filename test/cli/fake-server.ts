/**
 * A tiny in-memory test double of the Bulkhead HTTP API: just the contract endpoints the CLI
 * calls, so CLI behaviour (exit codes, one-line errors, apply flows, audit verification) can be
 * tested without the real platform. It records every request it receives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEntry } from '../../src/store/store.js';

export type Obj = { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string }; spec?: unknown; status?: unknown };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  readonly body?: unknown;
}

export interface FakeState {
  /** plural -> name -> object */
  objects: Map<string, Map<string, Obj>>;
  audit: AuditEntry[];
  isolation: { violations: unknown[]; checkedHosts: number; checkedVms: number };
  /** When set, every /apis and /audit request needs `Bearer <token>`. */
  token?: string;
  /** Watch lines the fake streams for `?watch=true`. */
  watchEvents: unknown[];
  /** PUTs to answer with 409 Conflict before accepting. */
  conflictsToInject: number;
  /** Users with passwords, for /auth/login. */
  passwords: Map<string, string>;
  /** Plays a controller: called on each GET of one object (n counts GETs of it), may return a new version. */
  onGet?: (plural: string, obj: Obj, n: number) => Obj | undefined;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly state: FakeState;
  close(): Promise<void>;
}

let revision = 100;
const getCounts = new Map<string, number>();

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details: {} }));
}

function send(res: ServerResponse, body: unknown, code = 200): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

const KIND_OF: Record<string, string> = {
  zones: 'Zone',
  hosts: 'Host',
  virtualmachines: 'VirtualMachine',
  tenants: 'Tenant',
  users: 'User',
  roles: 'Role',
  rolebindings: 'RoleBinding',
  tokens: 'Token',
};

function handleKinds(state: FakeState, req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): void {
  const parts = url.pathname.split('/').slice(4); // ['', 'apis', 'bulkhead.dev', 'v1', plural, name?, sub?]
  const [plural = '', name, sub] = parts;
  const kind = KIND_OF[plural];
  if (!kind) return status(res, 404, 'NotFound', `the server could not find the requested resource (${plural})`);
  let coll = state.objects.get(plural);
  if (!coll) state.objects.set(plural, (coll = new Map()));
  const method = req.method ?? 'GET';
  if (name === undefined && method === 'GET' && url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const ev of state.watchEvents) res.write(`${JSON.stringify(ev)}\n`);
    res.end();
    return;
  }
  if (name === undefined && method === 'GET') {
    const all = [...coll.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const start = Number(url.searchParams.get('continue') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '0') || all.length;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : undefined;
    return send(res, { apiVersion: 'bulkhead.dev/v1', kind: `${kind}List`, metadata: { resourceVersion: String(revision), ...(next ? { continue: next } : {}) }, items });
  }
  if (name === undefined && method === 'POST') {
    const obj = body as Obj;
    if (coll.has(obj.metadata.name)) return status(res, 409, 'AlreadyExists', `${kind} "${obj.metadata.name}" already exists`);
    const stored: Obj = { ...obj, metadata: { ...obj.metadata, uid: `uid-${obj.metadata.name}`, resourceVersion: String(++revision), generation: 1, creationTimestamp: new Date().toISOString() } };
    coll.set(obj.metadata.name, stored);
    return send(res, stored, 201);
  }
  if (name === undefined) return status(res, 405, 'MethodNotAllowed', `method ${method} not allowed`);
  const existing = coll.get(name);
  if (sub === 'fault' && method === 'POST') {
    if (!existing) return status(res, 404, 'NotFound', `${kind} "${name}" not found`);
    const action = (body as { action?: string }).action;
    const updated = { ...existing, status: { ...(existing.status as object), state: action === 'fail' ? 'Failed' : 'Ready' } };
    coll.set(name, updated);
    return send(res, updated);
  }
  if (!existing) return status(res, 404, 'NotFound', `${kind} "${name}" not found`);
  if (method === 'GET') {
    const n = (getCounts.get(`${plural}/${name}`) ?? 0) + 1;
    getCounts.set(`${plural}/${name}`, n);
    const next = state.onGet?.(plural, existing, n);
    if (next) coll.set(name, next);
    return send(res, next ?? existing);
  }
  if (method === 'DELETE') {
    coll.delete(name);
    return send(res, existing);
  }
  if (method === 'PUT') {
    const obj = body as Obj;
    if (state.conflictsToInject > 0) {
      state.conflictsToInject--;
      existing.metadata.resourceVersion = String(++revision); // someone else wrote it meanwhile
      return status(res, 409, 'Conflict', `the object has been modified; please apply your changes to the latest version`);
    }
    if (obj.metadata.resourceVersion !== existing.metadata.resourceVersion) return status(res, 409, 'Conflict', 'stale resourceVersion');
    const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(existing.spec);
    const gen = Number(existing.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    const stored: Obj = { ...obj, status: existing.status, metadata: { ...obj.metadata, resourceVersion: String(++revision), generation: gen } };
    coll.set(name, stored);
    return send(res, stored);
  }
  return status(res, 405, 'MethodNotAllowed', `method ${method} not allowed`);
}

async function handle(state: FakeState, requests: RecordedRequest[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const body = await readBody(req);
  requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body });
  const p = url.pathname;
  if (p === '/version') return send(res, { version: '0.1.0', apiVersion: 'bulkhead.dev/v1' });
  if (p === '/auth/login' && req.method === 'POST') {
    const { username, password } = body as { username: string; password: string };
    if (state.passwords.get(username) !== password) return status(res, 401, 'Unauthorized', 'invalid username or password');
    return send(res, { token: `tok-${username}`, expiresAt: '2099-01-01T00:00:00Z', user: username });
  }
  if (state.token && req.headers.authorization !== `Bearer ${state.token}`) return status(res, 401, 'Unauthorized', 'authentication required');
  if (p === '/auth/whoami') return send(res, { user: 'admin', groups: ['admins'], bindings: [{ role: 'platform-admin' }] });
  if (p === '/auth/tokens' && req.method === 'POST') {
    const b = body as { user?: string; ttlSeconds?: number };
    return send(res, { name: 'tok-1', token: 'secret-token-value', user: b.user ?? 'admin', ...(b.ttlSeconds ? { expiresAt: '2099-01-01T00:00:00Z' } : {}) }, 201);
  }
  const pw = /^\/auth\/users\/([^/]+)\/password$/.exec(p);
  if (pw && req.method === 'PUT') {
    state.passwords.set(decodeURIComponent(pw[1] ?? ''), (body as { password: string }).password);
    return send(res, {});
  }
  if (p === '/audit/log') {
    const after = Number(url.searchParams.get('after') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '100');
    return send(res, { items: state.audit.filter((e) => e.seq > after).slice(0, limit) });
  }
  if (p === '/audit/isolation') return send(res, state.isolation);
  if (p.startsWith('/apis/bulkhead.dev/v1/')) return handleKinds(state, req, res, url, body);
  return status(res, 404, 'NotFound', `no route for ${req.method} ${p}`);
}

/** Starts the fake on a free port. */
export async function startFakeServer(init: Partial<FakeState> = {}): Promise<FakeServer> {
  const state: FakeState = {
    objects: new Map(),
    audit: [],
    isolation: { violations: [], checkedHosts: 0, checkedVms: 0 },
    watchEvents: [],
    conflictsToInject: 0,
    passwords: new Map(),
    ...init,
  };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    handle(state, requests, req, res).catch((e: unknown) => status(res, 500, 'InternalError', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Seeds objects of a kind into the fake. */
export function seed(state: FakeState, plural: string, objs: readonly Obj[]): void {
  const coll = state.objects.get(plural) ?? new Map<string, Obj>();
  for (const o of objs) coll.set(o.metadata.name, { ...o, metadata: { resourceVersion: String(++revision), generation: 1, ...o.metadata } });
  state.objects.set(plural, coll);
}
