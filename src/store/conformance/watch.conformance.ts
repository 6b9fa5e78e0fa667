/** Conformance: watch replays history from a revision, then follows live changes, in order, once. */
import { describe, expect, it } from 'vitest';
import { GoneError } from '../../api/index.js';
import { host, record, summary, until, useStore, vm, type StoreFactory } from './helpers.conformance.js';

export function watchConformance(factory: StoreFactory): void {
  describe('watch', () => {
    const store = useStore(factory);

    it('replays from a revision, then goes live: ADDED, MODIFIED, DELETED in order', async () => {
      const s = store();
      const a = await s.create(vm('a'));
      const from = await s.revision();
      const b = await s.create(vm('b'));
      const a2 = await s.update({ ...a, spec: { cpu: 2 } });
      const r = await record(s, { fromRevision: from });
      await until(() => r.events.length === 2, 'replay');
      const d = await s.delete('VirtualMachine', 'team-a', 'b');
      await until(() => r.events.length === 3, 'live delete');
      const rb = Number(b.metadata.resourceVersion);
      expect(summary(r.events)).toEqual([
        ['ADDED', 'b', rb],
        ['MODIFIED', 'a', rb + 1],
        ['DELETED', 'b', rb + 2],
      ]);
      expect(r.events[1]?.object).toEqual(a2);
      expect(r.events[2]?.object.metadata.resourceVersion).toBe(String(rb + 2));
      expect(d.metadata.resourceVersion).toBe(String(rb + 2));
      r.watch.close();
    });

    it('filters by kind and namespace', async () => {
      const s = store();
      const byKind = await record(s, { fromRevision: 0, kind: 'Host' });
      const byNs = await record(s, { fromRevision: 0, kind: 'VirtualMachine', namespace: 'team-b' });
      const all = await record(s, { fromRevision: 0 });
      await s.create(vm('a', 'team-a'));
      await s.create(host('h'));
      await s.create(vm('b', 'team-b'));
      await until(() => all.events.length === 3, 'all events');
      await s.create(host('z')); // marker: everything before it has been delivered
      await until(() => byKind.events.length === 2, 'host events');
      expect(byKind.events.map((e) => e.object.metadata.name)).toEqual(['h', 'z']);
      expect(byNs.events.map((e) => e.object.metadata.name)).toEqual(['b']);
    });

    it('joins replay and live with no gap or duplicate while writes race the watch start', async () => {
      const s = store();
      for (let i = 0; i < 30; i++) await s.create(vm(`pre-${i}`));
      const writes = (async () => {
        for (let i = 0; i < 60; i++) await s.create(vm(`during-${i}`));
      })();
      const watches = await Promise.all([0, 10, 25].map((from) => record(s, { fromRevision: from })));
      await writes;
      const last = await s.revision();
      for (const [i, from] of [0, 10, 25].entries()) {
        const w = watches[i];
        if (!w) throw new Error('missing watch');
        await until(() => w.events.at(-1)?.revision === last, `watch from ${from}`);
        expect(w.events.map((e) => e.revision)).toEqual(Array.from({ length: last - from }, (_, k) => from + k + 1));
      }
    });

    it('stops delivering after close', async () => {
      const s = store();
      const r = await record(s, { fromRevision: await s.revision() });
      await s.create(vm('a'));
      await until(() => r.events.length === 1, 'first event');
      r.watch.close();
      await s.create(vm('b'));
      const marker = await record(s, { fromRevision: (await s.revision()) - 1 });
      await until(() => marker.events.length === 1, 'marker');
      expect(r.events).toHaveLength(1);
    });

    it('tells watchers when the store closes', async () => {
      const s = await factory();
      const r = await record(s, { fromRevision: 0 });
      await s.close();
      await until(() => r.errors.length === 1, 'onError');
    });
  });

  describe('watch history compaction', () => {
    const store = useStore(factory, { historyLimit: 5 });

    it('throws GoneError for a revision older than the kept history', async () => {
      const s = store();
      for (let i = 0; i < 20; i++) await s.create(host(`h${i}`));
      await expect(s.watch({ fromRevision: 1 }, { onEvent: () => undefined })).rejects.toBeInstanceOf(GoneError);
      const recent = await record(s, { fromRevision: 15 });
      await until(() => recent.events.length === 5, 'recent history');
      expect(recent.events.map((e) => e.revision)).toEqual([16, 17, 18, 19, 20]);
    });
  });
}
