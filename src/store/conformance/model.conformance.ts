/**
 * Conformance, property-based: random create/update/delete sequences leave the store in the same
 * state as a plain in-memory model, and every acknowledged write is immediately readable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../api/index.js';
import type { Store } from '../store.js';
import { useStore, vm, type StoreFactory, type Vm } from './helpers.conformance.js';

type Precondition = 'current' | 'stale' | 'none';
type Cmd =
  | { readonly op: 'create'; readonly name: string; readonly cpu: number; readonly tier?: string }
  | { readonly op: 'update'; readonly name: string; readonly cpu: number; readonly tier?: string; readonly pre: Precondition }
  | { readonly op: 'delete'; readonly name: string; readonly pre: Precondition };

interface ModelEntry {
  readonly cpu: number;
  readonly tier?: string;
  readonly rv: string;
}

const name = fc.constantFrom('a', 'b', 'c', 'd');
const tier = fc.option(fc.constantFrom('x', 'y'), { nil: undefined });
const pre = fc.constantFrom<Precondition>('current', 'stale', 'none');
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name, cpu: fc.integer({ min: 1, max: 3 }), tier }),
  fc.record({ op: fc.constant('update' as const), name, cpu: fc.integer({ min: 1, max: 3 }), tier, pre }),
  fc.record({ op: fc.constant('delete' as const), name, pre }),
);

function labelsOf(t: string | undefined): Record<string, string> | undefined {
  return t === undefined ? undefined : { tier: t };
}

function rvFor(p: Precondition, m: ModelEntry | undefined): string | undefined {
  if (p === 'none' || m === undefined) return undefined;
  return p === 'current' ? m.rv : String(Number(m.rv) - 1);
}

/** Applies one command to store and model; asserts the store did what the model predicts. */
async function step(s: Store, ns: string, model: Map<string, ModelEntry>, c: Cmd): Promise<void> {
  const m = model.get(c.name);
  if (c.op === 'create') {
    const p = s.create<Vm>(vm(c.name, ns, labelsOf(c.tier), { cpu: c.cpu }));
    if (m) return void (await expect(p).rejects.toBeInstanceOf(AlreadyExistsError));
    const got = await p;
    model.set(c.name, { cpu: c.cpu, tier: c.tier, rv: got.metadata.resourceVersion ?? '' });
  } else if (c.op === 'update') {
    const rv = rvFor(c.pre, m);
    const base = vm(c.name, ns, labelsOf(c.tier), { cpu: c.cpu });
    const p = s.update<Vm>({ ...base, metadata: { ...base.metadata, ...(rv === undefined ? {} : { resourceVersion: rv }) } });
    if (!m) return void (await expect(p).rejects.toBeInstanceOf(NotFoundError));
    if (c.pre === 'stale') return void (await expect(p).rejects.toBeInstanceOf(ConflictError));
    const got = await p;
    const changed = m.cpu !== c.cpu || m.tier !== c.tier;
    expect(got.metadata.resourceVersion === m.rv).toBe(!changed);
    model.set(c.name, { cpu: c.cpu, tier: c.tier, rv: got.metadata.resourceVersion ?? '' });
  } else {
    const rv = rvFor(c.pre, m);
    const p = s.delete('VirtualMachine', ns, c.name, rv === undefined ? undefined : { resourceVersion: rv });
    if (!m) return void (await expect(p).rejects.toBeInstanceOf(NotFoundError));
    if (c.pre === 'stale') return void (await expect(p).rejects.toBeInstanceOf(ConflictError));
    await p;
    model.delete(c.name);
  }
  // Every acknowledged write is readable at once.
  const now = model.get(c.name);
  const stored = await s.tryGet<Vm>('VirtualMachine', ns, c.name);
  expect(stored?.metadata.resourceVersion).toBe(now?.rv);
}

export function modelConformance(factory: StoreFactory): void {
  describe('model', () => {
    const store = useStore(factory);

    it('ends every random create/update/delete sequence in the model state', async () => {
      const s = store();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(cmd, { maxLength: 25 }), async (cmds) => {
          const ns = `run-${run++}`;
          const model = new Map<string, ModelEntry>();
          let lastRevision = await s.revision();
          for (const c of cmds) {
            await step(s, ns, model, c);
            const r = await s.revision();
            expect(r).toBeGreaterThanOrEqual(lastRevision);
            lastRevision = r;
          }
          const listed = await s.list<Vm>('VirtualMachine', { namespace: ns });
          const want = [...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
          expect(listed.items.map((o) => [o.metadata.name, o.spec?.cpu, o.metadata.labels?.tier, o.metadata.resourceVersion])).toEqual(
            want.map(([n, e]) => [n, e.cpu, e.tier, e.rv]),
          );
        }),
        { numRuns: 40 },
      );
    });
  });
}
