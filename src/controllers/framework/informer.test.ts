// The informer over a real SQLite store: initial list, handlers in commit order, a frozen cache
// that tracks the store, and recovery by relisting when the watch's history has been compacted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GoneError, type Resource } from '../../api/index.js';
import { flushMicrotasks } from '../../clock/index.js';
import { openSqliteStore, type Store, type WatchHandlers, type WatchOptions } from '../../store/index.js';
import { Informer } from './informer.js';

type Thing = Resource<{ size: number }>;
const thing = (name: string, size = 1): Thing => ({ apiVersion: 'v1', kind: 'Thing', metadata: { name }, spec: { size } });

/** Records handler calls as strings, in the order they happen. */
function recorder(inf: Informer<Thing>): string[] {
  const log: string[] = [];
  inf.addHandlers({
    onAdd: (o) => log.push(`add ${o.metadata.name} ${o.spec?.size}`),
    onUpdate: (a, b) => log.push(`update ${a.metadata.name} ${a.spec?.size}->${b.spec?.size}`),
    onDelete: (o) => log.push(`delete ${o.metadata.name}`),
  });
  return log;
}

/** Waits until the informer has applied everything the store has committed. */
async function caughtUp(inf: Informer<Thing>, store: Store): Promise<void> {
  const rev = await store.revision();
  await vi.waitFor(() => expect(inf.revision()).toBeGreaterThanOrEqual(rev));
}

const opened: Store[] = [];
const informers: Informer<Thing>[] = [];
async function open(historyLimit?: number): Promise<Store> {
  const s = await openSqliteStore({ path: ':memory:', ...(historyLimit ? { historyLimit } : {}) });
  opened.push(s);
  return s;
}
function informer(store: Store, onError?: (e: Error) => void): Informer<Thing> {
  const inf = new Informer<Thing>(store, 'Thing', onError);
  informers.push(inf);
  return inf;
}

afterEach(async () => {
  for (const i of informers.splice(0)) i.stop();
  for (const s of opened.splice(0)) await s.close();
});

describe('Informer', () => {
  it('the initial list fires onAdd for each existing object and marks the informer synced', async () => {
    const store = await open();
    await store.create(thing('a'));
    await store.create(thing('b', 2));
    await store.create({ apiVersion: 'v1', kind: 'Other', metadata: { name: 'o' } });
    const inf = informer(store);
    const log = recorder(inf);
    expect(inf.hasSynced()).toBe(false);
    await inf.start();
    expect(inf.hasSynced()).toBe(true);
    expect(log.sort()).toEqual(['add a 1', 'add b 2']);
    expect(inf.size()).toBe(2);
    expect(inf.revision()).toBe(await store.revision());
  });

  it('handlers added after sync are replayed the cache as adds', async () => {
    const store = await open();
    await store.create(thing('a'));
    const inf = informer(store);
    await inf.start();
    expect(recorder(inf)).toEqual(['add a 1']);
  });

  it('later creates, updates and deletes fire the handlers in commit order, and get() returns the latest', async () => {
    const store = await open();
    const inf = informer(store);
    const log = recorder(inf);
    await inf.start();
    const a = await store.create(thing('a'));
    await store.create(thing('b'));
    const a2 = await store.update({ ...a, spec: { size: 2 } });
    await store.update({ ...a2, spec: { size: 3 } });
    await store.create({ apiVersion: 'v1', kind: 'Other', metadata: { name: 'ignored' } });
    await store.delete('Thing', '', 'b');
    await caughtUp(inf, store);
    expect(log).toEqual(['add a 1', 'add b 1', 'update a 1->2', 'update a 2->3', 'delete b']);
    expect(inf.get('a')?.spec?.size).toBe(3);
    expect(inf.get('a')).toEqual(await store.get('Thing', '', 'a'));
    expect(inf.get('b')).toBeUndefined();
    expect(inf.list().map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('keys namespaced objects by namespace and name', async () => {
    const store = await open();
    const inf = informer(store);
    await inf.start();
    await store.create({ ...thing('x', 1), metadata: { name: 'x', namespace: 'ns1' } });
    await store.create({ ...thing('x', 2), metadata: { name: 'x', namespace: 'ns2' } });
    await caughtUp(inf, store);
    expect(inf.get('x', 'ns1')?.spec?.size).toBe(1);
    expect(inf.get('x', 'ns2')?.spec?.size).toBe(2);
    expect(inf.get('x')).toBeUndefined();
  });

  it('hands out deeply frozen objects, from the list and from the watch', async () => {
    const store = await open();
    await store.create(thing('listed'));
    const inf = informer(store);
    await inf.start();
    await store.create({ ...thing('watched'), metadata: { name: 'watched', labels: { a: 'b' } } });
    await caughtUp(inf, store);
    for (const name of ['listed', 'watched']) {
      const o = inf.get(name);
      expect(o).toBeDefined();
      expect(Object.isFrozen(o)).toBe(true);
      expect(Object.isFrozen(o?.spec)).toBe(true);
      expect(Object.isFrozen(o?.metadata)).toBe(true);
      expect(() => {
        (o?.spec as { size: number }).size = 99;
      }).toThrow(TypeError);
    }
    expect(Object.isFrozen(inf.get('watched')?.metadata.labels)).toBe(true);
  });

  it('a throwing handler is reported and does not stop the others', async () => {
    const store = await open();
    const errors: Error[] = [];
    const inf = informer(store, (e) => errors.push(e));
    inf.addHandlers({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    const log = recorder(inf);
    await inf.start();
    await store.create(thing('a'));
    await store.create(thing('b'));
    await caughtUp(inf, store);
    expect(log).toEqual(['add a 1', 'add b 1']);
    expect(errors.map((e) => e.message)).toEqual(['boom', 'boom']);
  });

  it('keeps up through many writes on a store that compacts its history', async () => {
    const store = await open(5);
    const inf = informer(store);
    const sizes = new Map<string, number>();
    inf.addHandlers({ onAdd: (o) => sizes.set(o.metadata.name, o.spec?.size ?? 0), onUpdate: (_, o) => sizes.set(o.metadata.name, o.spec?.size ?? 0), onDelete: (o) => sizes.delete(o.metadata.name) });
    await inf.start();
    for (let i = 0; i < 200; i++) {
      const name = `t${i % 7}`;
      const cur = await store.tryGet<Thing>('Thing', '', name);
      if (!cur) await store.create(thing(name, i));
      else if (i % 5 === 0) await store.delete('Thing', '', name);
      else await store.update({ ...cur, spec: { size: i } });
    }
    await caughtUp(inf, store);
    const want = new Map((await store.list<Thing>('Thing')).items.map((o) => [o.metadata.name, o.spec?.size ?? 0]));
    expect(sizes).toEqual(want);
    expect(new Map(inf.list().map((o) => [o.metadata.name, o.spec?.size ?? 0]))).toEqual(want);
  });

  it('recovers by relisting when the history it needs has been compacted, with handlers for what it missed', async () => {
    const store = await open(2);
    await store.create(thing('kept'));
    await store.create(thing('changed'));
    await store.create(thing('deleted'));
    // Hold the informer's first watch back until the writes below have been compacted away,
    // so the store answers it with GoneError (as it does for a watcher that fell behind).
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const watchErrors: unknown[] = [];
    let watches = 0;
    const gated: Store = Object.assign(Object.create(store) as Store, {
      async watch(opts: WatchOptions, handlers: WatchHandlers) {
        if (watches++ === 0) await gate;
        try {
          return await store.watch(opts, handlers);
        } catch (e) {
          watchErrors.push(e);
          throw e;
        }
      },
    });
    const errors: Error[] = [];
    const inf = informer(gated, (e) => errors.push(e));
    const log = recorder(inf);
    const started = inf.start();
    await vi.waitFor(() => expect(watches).toBe(1));
    expect([...log].sort()).toEqual(['add changed 1', 'add deleted 1', 'add kept 1']);
    const c = await store.get<Thing>('Thing', '', 'changed');
    await store.update({ ...c, spec: { size: 2 } });
    await store.delete('Thing', '', 'deleted');
    await store.create(thing('new'));
    for (let i = 0; i < 10; i++) await store.create(thing(`filler${i}`));
    release();
    await started;
    await vi.waitFor(() => expect(inf.get('filler9')).toBeDefined());
    expect(watchErrors).toHaveLength(1);
    expect(watchErrors[0]).toBeInstanceOf(GoneError);
    expect(errors).toEqual([]); // Gone is routine: relist quietly
    expect(log.slice(3)).toEqual(expect.arrayContaining(['update changed 1->2', 'delete deleted', 'add new 1']));
    expect(inf.get('deleted')).toBeUndefined();
    expect(inf.get('changed')?.spec?.size).toBe(2);
    // And it watches again from the relist: later writes arrive.
    await store.create(thing('after'));
    await caughtUp(inf, store);
    expect(inf.get('after')).toBeDefined();
    expect(inf.size()).toBe((await store.list('Thing')).items.length);
  });

  it('stop() ends the watch: later writes are not applied', async () => {
    const store = await open();
    const inf = informer(store);
    const log = recorder(inf);
    await inf.start();
    inf.stop();
    await store.create(thing('late'));
    await flushMicrotasks();
    expect(log).toEqual([]);
    expect(inf.get('late')).toBeUndefined();
  });
});
