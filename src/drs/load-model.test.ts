/** LoadModel's O(1) move evaluation agrees with moving and with recomputing from scratch. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadModel } from './load-model.js';

describe('LoadModel', () => {
  // Running sums of squares lose precision as σ → 0 (σ = √(Σx²/n − mean²)); with loads of a
  // few host capacities the error stays far below any target imbalance.
  it('predicts the imbalance of a move as making it does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cap: fc.integer({ min: 25_000, max: 100_000 }), mem: fc.integer({ min: 25_000, max: 100_000 }), c: fc.nat(3_000), m: fc.nat(3_000), counted: fc.boolean() }), {
          minLength: 2,
          maxLength: 8,
        }),
        fc.nat(),
        fc.nat(),
        fc.nat(1_000),
        fc.nat(1_000),
        (hosts, a, b, cPerMille, mPerMille) => {
          const from = a % hosts.length;
          const to = b % hosts.length;
          fc.pre(from !== to);
          const c = ((hosts[from]?.cap ?? 0) * cPerMille) / 1_000;
          const m = ((hosts[from]?.mem ?? 0) * mPerMille) / 1_000;
          const model = new LoadModel(
            Float64Array.from(hosts, (h) => h.cap),
            Float64Array.from(hosts, (h) => h.mem),
            Uint8Array.from(hosts, (h) => (h.counted ? 1 : 0)),
            0.7,
            0.3,
          );
          // Loads of up to 3 host capacities (c and m are per mille of the capacity).
          hosts.forEach((h, i) => model.add(i, (h.c * h.cap) / 1_000, (h.m * h.mem) / 1_000));
          model.resum();
          model.prepareFrom(c, m, from);
          const predicted = model.imbalanceTo(c, m, to);
          model.move(c, m, from, to);
          expect(Math.abs(predicted - model.imbalance())).toBeLessThan(1e-6);
          model.resum();
          expect(Math.abs(predicted - model.imbalance())).toBeLessThan(1e-6);
        },
      ),
    );
  });
});
