/**
 * Which nodes a rolling upgrade recreates next (BOSH update semantics, pks-bosh-capi.md §2.3):
 * the control plane first, one node at a time; then the workers, `canaries` of them first, then
 * at most `maxInFlight` at once, lowest index first. Pure: the controller feeds it the slots and
 * what is in flight and gets back the slots to start.
 */
import { resolveCount, type PlanUpdate } from '../../api/index.js';
import type { Slot } from './nodes.js';

export interface RolloutInput {
  readonly slots: readonly Slot[];
  /** Slots whose VM does not run the target version yet (and are not in flight). */
  readonly outdated: ReadonlySet<string>;
  /** Slots being recreated for the upgrade now. */
  readonly inFlight: ReadonlySet<string>;
  readonly update: PlanUpdate;
}

export interface RolloutStep {
  readonly start: readonly Slot[];
  /** The started workers are canaries. */
  readonly canary: boolean;
}

export function nextRolloutStep(i: RolloutInput): RolloutStep {
  const cp = i.slots.filter((s) => s.role === 'control-plane');
  const workers = i.slots.filter((s) => s.role === 'worker');
  const cpBusy = cp.some((s) => i.inFlight.has(s.name));
  const cpLeft = cp.filter((s) => i.outdated.has(s.name));
  if (cpBusy) return { start: [], canary: false };
  if (cpLeft.length) return { start: cpLeft.slice(0, 1), canary: false };
  const canaries = resolveCount(i.update.canaries, workers.length, 1);
  const maxInFlight = resolveCount(i.update.maxInFlight, workers.length, 1);
  const done = workers.filter((s) => !i.outdated.has(s.name) && !i.inFlight.has(s.name)).length;
  const busy = workers.filter((s) => i.inFlight.has(s.name)).length;
  const canaryPhase = done < canaries;
  const limit = canaryPhase ? canaries - done : maxInFlight;
  const room = Math.max(0, limit - busy);
  return { start: workers.filter((s) => i.outdated.has(s.name)).slice(0, room), canary: canaryPhase };
}
