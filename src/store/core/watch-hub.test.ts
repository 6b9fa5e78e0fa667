// WatchHub: replay and buffered live events join with no gap and no duplicate; filters; failures.
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../store.js';
import type { StoredEvent } from './engine.js';
import { WatchHub } from './watch-hub.js';

function ev(revision: number, kind = 'Host', namespace = ''): StoredEvent {
  return { revision, type: 'ADDED', kind, namespace, name: `o${revision}`, json: JSON.stringify({ apiVersion: 'v1', kind, metadata: { name: `o${revision}`, namespace } }) };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('WatchHub', () => {
  it('delivers replayed then buffered live events once each, in order', async () => {
    const hub = new WatchHub();
    const got: number[] = [];
    const w = hub.add({ fromRevision: 2 }, { onEvent: (e) => got.push(e.revision) });
    hub.publish([ev(4), ev(5)]); // committed while the replay is reading
    for (const r of [3, 4]) w.replay(ev(r));
    w.goLive();
    hub.publish([ev(5), ev(6)]); // 5 again: e.g. the notifier and the replay both saw it
    await flush();
    expect(got).toEqual([3, 4, 5, 6]);
  });

  it('filters by kind and namespace, and gives each watcher its own copy', async () => {
    const hub = new WatchHub();
    const a: WatchEvent[] = [];
    const b: WatchEvent[] = [];
    hub.add({ fromRevision: 0, kind: 'Vm', namespace: 'x' }, { onEvent: (e) => a.push(e) }).goLive();
    hub.add({ fromRevision: 0, kind: 'Vm' }, { onEvent: (e) => b.push(e) }).goLive();
    hub.publish([ev(1, 'Vm', 'x'), ev(2, 'Vm', 'y'), ev(3, 'Host')]);
    await flush();
    expect(a.map((e) => e.revision)).toEqual([1]);
    expect(b.map((e) => e.revision)).toEqual([1, 2]);
    expect(a[0]?.object).not.toBe(b[0]?.object);
  });

  it('ends a watch whose handler throws, reporting the error, and drops closed watchers', async () => {
    const hub = new WatchHub();
    const errors: Error[] = [];
    hub.add({ fromRevision: 0 }, { onEvent: () => { throw new Error('boom'); }, onError: (e) => errors.push(e) }).goLive();
    hub.publish([ev(1), ev(2)]);
    await flush();
    expect(errors.map((e) => e.message)).toEqual(['boom']);
    expect(hub.size).toBe(0);
  });
});
