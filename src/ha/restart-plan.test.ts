/** Restart planning after host failures: order, waves, failover hosts, rules, callback, retries. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLACEMENT_OK, refuse, type DrsRule } from '../drs/index.js';
import { host, vm } from './ha.test-util.js';
import { planRestarts, type RestartPlan } from './restart-plan.js';
import { RESTART_PRIORITIES, type HaVm, type HaZone, type RestartPriority } from './types.js';

const MIN = 60_000;
const NOW = 1_000_000;

describe('planRestarts', () => {
  it('places highest priority first, in waves, and skips disabled VMs', () => {
    const zone: HaZone = {
      hosts: [host('h1'), host('h2'), host('h3')],
      vms: [
        vm('low', 'h1', 2, 8, 'low'),
        vm('web', 'h1', 2, 8),
        vm('db', 'h1', 8, 32, 'highest'),
        vm('cache', 'h1', 4, 8, 'high'),
        vm('batch', 'h1', 2, 8, 'disabled'),
        vm('staying', 'h2', 2, 8),
        vm('off', 'h1', 2, 8, 'highest', { poweredOn: false }),
      ],
    };
    const plan = planRestarts({ zone, failedHosts: ['h1'], now: NOW });
    expect(plan.placements.map((p) => [p.vm, p.priority, p.wave])).toEqual([
      ['db', 'highest', 0],
      ['cache', 'high', 1],
      ['web', 'medium', 2],
      ['low', 'low', 3],
    ]);
    expect(plan.placements.every((p) => p.host !== 'h1')).toBe(true);
    expect(plan.skipped).toEqual([{ vm: 'batch', reason: 'restart priority is disabled' }]);
    expect(plan.pending).toEqual([]);
  });

  it('spreads restarted VMs over the freest survivors', () => {
    const zone: HaZone = { hosts: [host('h1'), host('h2'), host('h3')], vms: [vm('x', 'h2', 16, 64), vm('a', 'h1', 4, 16), vm('b', 'h1', 4, 16)] };
    const plan = planRestarts({ zone, failedHosts: ['h1'], now: NOW });
    expect(plan.placements.map((p) => p.host)).toEqual(['h3', 'h3']);
    const busy: HaZone = { ...zone, vms: [...zone.vms, vm('y', 'h3', 14, 56)] };
    expect(planRestarts({ zone: busy, failedHosts: ['h1'], now: NOW }).placements.map((p) => p.host)).toEqual(['h3', 'h2']);
  });

  it('tries dedicated failover hosts first', () => {
    const zone: HaZone = { hosts: [host('h1'), host('h2'), host('spare', 8, 32)], vms: [vm('a', 'h1', 4, 16), vm('b', 'h1', 4, 16), vm('c', 'h1', 4, 16)] };
    const plan = planRestarts({ zone, failedHosts: ['h1'], now: NOW, policy: { type: 'failoverHosts', hosts: ['spare'] } });
    expect(plan.placements.map((p) => p.host)).toEqual(['spare', 'spare', 'h2']);
    expect(plan.placements[0]?.reason).toBe('dedicated failover host');
  });

  it('keeps must anti-affinity and the placement callback, and lets should rules give way', () => {
    const zone: HaZone = { hosts: [host('h1'), host('h2'), host('h3')], vms: [vm('db-1', 'h1'), vm('db-2', 'h2'), vm('x', 'h3', 8, 32)] };
    const rules: DrsRule[] = [{ name: 'db-apart', type: 'vmAntiAffinity', vms: ['db-1', 'db-2'] }];
    expect(planRestarts({ zone, failedHosts: ['h1'], now: NOW, rules }).placements[0]?.host).toBe('h3');
    // With h3 refused by the callback, the must rule leaves no host: retry later.
    const canPlace = (_: HaVm, h: { name: string }) => (h.name === 'h3' ? refuse('SensitivityIsolation') : PLACEMENT_OK);
    const plan = planRestarts({ zone, failedHosts: ['h1'], now: NOW, rules, canPlace });
    expect(plan.placements).toEqual([]);
    expect(plan.pending[0]?.reason).toBe('no surviving host can take db-1: 1 host: SensitivityIsolation; 1 host: would break must rule "db-apart"');
    const soft: DrsRule[] = [{ name: 'db-apart', type: 'vmAntiAffinity', vms: ['db-1', 'db-2'], enforcement: 'should' }];
    const relaxed = planRestarts({ zone, failedHosts: ['h1'], now: NOW, rules: soft, canPlace });
    expect(relaxed.placements[0]).toMatchObject({ vm: 'db-1', host: 'h2', reason: expect.stringContaining('a should rule gave way') });
  });

  it('schedules retries at +2, +6, +14, +30 min and gives up after the 5th attempt', () => {
    const zone: HaZone = { hosts: [host('h1'), host('h2', 8, 32)], vms: [vm('big', 'h1', 16, 64, 'high'), vm('small', 'h1', 2, 8, 'low')] };
    const first = planRestarts({ zone, failedHosts: ['h1'], now: NOW });
    expect(first.placements.map((p) => p.vm)).toEqual(['small']);
    expect(first.pending).toEqual([expect.objectContaining({ vm: 'big', priority: 'high', attempt: 1, nextAttemptAt: NOW + 2 * MIN })]);
    const at = (attempts: number) =>
      planRestarts({ zone, failedHosts: ['h1'], now: NOW + 99 * MIN, history: new Map([['big', { attempts, firstAttemptAt: NOW }]]) });
    expect(at(1).pending[0]?.nextAttemptAt).toBe(NOW + 6 * MIN);
    expect(at(2).pending[0]?.nextAttemptAt).toBe(NOW + 14 * MIN);
    expect(at(3).pending[0]?.nextAttemptAt).toBe(NOW + 30 * MIN);
    const last = at(4);
    expect(last.pending).toEqual([]);
    expect(last.abandoned).toEqual([expect.objectContaining({ vm: 'big', attempts: 5 })]);
  });

  it('restarts nothing of hosts that are only isolated (not listed as failed)', () => {
    const zone: HaZone = { hosts: [host('h1'), host('h2')], vms: [vm('a', 'h1')] };
    expect(planRestarts({ zone, failedHosts: [], now: NOW })).toEqual({ placements: [], pending: [], abandoned: [], skipped: [] });
  });

  it('rejects an unknown failed host', () => {
    expect(() => planRestarts({ zone: { hosts: [host('h1')], vms: [] }, failedHosts: ['h9'], now: NOW })).toThrow(/unknown host "h9"/);
  });
});

describe('planRestarts properties', () => {
  const arb = fc.record({
    hosts: fc.array(fc.record({ vcpus: fc.integer({ min: 8, max: 64 }), memGiB: fc.integer({ min: 32, max: 256 }), up: fc.constantFrom(true, true, true, false) }), { minLength: 2, maxLength: 8 }),
    vms: fc.array(
      fc.record({ host: fc.nat(7), vcpus: fc.integer({ min: 1, max: 8 }), memGiB: fc.integer({ min: 1, max: 32 }), priority: fc.constantFrom(...RESTART_PRIORITIES), on: fc.boolean() }),
      { maxLength: 40 },
    ),
    failed: fc.array(fc.nat(7), { minLength: 1, maxLength: 3 }),
  });

  it('places every lost VM once at most, within capacity, in priority order, through the callback', () => {
    fc.assert(
      fc.property(arb, (z) => {
        const hosts = z.hosts.map((h, i) => host(`h${i}`, h.vcpus, h.memGiB, { up: h.up }));
        // Tags follow the host's parity, so the starting state is tag-isolated.
        const vms = z.vms.map((v, i) => vm(`v${i}`, `h${v.host % hosts.length}`, v.vcpus, v.memGiB, v.priority, { poweredOn: v.on, labels: { tag: (v.host % hosts.length) % 2 === 0 ? 'a' : 'b' } }));
        const failed = [...new Set(z.failed.map((f) => `h${f % hosts.length}`))];
        const tag = new Map(vms.map((v) => [v.name, v.labels?.tag]));
        // Tag isolation: a host holds VMs of one tag.
        const canPlace = (v: HaVm, h: { name: string }, view: { vmsOn(h: string): readonly string[] }) =>
          view.vmsOn(h.name).every((o) => tag.get(o) === tag.get(v.name)) ? PLACEMENT_OK : refuse('TagIsolation');
        const zone: HaZone = { hosts, vms };
        const plan: RestartPlan = planRestarts({ zone, failedHosts: failed, now: NOW, canPlace });
        const lost = vms.filter((v) => v.poweredOn !== false && failed.includes(v.host ?? ''));
        const accounted = [...plan.placements.map((p) => p.vm), ...plan.pending.map((p) => p.vm), ...plan.abandoned.map((p) => p.vm), ...plan.skipped.map((p) => p.vm)];
        expect([...accounted].sort()).toEqual(lost.map((v) => v.name).sort());
        const rank = (p: RestartPriority) => RESTART_PRIORITIES.indexOf(p);
        for (let i = 1; i < plan.placements.length; i++) expect(rank((plan.placements[i] as { priority: RestartPriority }).priority)).toBeGreaterThanOrEqual(rank((plan.placements[i - 1] as { priority: RestartPriority }).priority));
        // Final state: survivors only, within capacity, one tag per host.
        const where = new Map(vms.filter((v) => v.poweredOn !== false && !failed.includes(v.host ?? '')).map((v) => [v.name, v.host as string]));
        for (const p of plan.placements) where.set(p.vm, p.host);
        for (const h of hosts) {
          const on = vms.filter((v) => where.get(v.name) === h.name);
          if (plan.placements.some((p) => p.host === h.name)) {
            expect(h.up).not.toBe(false);
            expect(failed).not.toContain(h.name);
            expect(on.reduce((a, v) => a + v.vcpus, 0)).toBeLessThanOrEqual(h.vcpus);
            expect(on.reduce((a, v) => a + v.memoryMiB, 0)).toBeLessThanOrEqual(h.memoryMiB);
            const placedHere = plan.placements.filter((p) => p.host === h.name).map((p) => tag.get(p.vm));
            expect(new Set([...placedHere, ...on.map((v) => tag.get(v.name))]).size).toBe(1);
          }
        }
      }),
      { numRuns: Number(process.env.BULKHEAD_PROPERTY_RUNS ?? 150) },
    );
  });
});
