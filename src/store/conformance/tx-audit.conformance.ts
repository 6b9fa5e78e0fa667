/** Conformance: transactions (atomic, isolated, events after commit), write races, the audit chain. */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../api/index.js';
import { verifyChain } from '../audit-chain.js';
import type { AuditRecord } from '../store.js';
import { host, record, summary, until, useStore, vm, type StoreFactory } from './helpers.conformance.js';

function audit(i: number): AuditRecord {
  return { time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(), user: `u${i % 3}`, verb: 'create', resource: 'virtualmachines', namespace: 'team-a', name: `vm-${i}`, decision: i % 4 === 0 ? 'deny' : 'allow', code: i % 4 === 0 ? 403 : 201 };
}

export function txAuditConformance(factory: StoreFactory): void {
  describe('transactions', () => {
    const store = useStore(factory);

    it('commits writes to several objects together, with consecutive revisions, events after commit', async () => {
      const s = store();
      const node = await s.create(host('node-1'));
      const r = await record(s, { fromRevision: await s.revision() });
      const out = await s.transaction(async (tx) => {
        const pod = await tx.create(vm('pod'));
        const n = await tx.get('Host', '', 'node-1');
        await tx.update({ ...n, spec: { cores: 6 } });
        expect((await tx.get('VirtualMachine', 'team-a', 'pod')).metadata.uid).toBe(pod.metadata.uid); // reads see own writes
        expect((await tx.list('VirtualMachine')).items).toHaveLength(1);
        return pod.metadata.name;
      });
      expect(out).toBe('pod');
      await until(() => r.events.length === 2, 'tx events');
      const base = Number(node.metadata.resourceVersion);
      expect(summary(r.events)).toEqual([
        ['ADDED', 'pod', base + 1],
        ['MODIFIED', 'node-1', base + 2],
      ]);
    });

    it('rolls back every write when the function throws, and emits nothing', async () => {
      const s = store();
      await s.create(host('node-1'));
      const rev = await s.revision();
      const r = await record(s, { fromRevision: rev });
      await expect(
        s.transaction(async (tx) => {
          await tx.create(vm('pod'));
          await tx.update({ ...(await tx.get('Host', '', 'node-1')), spec: { cores: 1 } });
          throw new Error('bind failed');
        }),
      ).rejects.toThrow('bind failed');
      expect(await s.revision()).toBe(rev);
      expect(await s.tryGet('VirtualMachine', 'team-a', 'pod')).toBeUndefined();
      expect((await s.get('Host', '', 'node-1')).spec).toEqual({ cores: 8 });
      await s.create(vm('after'));
      await until(() => r.events.length >= 1, 'next event');
      expect(summary(r.events)).toEqual([['ADDED', 'after', rev + 1]]);
    });

    it('isolates uncommitted writes from readers outside the transaction', async () => {
      const s = store();
      let release = (): void => undefined;
      const gate = new Promise<void>((res) => (release = res));
      let written!: () => void;
      const inside = new Promise<void>((res) => (written = res));
      const tx = s.transaction(async (t) => {
        await t.create(vm('pending'));
        written();
        await gate;
      });
      await inside;
      expect(await s.tryGet('VirtualMachine', 'team-a', 'pending')).toBeUndefined();
      expect((await s.list('VirtualMachine')).items).toHaveLength(0);
      release();
      await tx;
      expect(await s.tryGet('VirtualMachine', 'team-a', 'pending')).toBeDefined();
    });

    it('lets exactly one of many concurrent updates with the same resourceVersion win', async () => {
      const s = store();
      const v1 = await s.create(vm('web'));
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.update({ ...v1, spec: { cpu: i + 2 } })));
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
      const stored = await s.get('VirtualMachine', 'team-a', 'web');
      expect(stored).toEqual(won[0]?.status === 'fulfilled' ? won[0].value : undefined);
      const inTx = await Promise.allSettled(
        [3, 4].map((cpu) => s.transaction(async (tx) => tx.update({ ...stored, spec: { cpu: cpu * 10 } }))),
      );
      expect(inTx.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('does not let a failed write in a group commit affect the others', async () => {
      const s = store();
      await s.create(vm('taken'));
      const results = await Promise.allSettled([s.create(vm('one')), s.create(vm('taken')), s.delete('VirtualMachine', 'team-a', 'missing'), s.create(vm('two'))]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect(results[2]?.status === 'rejected' && results[2].reason).toBeInstanceOf(NotFoundError);
      expect((await s.list('VirtualMachine')).items.map((o) => o.metadata.name)).toEqual(['one', 'taken', 'two']);
    });
  });

  describe('audit chain', () => {
    const store = useStore(factory);

    it('appends with seq 1..n, reads in pages, and verifies', async () => {
      const s = store();
      const appended = [];
      for (let i = 1; i <= 5; i++) appended.push(await s.appendAudit(audit(i)));
      appended.push(...(await Promise.all(Array.from({ length: 15 }, (_, i) => s.appendAudit(audit(i + 6))))));
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const page1 = await s.readAudit(0, 8);
      const page2 = await s.readAudit(8, 100);
      expect(page1.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(page2).toHaveLength(12);
      expect(verifyChain([...page1, ...page2])).toEqual({ ok: true, checked: 20 });
      expect(verifyChain(page2, page1.at(-1)).ok).toBe(true);
      expect(page1[1]).toEqual(appended.find((e) => e.seq === 2));
      const tampered = page1.map((e) => (e.seq === 3 ? { ...e, user: 'mallory' } : e));
      expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3 });
    });
  });
}
