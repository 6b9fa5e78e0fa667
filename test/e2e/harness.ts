/**
 * End-to-end harness: starts the real platform (SQLite in a temp dir, simulated datacenter on a
 * fast clock, HTTP on a free port) and gives tests a small typed HTTP client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform, type PlatformOptions } from '../../src/platform/index.js';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

export class Api {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  as(token: string | undefined): Api {
    return new Api(this.url, token);
  }

  async req<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h['authorization'] = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // leave as text
    }
    return { status: res.status, body: parsed as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.req<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body: unknown) {
    return this.req<T>('POST', path, body);
  }
  put<T = Record<string, unknown>>(path: string, body: unknown) {
    return this.req<T>('PUT', path, body);
  }
  del<T = Record<string, unknown>>(path: string) {
    return this.req<T>('DELETE', path);
  }
}

export const V1 = '/apis/bulkhead.dev/v1';

export interface Running {
  readonly platform: Platform;
  readonly admin: Api;
  readonly anon: Api;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startTestPlatform(opts: PlatformOptions = {}): Promise<Running> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'bulkhead-e2e-')));
  const platform = await startPlatform({ port: 0, dataDir, timeScale: 2000, logLevel: 'warn', banner: false, ...opts });
  const anon = new Api(platform.url);
  return {
    platform,
    admin: anon.as(platform.adminToken),
    anon,
    dataDir,
    async stop() {
      await platform.close();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function tenant(name: string, sensitivity: 'low' | 'moderate' | 'high', zones?: string[]) {
  return { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name }, spec: { sensitivity, ...(zones ? { zones } : {}) } };
}

export function vm(name: string, tenantName: string, cpus: number, memoryMiB: number, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'bulkhead.dev/v1', kind: 'VirtualMachine', metadata: { name }, spec: { tenant: tenantName, cpus, memoryMiB, ...extra } };
}

/** A cluster node VM of `tenantName`: a VM labelled with its cluster and role, as the cluster lifecycle makes them. */
export function nodeVm(name: string, tenantName: string, cluster: string, cpus: number, memoryMiB: number, role = 'worker', extra: Record<string, unknown> = {}) {
  const v = vm(name, tenantName, cpus, memoryMiB, extra);
  return { ...v, metadata: { ...v.metadata, labels: { 'bulkhead.dev/cluster': cluster, 'bulkhead.dev/role': role } } };
}
