// The audit hash chain: an untouched chain verifies; any edit, drop, swap or relink is caught at
// the first entry that no longer holds, and a suffix verifies against the entry before it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, chainEntry, verifyChain } from './audit-chain.js';
import type { AuditEntry, AuditRecord } from './store.js';

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    user: `user-${i % 3}`,
    verb: i % 2 ? 'create' : 'delete',
    resource: 'virtualmachines',
    name: `vm-${i}`,
    tenant: i % 2 ? 'acme' : undefined,
    decision: i % 5 === 4 ? 'deny' : 'allow',
    code: i % 5 === 4 ? 403 : 201,
    ...extra,
  };
}

function buildChain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) out.push(chainEntry(out[i - 1], record(i)));
  return out;
}

/** Every field of an entry, and a different value of the same type for it. */
const MUTATIONS: Record<keyof AuditEntry, (e: AuditEntry) => AuditEntry> = {
  time: (e) => ({ ...e, time: new Date(Date.parse(e.time) + 1).toISOString() }),
  user: (e) => ({ ...e, user: `${e.user}x` }),
  verb: (e) => ({ ...e, verb: e.verb === 'create' ? 'update' : 'create' }),
  resource: (e) => ({ ...e, resource: 'hosts' }),
  namespace: (e) => ({ ...e, namespace: `${e.namespace ?? ''}ns` }),
  name: (e) => ({ ...e, name: `${e.name ?? ''}y` }),
  tenant: (e) => ({ ...e, tenant: e.tenant === 'beta' ? 'acme' : 'beta' }),
  decision: (e) => ({ ...e, decision: e.decision === 'allow' ? 'deny' : 'allow' }),
  code: (e) => ({ ...e, code: e.code + 1 }),
  reason: (e) => ({ ...e, reason: `${e.reason ?? ''}r` }),
  sourceIp: (e) => ({ ...e, sourceIp: '10.0.0.66' }),
  requestId: (e) => ({ ...e, requestId: `${e.requestId ?? ''}q` }),
  seq: (e) => ({ ...e, seq: e.seq + 1000 }),
  prevHash: (e) => ({ ...e, prevHash: e.prevHash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
  hash: (e) => ({ ...e, hash: e.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
};
const FIELDS = Object.keys(MUTATIONS) as (keyof AuditEntry)[];

describe('chainEntry', () => {
  it('numbers entries from 1 and links each to the previous hash', () => {
    const chain = buildChain(3);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(chain[2]?.prevHash).toBe(chain[1]?.hash);
    for (const e of chain) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(3);
  });

  it('hashes the same record the same way whatever the key order', () => {
    const a = record(1);
    const b = Object.fromEntries(Object.entries(a).reverse()) as unknown as AuditRecord;
    expect(chainEntry(undefined, b).hash).toBe(chainEntry(undefined, a).hash);
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});

describe('verifyChain', () => {
  it('an untouched chain verifies, whatever its length', () => {
    for (const n of [0, 1, 2, 50]) expect(verifyChain(buildChain(n))).toEqual({ ok: true, checked: n });
  });

  it('verifies a suffix given the entry before it, and refuses it with a wrong one', () => {
    const chain = buildChain(10);
    expect(verifyChain(chain.slice(4), chain[3])).toEqual({ ok: true, checked: 6 });
    const wrongPrev = verifyChain(chain.slice(4), chain[2]);
    expect(wrongPrev).toMatchObject({ ok: false, checked: 0, firstBadSeq: 5 });
    const forged = verifyChain(chain.slice(4), { seq: 4, hash: GENESIS_HASH });
    expect(forged).toMatchObject({ ok: false, checked: 0, firstBadSeq: 5, problem: expect.stringMatching(/prevHash/) });
    // The right hash under the wrong seq is not the entry before either.
    const misnumbered = verifyChain(chain.slice(4), { seq: 7, hash: (chain[3] as AuditEntry).hash });
    expect(misnumbered).toEqual({ ok: false, checked: 0, firstBadSeq: 5, problem: 'expected seq 8, found 5' });
    // Without `prev`, a suffix is not a chain from the start.
    expect(verifyChain(chain.slice(4))).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('catches a re-hashed entry whose successor still points at the old hash', () => {
    const chain = buildChain(5);
    const e = chain[2] as AuditEntry;
    // An attacker edits entry 3 and recomputes its own hash, but cannot fix entry 4's link.
    const rehashed = chainEntry(chain[1], { ...e, user: 'someone-else' });
    const tampered = [...chain.slice(0, 2), rehashed, ...chain.slice(3)];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4 });
  });

  it('property: modifying any field of any entry is caught at that entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.constantFrom(...FIELDS), (n, pos, field) => {
        const chain = buildChain(n);
        const i = pos % n;
        const tampered = chain.map((e, j) => (j === i ? MUTATIONS[field](e) : e));
        const v = verifyChain(tampered);
        expect(v.ok).toBe(false);
        expect(v.checked).toBe(i);
        // A changed seq is reported as found; everything else at the entry's own seq.
        expect(v.firstBadSeq).toBe(field === 'seq' ? i + 1 + 1000 : i + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('property: dropping any entry but the last is caught where the gap is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), (n, pos) => {
        const chain = buildChain(n);
        const i = pos % (n - 1);
        const v = verifyChain(chain.filter((_, j) => j !== i));
        expect(v).toEqual({ ok: false, checked: i, firstBadSeq: i + 2, problem: `expected seq ${i + 1}, found ${i + 2}` });
      }),
      { numRuns: 300 },
    );
  });

  it('property: dropping an entry and renumbering the rest is still caught at the gap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.nat(), (n, pos) => {
        const chain = buildChain(n);
        const i = pos % (n - 1);
        const renumbered = chain.filter((_, j) => j !== i).map((e, j) => (j >= i ? { ...e, seq: j + 1 } : e));
        const v = verifyChain(renumbered);
        expect(v).toMatchObject({ ok: false, checked: i, firstBadSeq: i + 1 });
      }),
      { numRuns: 300 },
    );
  });

  it('property: swapping two entries is caught at the first swapped position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: 2 }))),
        ([n, [x, y]]) => {
          const [i, j] = [Math.min(x as number, y as number), Math.max(x as number, y as number)];
          const chain = buildChain(n);
          const swapped = [...chain];
          swapped[i] = chain[j] as AuditEntry;
          swapped[j] = chain[i] as AuditEntry;
          expect(verifyChain(swapped)).toMatchObject({ ok: false, checked: i, firstBadSeq: j + 1 });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: relinking any entry to a different prevHash is caught at that entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.stringMatching(/^[0-9a-f]{64}$/), (n, pos, other) => {
        const chain = buildChain(n);
        const i = pos % n;
        fc.pre(other !== chain[i]?.prevHash);
        const tampered = chain.map((e, j) => (j === i ? { ...e, prevHash: other } : e));
        expect(verifyChain(tampered)).toMatchObject({ ok: false, checked: i, firstBadSeq: i + 1 });
      }),
      { numRuns: 300 },
    );
  });
});
