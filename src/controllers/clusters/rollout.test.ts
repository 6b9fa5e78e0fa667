// Rolling-upgrade order: control plane one at a time, then canaries, then max-in-flight windows.
import { describe, expect, it } from 'vitest';
import type { PlanUpdate } from '../../api/index.js';
import { nodeZone, slotName, type Slot } from './nodes.js';
import { nextRolloutStep } from './rollout.js';

const slots = (cp: number, workers: number): Slot[] => [
  ...Array.from({ length: cp }, (_, i) => ({ name: slotName('c', 'control-plane', i), role: 'control-plane' as const, index: i })),
  ...Array.from({ length: workers }, (_, i) => ({ name: slotName('c', 'worker', i), role: 'worker' as const, index: i })),
];

/** Simulates a rollout where every started node finishes before the next step; returns the batches. */
function batches(cp: number, workers: number, update: PlanUpdate): string[][] {
  const all = slots(cp, workers);
  const outdated = new Set(all.map((s) => s.name));
  const out: string[][] = [];
  for (;;) {
    const step = nextRolloutStep({ slots: all, outdated, inFlight: new Set(), update });
    if (!step.start.length) return out;
    out.push(step.start.map((s) => s.name));
    for (const s of step.start) outdated.delete(s.name);
  }
}

describe('nextRolloutStep', () => {
  it('recreates the control plane one at a time, then one canary, then batches of maxInFlight', () => {
    expect(batches(3, 6, { canaries: 1, maxInFlight: 2 })).toEqual([
      ['c-cp-0'],
      ['c-cp-1'],
      ['c-cp-2'],
      ['c-worker-0'],
      ['c-worker-1', 'c-worker-2'],
      ['c-worker-3', 'c-worker-4'],
      ['c-worker-5'],
    ]);
  });

  it('takes percentages per group, never less than 1', () => {
    expect(batches(1, 10, { canaries: '10%', maxInFlight: '30%' })).toEqual([['c-cp-0'], ['c-worker-0'], ['c-worker-1', 'c-worker-2', 'c-worker-3'], ['c-worker-4', 'c-worker-5', 'c-worker-6'], ['c-worker-7', 'c-worker-8', 'c-worker-9']]);
    expect(batches(1, 3, { canaries: '5%', maxInFlight: '5%' })).toEqual([['c-cp-0'], ['c-worker-0'], ['c-worker-1'], ['c-worker-2']]);
  });

  it('starts nothing while a control-plane node or the canaries are in flight', () => {
    const all = slots(3, 4);
    const outdated = new Set(all.map((s) => s.name).filter((n) => n !== 'c-cp-0'));
    expect(nextRolloutStep({ slots: all, outdated, inFlight: new Set(['c-cp-0']), update: {} }).start).toEqual([]);
    const workersOnly = new Set(['c-worker-1', 'c-worker-2', 'c-worker-3']);
    const step = nextRolloutStep({ slots: all, outdated: workersOnly, inFlight: new Set(['c-worker-0']), update: { canaries: 1, maxInFlight: 3 } });
    expect(step).toEqual({ start: [], canary: true });
  });
});

describe('node zones', () => {
  it("spread a cluster's nodes over the plan's zones the tenant may use, round-robin", () => {
    expect([0, 1, 2, 3].map((i) => nodeZone(['a', 'b', 'c'], undefined, i))).toEqual(['a', 'b', 'c', 'a']);
    expect([0, 1, 2].map((i) => nodeZone(['a', 'b', 'c'], ['b', 'c'], i))).toEqual(['b', 'c', 'b']);
    expect(nodeZone(undefined, ['b'], 0)).toBeUndefined();
    expect(nodeZone(['a'], ['b'], 0)).toBeUndefined();
  });
});
