/** DRS pass, worked examples: convergence, no-ops, rules, the placement callback, cost-benefit. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../api/index.js';
import { applyRecommendations, automaticRecommendations } from './apply.js';
import { converge, GiB, host, sensitivityIsolation, vm, zone } from './drs.test-util.js';
import { RuleConflictError } from './errors.js';
import { measureImbalance } from './imbalance.js';
import { planDrsPass } from './pass.js';
import type { DrsRule } from './rules.js';
import type { DrsState } from './types.js';

describe('balancing', () => {
  it('brings a skewed 4-host zone below target within 3 passes', () => {
    // 24 equal VMs as 12/8/4/0: CPU loads 0.6/0.4/0.2/0, memory 0.375/0.25/0.125/0.
    const start = zone([12, 8, 4, 0]);
    const { state, passes } = converge(start, {}, 3);
    const first = passes[0];
    expect(first?.target).toBeCloseTo(0.1, 12); // 0.1 × (5 − 3) / √4
    expect(first?.before.imbalance).toBeGreaterThan(0.1);
    expect(measureImbalance(state).imbalance).toBeLessThanOrEqual(0.1);
    expect(passes.length).toBeLessThanOrEqual(3);
    // Moves go from hot to cold hosts only.
    for (const r of passes.flatMap((p) => p.recommendations)) {
      expect(['h1', 'h2']).toContain(r.from);
      expect(['h3', 'h4']).toContain(r.to);
    }
  });

  it('converges further with the aggressive threshold', () => {
    const { state } = converge(zone([12, 8, 4, 0]), { threshold: 5 }, 5);
    expect(measureImbalance(state).imbalance).toBeLessThan(1e-9); // 6 VMs on each host
  });

  it('recommends nothing on a balanced zone', () => {
    const r = planDrsPass(zone([6, 6, 6, 6]));
    expect(r.recommendations).toEqual([]);
    expect(r.stopReason).toBe('balanced');
    expect(r.before.imbalance).toBe(0);
  });

  it('recommends no balancing at threshold 1 (mandatory moves only)', () => {
    const r = planDrsPass(zone([12, 0]), { threshold: 1 });
    expect(r.target).toBe(Number.POSITIVE_INFINITY);
    expect(r.recommendations).toEqual([]);
    expect(r.stopReason).toBe('mandatoryOnly');
  });

  it('reports each move with its imbalance, gain, priority and pre-copy cost', () => {
    const r = planDrsPass(zone([12, 8, 4, 0]));
    const first = r.recommendations[0];
    expect(first).toMatchObject({ vm: 'vm-1-0', from: 'h1', to: 'h4', kind: 'balance', priority: 2 });
    expect(first?.imbalanceBefore).toBeCloseTo(r.before.imbalance, 12);
    expect(first?.gain).toBeCloseTo((first?.imbalanceBefore ?? 0) - (first?.imbalanceAfter ?? 0), 12);
    expect(first?.benefit).toBeGreaterThan(first?.costScore ?? Infinity);
    // 8 GiB over a 10 GbE link shared by the 4 moves leaving h1: SDPS throttles 200 MB/s to λ = 0.5.
    expect(first?.cost).toMatchObject({ linkMbps: 2_500, throttled: true });
    expect(first?.cost.stunMs).toBeLessThan(1_000);
    expect(first?.reason).toContain('h1 load');
    for (let i = 1; i < r.recommendations.length; i++) {
      expect(r.recommendations[i]?.imbalanceBefore).toBeCloseTo(r.recommendations[i - 1]?.imbalanceAfter ?? NaN, 12);
    }
  });

  it('prices a lone move with the whole link, as the simulator would (§6 worked example)', () => {
    // 16 GiB, 200 MB/s, 10 GbE alone: 3 rounds, ~18.1 s.
    const state: DrsState = {
      hosts: [host('h1'), host('h2')],
      vms: [vm('big', 'h1', 8_000, 16), vm('filler', 'h1', 16_000, 8, { movable: false }), vm('small', 'h2', 2_000, 2)],
    };
    const r = planDrsPass(state, { threshold: 5, stableHorizonMs: 24 * 3_600_000 });
    expect(r.recommendations).toHaveLength(1);
    const c = r.recommendations[0]?.cost;
    expect(c?.linkMbps).toBe(10_000);
    expect(c?.rounds).toBe(3);
    expect(c?.seconds).toBeCloseTo(18.1, 0);
  });

  it('limits recommendations per pass', () => {
    const r = planDrsPass(zone([12, 8, 4, 0]), { maxMovesPerPass: 2 });
    expect(r.recommendations).toHaveLength(2);
    expect(r.stopReason).toBe('moveLimit');
  });

  it('stops when each host has spent its migration budget for the pass', () => {
    // 8 slots × 60 s per host; each 8 GiB move needs ~119 s of a slot when all slots are busy.
    const r = planDrsPass(zone([24, 0]), { passIntervalMs: 60_000, threshold: 5 });
    expect(r.recommendations.length).toBe(4);
    expect(r.stopReason).toBe('noBeneficialMove');
  });

  it('never moves a VM whose automation is disabled', () => {
    const state: DrsState = { hosts: [host('h1'), host('h2')], vms: [vm('pinned', 'h1', 10_000, 32, { movable: false }), vm('x', 'h1', 1_000, 1)] };
    const r = planDrsPass(state, { threshold: 5 });
    expect(r.recommendations.map((x) => x.vm)).toEqual(['x']);
  });
});

describe('cost-benefit', () => {
  // Threshold 5: the target is 0, so only the cost-benefit test can refuse the move.
  const state = (big: { sizeMiB: number; dirtyRateMBps: number }): DrsState => ({
    hosts: [host('h1', { nicMbps: 10_000 }), host('h2', { nicMbps: 10_000 })],
    vms: [vm('filler-1', 'h1', 20_000, 64, { movable: false }), vm('filler-2', 'h2', 18_000, 56), vm('monster', 'h1', 1_000, 4, big)],
  });

  // A day-long budget and a loose stun limit, so that only the cost-benefit test can refuse.
  const loose = { threshold: 5, passIntervalMs: 24 * 3_600_000, maxStunMs: 60_000 };

  it('rejects moving a huge, fast-dirtying VM for a tiny gain', () => {
    // 1 TiB at 2 GB/s dirtying over a shared 10 GbE link: hours of throttled pre-copy to relieve
    // 2.5 % of a host's CPU, a gain that lasts the one-hour horizon.
    const r = planDrsPass(state({ sizeMiB: 1024 * GiB, dirtyRateMBps: 2_000 }), loose);
    expect(r.before.imbalance).toBeGreaterThan(0);
    expect(r.recommendations).toEqual([]);
    expect(r.stopReason).toBe('noBeneficialMove');
  });

  it('accepts the same gain from a small, quiet VM', () => {
    const r = planDrsPass(state({ sizeMiB: 4 * GiB, dirtyRateMBps: 20 }), loose);
    expect(r.recommendations.map((x) => x.vm)).toEqual(['monster']);
    expect(r.recommendations[0]?.benefit).toBeGreaterThan(r.recommendations[0]?.costScore ?? Infinity);
  });

  it('counts the gain only for as long as demand is expected to stay', () => {
    const unstable = state({ sizeMiB: 4 * GiB, dirtyRateMBps: 20 });
    const vms = unstable.vms.map((v) => (v.name === 'monster' ? { ...v, demandStability: 0.001 } : v));
    expect(planDrsPass({ ...unstable, vms }, loose).recommendations).toEqual([]);
  });

  it('refuses moves whose predicted stun exceeds the limit', () => {
    const r = planDrsPass(state({ sizeMiB: 4 * GiB, dirtyRateMBps: 20 }), { ...loose, maxStunMs: 10 });
    expect(r.recommendations).toEqual([]);
  });
});

describe('rules', () => {
  it('never breaks a must anti-affinity rule, even when the coldest host holds the partner', () => {
    const state: DrsState = {
      hosts: [host('h1'), host('h2'), host('h3')],
      vms: [
        vm('db-1', 'h1', 8_000, 32),
        ...Array.from({ length: 6 }, (_, i) => vm(`a${i}`, 'h1', 4_000, 16)),
        vm('db-2', 'h2', 1_000, 4),
        ...Array.from({ length: 3 }, (_, i) => vm(`c${i}`, 'h3', 4_000, 16)),
      ],
    };
    const rules: DrsRule[] = [{ name: 'db-apart', type: 'vmAntiAffinity', vms: ['db-1', 'db-2'] }];
    const { state: end, passes } = converge(state, { rules, threshold: 5 }, 3);
    const recs = passes.flatMap((p) => p.recommendations);
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.some((r) => r.vm === 'db-1' && r.to === 'h2')).toBe(false);
    const where = new Map(end.vms.map((v) => [v.name, v.host]));
    expect(where.get('db-1')).not.toBe(where.get('db-2'));
    // Without the rule the biggest VM would go to the coldest host.
    const free = planDrsPass(state, { threshold: 5 }).recommendations;
    expect(free[0]).toMatchObject({ vm: 'db-1', to: 'h2' });
  });

  it('corrects must-rule violations first, as priority-1 moves, even at threshold 1', () => {
    const state: DrsState = { hosts: [host('h1'), host('h2'), host('h3')], vms: [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h2')] };
    const rules: DrsRule[] = [
      { name: 'a-on-h3', type: 'vmHost', vms: ['a'], hosts: ['h3'], mode: 'mustRunOn' },
      { name: 'b-apart-c', type: 'vmAntiAffinity', vms: ['b', 'c'] },
    ];
    const r = planDrsPass(state, { rules, threshold: 1 });
    expect(r.recommendations).toEqual([expect.objectContaining({ vm: 'a', from: 'h1', to: 'h3', kind: 'mustRule', priority: 1 })]);
    expect(r.recommendations[0]?.reason).toContain('a-on-h3');
    expect(r.unresolved).toEqual([]);
  });

  it('separates VMs a must anti-affinity rule keeps apart', () => {
    const state: DrsState = { hosts: [host('h1'), host('h2'), host('h3')], vms: [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h1')] };
    const r = planDrsPass(state, { rules: [{ name: 'apart', type: 'vmAntiAffinity', vms: ['a', 'b', 'c'] }], threshold: 1 });
    const end = applyRecommendations(state, r.recommendations);
    expect(new Set(end.vms.map((v) => v.host)).size).toBe(3);
    expect(r.recommendations.every((x) => x.kind === 'mustRule')).toBe(true);
  });

  it('moves VMs held together by must affinity as one unit and keeps them together', () => {
    const state: DrsState = {
      hosts: [host('h1'), host('h2')],
      vms: [vm('web', 'h1', 6_000, 16), vm('cache', 'h1', 6_000, 16), vm('x', 'h1', 4_000, 8, { movable: false })],
    };
    const rules: DrsRule[] = [{ name: 'together', type: 'vmAffinity', vms: ['web', 'cache'] }];
    const r = planDrsPass(state, { rules, threshold: 5 });
    const moved = r.recommendations.filter((x) => x.vm === 'web' || x.vm === 'cache');
    expect(moved).toHaveLength(2);
    expect(moved[0]?.together).toEqual([moved[1]?.vm]);
    const end = applyRecommendations(state, r.recommendations);
    const where = new Map(end.vms.map((v) => [v.name, v.host]));
    expect(where.get('web')).toBe(where.get('cache'));
  });

  it('reunites a split must-affinity pair', () => {
    const state: DrsState = { hosts: [host('h1'), host('h2')], vms: [vm('a', 'h1'), vm('b', 'h2'), vm('c', 'h2')] };
    const r = planDrsPass(state, { rules: [{ name: 'ab', type: 'vmAffinity', vms: ['a', 'b'] }], threshold: 1 });
    expect(r.recommendations).toHaveLength(1);
    const end = applyRecommendations(state, r.recommendations);
    expect(end.vms.find((v) => v.name === 'a')?.host).toBe(end.vms.find((v) => v.name === 'b')?.host);
  });

  it('fixes a should rule when nothing else breaks, and balancing never breaks it again', () => {
    const state: DrsState = { hosts: [host('h1'), host('h2'), host('h3')], vms: [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h2')] };
    const rules: DrsRule[] = [{ name: 'a-prefers-h3', type: 'vmHost', vms: ['a'], hosts: ['h3'], mode: 'shouldRunOn' }];
    const r = planDrsPass(state, { rules, threshold: 2 });
    expect(r.recommendations[0]).toMatchObject({ vm: 'a', to: 'h3', kind: 'shouldRule', priority: 2 });
    expect(planDrsPass(state, { rules, threshold: 1 }).recommendations).toEqual([]);
  });

  it('evacuates a host entering maintenance and leaves it out of the imbalance', () => {
    const state: DrsState = {
      hosts: [host('h1', { mode: 'maintenance' }), host('h2'), host('h3', { mode: 'cordoned' })],
      vms: [vm('a', 'h1'), vm('b', 'h1'), vm('c', 'h2')],
    };
    const r = planDrsPass(state, { threshold: 1 });
    expect(r.recommendations.map((x) => [x.vm, x.to, x.kind, x.priority])).toEqual([
      ['a', 'h2', 'evacuate', 1],
      ['b', 'h2', 'evacuate', 1],
    ]);
  });

  it('reports an evacuation no host can take', () => {
    const state: DrsState = { hosts: [host('h1', { mode: 'maintenance' }), host('h2')], vms: [vm('a', 'h1')] };
    const rules: DrsRule[] = [{ name: 'a-on-h1', type: 'vmHost', vms: ['a'], hosts: ['h1'], mode: 'mustRunOn' }];
    const r = planDrsPass(state, { rules });
    expect(r.recommendations).toEqual([]);
    expect(r.unresolved[0]?.vm).toBe('a');
    expect(r.unresolved[0]?.reason).toContain('a-on-h1');
  });

  it('refuses contradicting must rules with an error naming both', () => {
    const state = zone([2, 0]);
    const rules: DrsRule[] = [
      { name: 'together', type: 'vmAffinity', vms: ['vm-1-0', 'vm-1-1'] },
      { name: 'apart', type: 'vmAntiAffinity', vms: ['vm-1-0', 'vm-1-1'] },
    ];
    expect(() => planDrsPass(state, { rules })).toThrow(RuleConflictError);
    expect(() => planDrsPass(state, { rules })).toThrow(/"together".*"apart"/);
  });
});

describe('placement callback', () => {
  it('never proposes a move that would break sensitivity isolation', () => {
    // h3 is the coldest host but holds a low-sensitivity VM; the hot host's VMs are high.
    const state: DrsState = {
      hosts: [host('h1'), host('h2'), host('h3')],
      vms: [
        ...Array.from({ length: 8 }, (_, i) => vm(`high-${i}`, 'h1', 4_000, 16, { labels: { sensitivity: 'high' } })),
        ...Array.from({ length: 2 }, (_, i) => vm(`high-b${i}`, 'h2', 4_000, 16, { labels: { sensitivity: 'high' } })),
        vm('low-0', 'h3', 500, 1, { labels: { sensitivity: 'low' } }),
      ],
    };
    const labels = new Map(state.vms.map((v) => [v.name, v.labels?.sensitivity ?? '']));
    const r = planDrsPass(state, { threshold: 5, canPlace: sensitivityIsolation(labels) });
    expect(r.recommendations.length).toBeGreaterThan(0);
    for (const rec of r.recommendations) expect(rec.to).toBe('h2');
    // Without the callback the first move would go to h3.
    expect(planDrsPass(state, { threshold: 5 }).recommendations[0]?.to).toBe('h3');
  });
});

describe('input validation', () => {
  it('rejects a bad threshold and a VM on an unknown host', () => {
    expect(() => planDrsPass(zone([1]), { threshold: 6 })).toThrow(ValidationError);
    expect(() => planDrsPass({ hosts: [host('h1')], vms: [vm('a', 'nowhere')] })).toThrow(/unknown host "nowhere"/);
  });

  it('rejects stale recommendations', () => {
    const state = zone([1, 0]);
    expect(() => applyRecommendations(state, [{ vm: 'vm-1-0', from: 'h2', to: 'h1' }])).toThrow(/is on "h1", not "h2"/);
  });
});

describe('automation levels', () => {
  it('applies everything when fully automated and nothing when manual', () => {
    const recs = planDrsPass(zone([12, 8, 4, 0])).recommendations;
    expect(automaticRecommendations('fullyAutomated', recs)).toBe(recs);
    expect(automaticRecommendations('manual', recs)).toEqual([]);
  });
});
