/** Conformance: create/get/list/update/delete, selectors, paging, concurrency and object rules. */
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, NotFoundError, ValidationError, type Resource } from '../../api/index.js';
import type { ListResult } from '../store.js';
import { host, useStore, vm, type StoreFactory, type Vm } from './helpers.conformance.js';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

export function crudConformance(factory: StoreFactory): void {
  describe('objects', () => {
    let clock = T0;
    const store = useStore(factory, { now: () => clock });

    it('create fills uid, resourceVersion, generation and creationTimestamp, keeps status', async () => {
      const s = store();
      const before = await s.revision();
      const created = await s.create<Vm>({ ...vm('web'), status: { phase: 'Pending' } });
      expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.metadata.resourceVersion).toBe(String(before + 1));
      expect(created.metadata.generation).toBe(1);
      expect(created.metadata.creationTimestamp).toBe(new Date(T0).toISOString());
      expect(created.status).toEqual({ phase: 'Pending' });
      expect(await s.revision()).toBe(before + 1);
      expect(await s.get('VirtualMachine', 'team-a', 'web')).toEqual(created);
    });

    it('hands out copies that callers may not use to change the store', async () => {
      const s = store();
      const created = await s.create<Resource>(host('h1', { zone: 'a' }));
      (created.metadata.labels as Record<string, string>).zone = 'mutated';
      const got = await s.get<Resource>('Host', '', 'h1');
      (got.metadata.labels as Record<string, string>).zone = 'mutated-too';
      expect((await s.get<Resource>('Host', '', 'h1')).metadata.labels).toEqual({ zone: 'a' });
    });

    it('reports AlreadyExists and NotFound with typed errors', async () => {
      const s = store();
      await s.create(vm('web'));
      await expect(s.create(vm('web'))).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(s.get('VirtualMachine', 'team-a', 'nope')).rejects.toBeInstanceOf(NotFoundError);
      expect(await s.tryGet('VirtualMachine', 'team-a', 'nope')).toBeUndefined();
      await expect(s.update(vm('nope'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.delete('VirtualMachine', 'team-a', 'nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.create({ ...vm('x'), metadata: { name: '' } })).rejects.toBeInstanceOf(ValidationError);
    });

    it('keys objects by kind, namespace and name', async () => {
      const s = store();
      await s.create(vm('same', 'team-a'));
      await s.create(vm('same', 'team-b'));
      await s.create({ ...host('same') });
      expect((await s.get<Vm>('VirtualMachine', 'team-b', 'same')).metadata.namespace).toBe('team-b');
      expect((await s.get('Host', '', 'same')).kind).toBe('Host');
    });

    it('lists sorted by (namespace, name), per namespace, with the current revision', async () => {
      const s = store();
      for (const [n, ns] of [['b', 'y'], ['a', 'y'], ['c', 'x'], ['a', 'x']] as const) await s.create(vm(n, ns));
      await s.create(host('h'));
      const all = await s.list('VirtualMachine');
      expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['x/a', 'x/c', 'y/a', 'y/b']);
      expect(all.revision).toBe(await s.revision());
      expect(all.continue).toBeUndefined();
      expect((await s.list('VirtualMachine', { namespace: 'y' })).items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
      expect((await s.list('Host')).items).toHaveLength(1);
      expect((await s.list('Nothing')).items).toEqual([]);
    });

    it('filters by label selector, string or parsed', async () => {
      const s = store();
      await s.create(vm('a', 'ns', { app: 'web', tier: 'fe' }));
      await s.create(vm('b', 'ns', { app: 'web', tier: 'db' }));
      await s.create(vm('c', 'ns', { app: 'api' }));
      await s.create(vm('d', 'ns'));
      const cases: [string, string[]][] = [
        ['', ['a', 'b', 'c', 'd']],
        ['app=web', ['a', 'b']],
        ['app==web,tier=db', ['b']],
        ['app!=web', ['c', 'd']],
        ['tier in (fe,db)', ['a', 'b']],
        ['app notin (web)', ['c', 'd']],
        ['tier', ['a', 'b']],
        ['!tier', ['c', 'd']],
        ['app=web,!tier', []],
      ];
      for (const [sel, want] of cases) {
        const got = await s.list('VirtualMachine', { labelSelector: sel });
        expect(got.items.map((o) => o.metadata.name), sel).toEqual(want);
      }
      const parsed = await s.list('VirtualMachine', { labelSelector: [{ key: 'app', op: 'in', values: ['api'] }] });
      expect(parsed.items.map((o) => o.metadata.name)).toEqual(['c']);
      await expect(s.list('VirtualMachine', { labelSelector: 'app in web' })).rejects.toBeInstanceOf(ValidationError);
    });

    it('pages with limit and continue without repeating or skipping items that exist throughout', async () => {
      const s = store();
      const names = Array.from({ length: 23 }, (_, i) => `vm-${String(i).padStart(2, '0')}`);
      for (const n of names) await s.create(vm(n, n < 'vm-12' ? 'a' : 'b', { even: String(Number(n.slice(3)) % 2 === 0) }));
      const seen: string[] = [];
      let cont: string | undefined;
      let firstRevision: number | undefined;
      let page = 0;
      do {
        const r: ListResult = await s.list('VirtualMachine', { limit: 5, ...(cont ? { continue: cont } : {}) });
        firstRevision ??= r.revision;
        expect(r.revision).toBe(firstRevision);
        expect(r.items.length).toBeLessThanOrEqual(5);
        seen.push(...r.items.map((o) => o.metadata.name));
        cont = r.continue;
        // Churn between pages: new objects and deletions of ones not relied upon.
        if (page === 1) {
          await s.create(vm('vm-00a', 'a'));
          await s.create(vm('vm-99', 'b'));
        }
        page++;
      } while (cont);
      for (const n of names) expect(seen.filter((x) => x === n), n).toHaveLength(1);
      expect(new Set(seen).size).toBe(seen.length);

      const evens: string[] = [];
      cont = undefined;
      do {
        const r: ListResult = await s.list('VirtualMachine', { limit: 3, labelSelector: 'even=true', ...(cont ? { continue: cont } : {}) });
        evens.push(...r.items.map((o) => o.metadata.name));
        cont = r.continue;
      } while (cont);
      expect(evens).toEqual(names.filter((n) => Number(n.slice(3)) % 2 === 0));
      await expect(s.list('VirtualMachine', { continue: 'not-a-token' })).rejects.toBeInstanceOf(ValidationError);
    });

    it('rejects a stale resourceVersion on update and delete (optimistic concurrency)', async () => {
      const s = store();
      const v1 = await s.create(vm('web'));
      const v2 = await s.update({ ...v1, spec: { cpu: 2 } });
      const stale = s.update({ ...v1, spec: { cpu: 3 } });
      await expect(stale).rejects.toBeInstanceOf(ConflictError);
      await expect(stale).rejects.toThrow(new RegExp(`web.*${v1.metadata.resourceVersion}.*${v2.metadata.resourceVersion}`));
      await expect(s.delete('VirtualMachine', 'team-a', 'web', { resourceVersion: v1.metadata.resourceVersion ?? '' })).rejects.toBeInstanceOf(ConflictError);
      const { resourceVersion: _rv, ...meta } = v2.metadata;
      const unconditional = await s.update<Vm>({ ...v2, metadata: meta, spec: { cpu: 4 } });
      expect(unconditional.spec).toEqual({ cpu: 4 });
      await s.delete('VirtualMachine', 'team-a', 'web', { resourceVersion: unconditional.metadata.resourceVersion ?? '' });
      expect(await s.tryGet('VirtualMachine', 'team-a', 'web')).toBeUndefined();
    });

    it('bumps generation only when spec changes; resourceVersion on every change', async () => {
      const s = store();
      const v1 = await s.create(vm('web'));
      const labelled = await s.update({ ...v1, metadata: { ...v1.metadata, labels: { a: 'b' } } });
      expect(labelled.metadata.generation).toBe(1);
      expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
      const respec = await s.update({ ...labelled, spec: { cpu: 8 } });
      expect(respec.metadata.generation).toBe(2);
      const status = await s.update({ ...respec, status: { phase: 'Running' } }, { subresource: 'status' });
      expect(status.metadata.generation).toBe(2);
    });

    it('applies the status subresource rules', async () => {
      const s = store();
      const v1 = await s.create<Vm>({ ...vm('web'), status: { phase: 'Pending' } });
      // status: only status is written.
      const st = await s.update<Vm>({ ...v1, spec: { cpu: 99 }, metadata: { ...v1.metadata, labels: { x: 'y' } }, status: { phase: 'Running' } }, { subresource: 'status' });
      expect(st.spec).toEqual({ cpu: 1 });
      expect(st.metadata.labels).toBeUndefined();
      expect(st.status).toEqual({ phase: 'Running' });
      // default: spec and metadata are written, status is kept.
      const main = await s.update<Vm>({ ...st, spec: { cpu: 2 }, status: { phase: 'Failed' } });
      expect(main.spec).toEqual({ cpu: 2 });
      expect(main.status).toEqual({ phase: 'Running' });
      // all: everything is written.
      const all = await s.update<Vm>({ ...main, spec: { cpu: 3 }, status: { phase: 'Stopped' } }, { subresource: 'all' });
      expect([all.spec, all.status, all.metadata.generation]).toEqual([{ cpu: 3 }, { phase: 'Stopped' }, 3]);
    });

    it('keeps uid, creationTimestamp and deletionTimestamp from the stored object', async () => {
      const s = store();
      const v1 = await s.create(vm('web'));
      clock += 60_000;
      const v2 = await s.update({ ...v1, metadata: { ...v1.metadata, uid: 'forged', creationTimestamp: 'then', deletionTimestamp: 'now' }, spec: { cpu: 2 } });
      expect(v2.metadata.uid).toBe(v1.metadata.uid);
      expect(v2.metadata.creationTimestamp).toBe(v1.metadata.creationTimestamp);
      expect(v2.metadata.deletionTimestamp).toBeUndefined();
    });

    it('treats an update that changes nothing as a no-op (no new revision)', async () => {
      const s = store();
      const v1 = await s.create(vm('web', 'team-a', { a: 'b' }));
      const rev = await s.revision();
      const same = await s.update(v1);
      expect(same).toEqual(v1);
      expect(await s.revision()).toBe(rev);
    });

    it('with finalizers, delete marks deletionTimestamp and the last finalizer removal deletes', async () => {
      const s = store();
      const v1 = await s.create({ ...vm('web'), metadata: { ...vm('web').metadata, finalizers: ['bulkhead.dev/vm'] } });
      clock += 1000;
      const marked = await s.delete('VirtualMachine', 'team-a', 'web');
      expect(marked.metadata.deletionTimestamp).toBe(new Date(clock).toISOString());
      expect(Number(marked.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
      expect((await s.get('VirtualMachine', 'team-a', 'web')).metadata.deletionTimestamp).toBeDefined();
      const again = await s.delete('VirtualMachine', 'team-a', 'web');
      expect(again.metadata.resourceVersion).toBe(marked.metadata.resourceVersion);
      const gone = await s.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } });
      expect(gone.metadata.deletionTimestamp).toBeDefined();
      expect(await s.tryGet('VirtualMachine', 'team-a', 'web')).toBeUndefined();
    });

    it('numbers every write with a strictly increasing revision', async () => {
      const s = store();
      const versions: number[] = [];
      const a = await s.create(vm('a'));
      versions.push(Number(a.metadata.resourceVersion));
      const b = await s.create(host('b'));
      versions.push(Number(b.metadata.resourceVersion));
      const a2 = await s.update({ ...a, spec: { cpu: 5 } });
      versions.push(Number(a2.metadata.resourceVersion));
      const d = await s.delete('Host', '', 'b');
      versions.push(Number(d.metadata.resourceVersion));
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBe((versions[i - 1] ?? 0) + 1);
      expect(await s.revision()).toBe(versions.at(-1));
    });
  });
}
