/** Power-on admission with expandable reservations: the vSphere guide's RP-MOM / RP-KID examples and invariants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../api/index.js';
import { pool, tree, zones, ZONE } from './fixtures.test-util.js';
import { reservedOf, rootPoolName, type PoolTree } from './pool-tree.js';
import { admitReservation, admitReservations, availableReservation, releaseReservation, unreservedOf } from './reservations.js';

const GHZ = 1000;
const ROOT = rootPoolName(ZONE);

/** RP-MOM reserves 6 GHz (not expandable, so the zone cannot bail it out); RP-KID 2 GHz, expandable. */
function momAndKid(): PoolTree {
  return tree(
    [pool('rp-mom', { cpuRes: 6 * GHZ, cpuExpandable: false }), pool('rp-kid', { parent: 'rp-mom', cpuRes: 2 * GHZ, cpuExpandable: true })],
    zones([ZONE, { cpuMHz: 20 * GHZ, memoryMiB: 64 * 1024 }]),
  );
}

function admit(t: PoolTree, p: string, mhz: number): PoolTree {
  const r = admitReservation(t, p, { cpuMHz: mhz, memoryMiB: 0 });
  if (!r.ok) throw new Error(r.refusal.message);
  return r.tree;
}

describe('admitReservation', () => {
  it('example 1: VM-K2 borrows from RP-MOM when RP-KID is used up', () => {
    let t = admit(momAndKid(), 'rp-mom', 1 * GHZ); // VM-M1
    t = admit(t, 'rp-kid', 2 * GHZ); // VM-K1 from RP-KID's own 2 GHz
    const k2 = admitReservation(t, 'rp-kid', { cpuMHz: 2 * GHZ, memoryMiB: 0 });
    expect(k2.ok).toBe(true);
    if (!k2.ok) return;
    // RP-MOM: 1 (M1) + 2 (RP-KID) + 2 (borrowed for K2) = 5 of 6 GHz.
    expect(reservedOf(k2.tree, 'rp-mom', 'cpu')).toBe(5 * GHZ);
    expect(reservedOf(k2.tree, 'rp-kid', 'cpu')).toBe(4 * GHZ);
    expect(unreservedOf(k2.tree, 'rp-mom', 'cpu')).toBe(1 * GHZ);
  });

  it('example 2: VM-K2 is refused when RP-MOM has only 1 GHz unreserved', () => {
    let t = admit(momAndKid(), 'rp-mom', 3 * GHZ); // VM-M1 + VM-M2
    t = admit(t, 'rp-kid', 2 * GHZ); // VM-K1
    const k2 = admitReservation(t, 'rp-kid', { cpuMHz: 2 * GHZ, memoryMiB: 0 });
    expect(k2.ok).toBe(false);
    if (k2.ok) return;
    expect(k2.refusal).toMatchObject({ resource: 'cpu', unit: 'MHz', pool: 'rp-kid', requested: 2000, available: 1000, exhaustedAt: 'rp-mom', reason: 'Reservation' });
    expect(k2.refusal.message).toMatch(/2000 MHz does not fit in "rp-kid": 1000 MHz available/);
    expect(k2.tree).toBe(t);
  });

  it('admits both resources or neither', () => {
    const t = tree([pool('p', { memRes: 1024, memExpandable: false })], zones([ZONE, { cpuMHz: 10_000, memoryMiB: 4096 }]));
    const r = admitReservation(t, 'p', { cpuMHz: 500, memoryMiB: 2048 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.resource).toBe('memory');
    expect(r.refusal.unit).toBe('MiB');
    expect(reservedOf(r.tree, 'p', 'cpu')).toBe(0);
  });

  it('stops an expandable pool at its limit', () => {
    const t = tree([pool('p', { cpuRes: 1000, cpuLimit: 1500 })], zones([ZONE, { cpuMHz: 10_000, memoryMiB: 1024 }]));
    const r = admitReservation(t, 'p', { cpuMHz: 2000, memoryMiB: 0 });
    expect(!r.ok && r.refusal).toMatchObject({ reason: 'Limit', exhaustedAt: 'p', available: 1500 });
  });

  it('refuses at the zone root when the zone is fully reserved', () => {
    const t = tree([], zones([ZONE, { cpuMHz: 4000, memoryMiB: 1024 }]));
    const r = admitReservation(admit(t, ROOT, 3000), ROOT, { cpuMHz: 2000, memoryMiB: 0 });
    expect(!r.ok && r.refusal).toMatchObject({ reason: 'Reservation', exhaustedAt: ROOT, available: 1000 });
    expect(!r.ok && r.refusal.message).toMatch(/zone "z1" has 4000 MHz in all/);
  });

  it('rejects bad amounts and unknown pools as errors', () => {
    const t = momAndKid();
    expect(() => admitReservation(t, 'rp-kid', { cpuMHz: -1, memoryMiB: 0 })).toThrow(ValidationError);
    expect(() => admitReservation(t, 'nope', { cpuMHz: 1, memoryMiB: 0 })).toThrow(NotFoundError);
    expect(() => admitReservation(t, 'nope', { cpuMHz: 0, memoryMiB: 0 })).toThrow(NotFoundError);
  });
});

describe('releaseReservation', () => {
  it('returns what was borrowed to the ancestors', () => {
    let t = admit(momAndKid(), 'rp-kid', 2 * GHZ);
    t = admit(t, 'rp-kid', 2 * GHZ);
    expect(reservedOf(t, 'rp-mom', 'cpu')).toBe(4 * GHZ);
    t = releaseReservation(t, 'rp-kid', { cpuMHz: 2 * GHZ, memoryMiB: 0 });
    expect(reservedOf(t, 'rp-kid', 'cpu')).toBe(2 * GHZ);
    expect(reservedOf(t, 'rp-mom', 'cpu')).toBe(2 * GHZ);
  });
});

describe('admitReservations', () => {
  it('admits in order, reports refusals by index and leaves no trace of them', () => {
    const t = tree([pool('p', { cpuRes: 2000, memRes: 100, cpuExpandable: false, memExpandable: false })], zones([ZONE, { cpuMHz: 10_000, memoryMiB: 10_000 }]));
    const r = admitReservations(t, [
      { pool: 'p', cpuMHz: 1500, memoryMiB: 50 },
      { pool: 'p', cpuMHz: 400, memoryMiB: 80 }, // memory refused: its CPU must not stay reserved
      { pool: 'p', cpuMHz: 500, memoryMiB: 10 },
    ]);
    expect(r.refused.map((x) => [x.index, x.refusal.resource])).toEqual([[1, 'memory']]);
    expect(reservedOf(r.tree, 'p', 'cpu')).toBe(2000);
    expect(reservedOf(r.tree, 'p', 'memory')).toBe(60);
  });
});

describe('reservation invariants', () => {
  const ops = fc.array(fc.record({ pool: fc.constantFrom('a', 'b', 'c', 'd', ROOT), mhz: fc.integer({ min: 0, max: 4000 }), release: fc.boolean() }), { maxLength: 40 });
  const shape = fc.record({ aExp: fc.boolean(), bExp: fc.boolean(), cExp: fc.boolean(), aLimit: fc.option(fc.integer({ min: 3000, max: 12_000 })) });

  it('never reserves more than the zone has, agrees with availableReservation, and release undoes admit', () => {
    fc.assert(
      fc.property(shape, ops, (s, list) => {
        const base = tree(
          [
            pool('a', { cpuRes: 3000, cpuExpandable: s.aExp, ...(s.aLimit !== null ? { cpuLimit: s.aLimit } : {}) }),
            pool('b', { parent: 'a', cpuRes: 1000, cpuExpandable: s.bExp }),
            pool('c', { parent: 'b', cpuExpandable: s.cExp }),
            pool('d', { cpuRes: 2000 }),
          ],
          zones([ZONE, { cpuMHz: 10_000, memoryMiB: 1 }]),
        );
        let t = base;
        const held: { pool: string; mhz: number }[] = [];
        for (const op of list) {
          if (op.release && held.length > 0) {
            const h = held.pop() as { pool: string; mhz: number };
            t = releaseReservation(t, h.pool, { cpuMHz: h.mhz, memoryMiB: 0 });
            continue;
          }
          const avail = availableReservation(t, op.pool, 'cpu');
          const r = admitReservation(t, op.pool, { cpuMHz: op.mhz, memoryMiB: 0 });
          expect(r.ok).toBe(op.mhz <= avail + 1e-6);
          if (r.ok) {
            t = r.tree;
            held.push({ pool: op.pool, mhz: op.mhz });
          }
          expect(reservedOf(t, ROOT, 'cpu')).toBeLessThanOrEqual(10_000 + 1e-6);
          if (s.aLimit !== null) expect(Math.max(3000, reservedOf(t, 'a', 'cpu'))).toBeLessThanOrEqual(s.aLimit + 1e-6);
        }
        while (held.length > 0) {
          const h = held.pop() as { pool: string; mhz: number };
          t = releaseReservation(t, h.pool, { cpuMHz: h.mhz, memoryMiB: 0 });
        }
        for (const name of ['a', 'b', 'c', 'd', ROOT]) expect(reservedOf(t, name, 'cpu')).toBeCloseTo(reservedOf(base, name, 'cpu'), 6);
      }),
    );
  });
});
