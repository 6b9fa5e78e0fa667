/** Builders and helpers shared by the DRS tests. */
import { PLACEMENT_OK, refuse, type CanPlace } from './placement-check.js';
import { applyRecommendations } from './apply.js';
import { planDrsPass } from './pass.js';
import type { DrsHost, DrsOptions, DrsPassResult, DrsState, DrsVm } from './types.js';

export const GiB = 1024;

export function host(name: string, o: Partial<Omit<DrsHost, 'name'>> = {}): DrsHost {
  return { name, cpuMHz: 40_000, memoryMiB: 256 * GiB, nicMbps: 10_000, ...o };
}

export function vm(name: string, on: string, cpuMHz = 2_000, memGiB = 8, o: Partial<Omit<DrsVm, 'name' | 'host' | 'cpuMHz' | 'memoryMiB'>> = {}): DrsVm {
  return { name, host: on, cpuMHz, memoryMiB: memGiB * GiB, ...o };
}

/** `counts[i]` identical VMs on host `h{i+1}`. */
export function zone(counts: readonly number[], size: { cpuMHz?: number; memGiB?: number } = {}): DrsState {
  const hosts = counts.map((_, i) => host(`h${i + 1}`));
  const vms: DrsVm[] = [];
  counts.forEach((n, i) => {
    for (let k = 0; k < n; k++) vms.push(vm(`vm-${i + 1}-${k}`, `h${i + 1}`, size.cpuMHz, size.memGiB));
  });
  return { hosts, vms };
}

/** Runs passes, applying each, until one recommends nothing or `max` passes ran. */
export function converge(state: DrsState, options: DrsOptions, max: number): { state: DrsState; passes: DrsPassResult[] } {
  const passes: DrsPassResult[] = [];
  let s = state;
  for (let i = 0; i < max; i++) {
    const r = planDrsPass(s, options);
    passes.push(r);
    if (r.recommendations.length === 0) break;
    s = applyRecommendations(s, r.recommendations);
  }
  return { state: s, passes };
}

/** Sensitivity isolation as a callback: a host holds VMs of one `sensitivity` label only. */
export function sensitivityIsolation(labels: ReadonlyMap<string, string>): CanPlace {
  return (v, h, view) => {
    const mine = labels.get(v.name);
    for (const other of view.vmsOn(h.name)) if (other !== v.name && labels.get(other) !== mine) return refuse('SensitivityIsolation');
    return PLACEMENT_OK;
  };
}
