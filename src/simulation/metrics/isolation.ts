/**
 * The isolation audit of one instant, over where the simulated datacenter says machines run
 * (not where the planner thinks they are): a host breaks its zone's rule when it runs machines of
 * more than one sensitivity level (`per-sensitivity`) or tenant (`per-tenant`); a pod breaks the
 * rule when it runs on another tenant's node. Expected to be 0 in both designs; counted anyway.
 */
import type { IsolationMode } from '../../api/index.js';
import type { Machine } from '../engine/world.js';

export interface Placement {
  readonly host: string;
  readonly machine: Machine;
}

export interface IsolationAudit {
  readonly hostViolations: number;
  readonly podViolations: number;
  /** Distinct tenants per host that runs anything: the most, and the mean. */
  readonly maxTenantsPerHost: number;
  readonly meanTenantsPerHost: number;
}

export function auditIsolation(placements: readonly Placement[], modeOfHost: (host: string) => IsolationMode): IsolationAudit {
  const tenants = new Map<string, Set<string>>();
  const levels = new Map<string, Set<string>>();
  let podViolations = 0;
  for (const { host, machine } of placements) {
    let t = tenants.get(host);
    if (!t) tenants.set(host, (t = new Set()));
    t.add(machine.tenant);
    let l = levels.get(host);
    if (!l) levels.set(host, (l = new Set()));
    l.add(machine.sensitivity);
    for (const pod of machine.node?.pods ?? []) if (pod.running && pod.workload.spec.tenant !== machine.tenant) podViolations++;
  }
  let hostViolations = 0;
  let max = 0;
  let sum = 0;
  for (const [host, t] of tenants) {
    const mode = modeOfHost(host);
    if (mode === 'per-tenant' && t.size > 1) hostViolations++;
    if (mode === 'per-sensitivity' && (levels.get(host)?.size ?? 0) > 1) hostViolations++;
    max = Math.max(max, t.size);
    sum += t.size;
  }
  return { hostViolations, podViolations, maxTenantsPerHost: max, meanTenantsPerHost: tenants.size > 0 ? sum / tenants.size : 0 };
}
