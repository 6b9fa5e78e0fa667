/** Shared helpers of the conformance suite: object builders, a per-test store, a watch recorder. */
import { afterEach, beforeEach } from 'vitest';
import type { Resource } from '../../api/index.js';
import type { Store, Watch, WatchEvent } from '../store.js';

export interface StoreFactoryOptions {
  readonly historyLimit?: number;
  readonly now?: () => number;
}

/** Returns a fresh, empty store. */
export type StoreFactory = (opts?: StoreFactoryOptions) => Promise<Store>;

export interface Spec {
  readonly cpu: number;
  readonly image?: string;
}
export type Vm = Resource<Spec, { readonly phase?: string }>;

/** A namespaced test object. */
export function vm(name: string, namespace = 'team-a', labels?: Record<string, string>, spec: Spec = { cpu: 1 }): Vm {
  return { apiVersion: 'bulkhead.dev/v1', kind: 'VirtualMachine', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec };
}

/** A platform-scoped test object (namespace ''). */
export function host(name: string, labels?: Record<string, string>): Resource {
  return { apiVersion: 'bulkhead.dev/v1', kind: 'Host', metadata: { name, ...(labels ? { labels } : {}) }, spec: { cores: 8 } };
}

/** Gives each test a fresh store from `factory` and closes it afterwards. */
export function useStore(factory: StoreFactory, opts?: StoreFactoryOptions): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await factory(opts);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('store not open');
    return store;
  };
}

/** Polls until `cond` holds (watch delivery is asynchronous), failing after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A watch that records what it receives. */
export interface Recorder {
  readonly events: WatchEvent[];
  readonly errors: Error[];
  watch: Watch;
}

export async function record(store: Store, opts: Parameters<Store['watch']>[0]): Promise<Recorder> {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  const watch = await store.watch(opts, { onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
  return { events, errors, watch };
}

/** `[type, name, revision]` of each event, for compact assertions. */
export function summary(events: readonly WatchEvent[]): [string, string, number][] {
  return events.map((e) => [e.type, e.object.metadata.name, e.revision]);
}
