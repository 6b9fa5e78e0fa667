/**
 * Applying recommendations to a state, as the simulated datacenter would once the migrations
 * finish: what a controller in fullyAutomated mode expects to see, and what tests and what-if
 * reports run the next pass on.
 */
import { ValidationError } from '../api/index.js';
import type { DrsAutomationLevel, DrsState, DrsVm, Recommendation } from './types.js';

/**
 * Returns a new state with each recommendation applied in order. Throws `ValidationError` if one
 * is stale: unknown VM or host, or the VM is no longer on `from`.
 */
export function applyRecommendations(state: DrsState, recs: readonly Pick<Recommendation, 'vm' | 'from' | 'to'>[]): DrsState {
  const hosts = new Set(state.hosts.map((h) => h.name));
  const at = new Map<string, number>();
  state.vms.forEach((v, i) => at.set(v.name, i));
  const vms: DrsVm[] = [...state.vms];
  recs.forEach((r, i) => {
    const idx = at.get(r.vm);
    if (idx === undefined) throw ValidationError.field(`recommendations[${i}].vm`, `unknown VM "${r.vm}"`);
    if (!hosts.has(r.to)) throw ValidationError.field(`recommendations[${i}].to`, `unknown host "${r.to}"`);
    const vm = vms[idx] as DrsVm;
    if (vm.host !== r.from) throw ValidationError.field(`recommendations[${i}].from`, `VM "${r.vm}" is on "${vm.host}", not "${r.from}"`);
    vms[idx] = Object.freeze({ ...vm, host: r.to });
  });
  return { hosts: state.hosts, vms };
}

/**
 * The recommendations a controller carries out on its own at an automation level: all of them
 * when fully automated (the pass already dropped what the threshold excludes), none when manual
 * (they are shown, e.g. by `bulkhead drs recommendations`, and applied on request).
 */
export function automaticRecommendations(level: DrsAutomationLevel, recs: readonly Recommendation[]): readonly Recommendation[] {
  return level === 'fullyAutomated' ? recs : [];
}
