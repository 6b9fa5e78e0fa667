/**
 * Properties of a DRS pass over random zones, rules and a sensitivity-isolation callback: load is
 * conserved, balancing never raises the imbalance, every move is one the callback accepted on the
 * state it was made in, and no move (other than a mandatory fix) takes a rule further from holding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRecommendations } from './apply.js';
import { GiB, host, sensitivityIsolation, vm } from './drs.test-util.js';
import { measureImbalance } from './imbalance.js';
import { PlacementLedger } from './ledger.js';
import { planDrsPass } from './pass.js';
import { RuleBook } from './rule-book.js';
import type { DrsRule } from './rules.js';
import type { DrsHostMode, DrsState, DrsVm } from './types.js';

const RUNS = Number(process.env.BULKHEAD_PROPERTY_RUNS ?? 150);
const LEVELS = ['low', 'high'] as const;

const zoneArb = fc
  .record({
    hosts: fc.array(
      fc.record({
        cpu: fc.constantFrom(20_000, 40_000, 80_000),
        memGiB: fc.constantFrom(128, 256, 512),
        nic: fc.constantFrom(1_000, 10_000, 25_000),
        mode: fc.constantFrom('active', 'active', 'active', 'active', 'cordoned', 'maintenance') as fc.Arbitrary<DrsHostMode>,
      }),
      { minLength: 2, maxLength: 7 },
    ),
    vms: fc.array(
      fc.record({
        host: fc.nat(6),
        cpu: fc.integer({ min: 100, max: 12_000 }),
        memGiB: fc.integer({ min: 1, max: 48 }),
        dirty: fc.constantFrom(5, 50, 200, 800),
        stability: fc.constantFrom(0.2, 0.7, 1),
        level: fc.constantFrom(...LEVELS),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    rules: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('anti' as const), a: fc.nat(39), b: fc.nat(39), must: fc.boolean() }),
        fc.record({ kind: fc.constant('aff' as const), a: fc.nat(39), b: fc.nat(39), must: fc.boolean() }),
        fc.record({ kind: fc.constant('host' as const), a: fc.nat(39), hosts: fc.array(fc.nat(6), { minLength: 1, maxLength: 3 }), mode: fc.constantFrom('mustRunOn', 'shouldRunOn', 'mustNotRunOn', 'shouldNotRunOn') as fc.Arbitrary<'mustRunOn'> }),
      ),
      { maxLength: 4 },
    ),
    threshold: fc.integer({ min: 1, max: 5 }),
    isolate: fc.boolean(),
  })
  .map((z) => {
    const hosts = z.hosts.map((h, i) => host(`h${i}`, { cpuMHz: h.cpu, memoryMiB: h.memGiB * GiB, nicMbps: h.nic, mode: h.mode }));
    // Sensitivity: the level of the first VM placed on a host wins, so the start state is isolated.
    const hostLevel = new Map<string, string>();
    const vms: DrsVm[] = z.vms.map((v, i) => {
      const on = `h${v.host % hosts.length}`;
      const level = hostLevel.get(on) ?? v.level;
      hostLevel.set(on, level);
      return vm(`v${i}`, on, v.cpu, v.memGiB, { dirtyRateMBps: v.dirty, demandStability: v.stability, labels: { sensitivity: level } });
    });
    const names = vms.map((v) => v.name);
    const rules: DrsRule[] = [];
    z.rules.forEach((r, i) => {
      const a = names[r.a % names.length] as string;
      if (r.kind === 'host') {
        rules.push({ name: `r${i}`, type: 'vmHost', vms: [a], hosts: [...new Set(r.hosts.map((h) => `h${h % hosts.length}`))], mode: r.mode });
        return;
      }
      const b = names[r.b % names.length] as string;
      if (a === b) return;
      rules.push({ name: `r${i}`, type: r.kind === 'anti' ? 'vmAntiAffinity' : 'vmAffinity', vms: [a, b], enforcement: r.must ? 'must' : 'should' });
    });
    const zone: Zone = { state: { hosts, vms }, rules, threshold: z.threshold, isolate: z.isolate };
    return zone;
  });

interface Zone {
  readonly state: DrsState;
  readonly rules: readonly DrsRule[];
  readonly threshold: number;
  readonly isolate: boolean;
}

/** Rule degrees of a state, by rule name. */
function degrees(state: DrsState, rules: readonly DrsRule[]): Map<string, number> {
  const ledger = new PlacementLedger(
    state.vms.map((v) => v.name),
    state.hosts.map((h) => h.name),
    state.vms.map((v) => v.host),
  );
  const book = new RuleBook(rules, ledger);
  return new Map(book.rules.map((r, i) => [r.rule.name, book.degree(i)]));
}

function run(z: Zone) {
  const labels = new Map(z.state.vms.map((v) => [v.name, v.labels?.sensitivity ?? '']));
  const canPlace = z.isolate ? sensitivityIsolation(labels) : undefined;
  try {
    return { r: planDrsPass(z.state, { rules: z.rules, threshold: z.threshold, ...(canPlace ? { canPlace } : {}) }), canPlace };
  } catch (e) {
    if ((e as Error).name === 'RuleConflictError') return undefined; // contradicting random rules: refused up front
    throw e;
  }
}

describe('DRS pass properties', () => {
  it('conserves load and reports the imbalance of the state it leads to', () => {
    fc.assert(
      fc.property(zoneArb, (z) => {
        const out = run(z);
        if (out === undefined) return;
        const end = applyRecommendations(z.state, out.r.recommendations);
        expect(end.vms.map((v) => v.name)).toEqual(z.state.vms.map((v) => v.name));
        const sum = (s: DrsState) => s.vms.reduce<readonly [number, number]>(([c, m], v) => [c + v.cpuMHz, m + v.memoryMiB], [0, 0]);
        expect(sum(end)).toEqual(sum(z.state));
        expect(measureImbalance(end, out.r.weights).imbalance).toBeCloseTo(out.r.after.imbalance, 9);
        expect(measureImbalance(z.state, out.r.weights).imbalance).toBeCloseTo(out.r.before.imbalance, 9);
      }),
      { numRuns: RUNS },
    );
  });

  it('never raises the imbalance when no rule needs fixing, and every balancing move lowers it', () => {
    fc.assert(
      fc.property(zoneArb, (z) => {
        const start = degrees(z.state, z.rules);
        fc.pre([...start.values()].every((d) => d === 0) && z.state.hosts.every((h) => h.mode !== 'maintenance'));
        const out = run(z);
        if (out === undefined) return;
        expect(out.r.after.imbalance).toBeLessThanOrEqual(out.r.before.imbalance + 1e-9);
        for (const rec of out.r.recommendations) {
          expect(rec.kind).toBe('balance');
          expect(rec.gain).toBeGreaterThan(0);
          expect(rec.benefit).toBeGreaterThan(rec.costScore);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('makes only moves the callback accepts, breaks no must rule that held, and balancing breaks no rule', () => {
    fc.assert(
      fc.property(zoneArb, (z) => {
        const out = run(z);
        if (out === undefined) return;
        const names = z.state.vms.map((v) => v.name);
        const ledger = new PlacementLedger(
          names,
          z.state.hosts.map((h) => h.name),
          z.state.vms.map((v) => v.host),
        );
        const book = new RuleBook(z.rules, ledger);
        const initiallyHeld = book.rules.map((r, i) => r.must && book.degree(i) === 0);
        const grouped = new Set<string>();
        for (const rec of out.r.recommendations) {
          const v = ledger.vmIndex.get(rec.vm) as number;
          const to = ledger.hostIndex.get(rec.to) as number;
          expect(ledger.hostOf(rec.vm)).toBe(rec.from);
          expect(z.state.hosts[to]?.mode ?? 'active').toBe('active');
          if (out.canPlace) expect(out.canPlace(z.state.vms[v] as DrsVm, { name: rec.to }, ledger)).toEqual({ ok: true });
          if (rec.kind === 'balance' && !grouped.has(rec.vm)) {
            // A unit held together by must affinity moves as a whole: judge the whole.
            const unit = [rec.vm, ...(rec.together ?? [])];
            unit.forEach((u) => grouped.add(u));
            for (const d of book.evaluate(unit.map((u) => ledger.vmIndex.get(u) as number), to)) expect(d.after).toBeLessThanOrEqual(d.before);
          }
          const from = ledger.hostIdx(v);
          ledger.move(v, to);
          book.moved(v, from, to);
        }
        book.rules.forEach((_, i) => {
          if (initiallyHeld[i]) expect(book.degree(i)).toBe(0);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
