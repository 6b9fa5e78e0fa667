/**
 * HA restart planning: after hosts are declared dead, place their powered-on VMs on the
 * survivors, highest restart priority first (within a priority, largest first so big VMs find
 * room before it fragments), through the Placer (failover hosts first, rules, callback). VMs that
 * fit nowhere get the next retry time, until their attempts run out.
 *
 *   dead hosts ─▶ VMs to restart ─▶ order by priority, size ─▶ Placer ─▶ placements (waves)
 *                      │ disabled → skipped                      └──▶ pending (retry at) / abandoned
 */
import { ValidationError } from '../api/index.js';
import type { CanPlace, DrsRule } from '../drs/index.js';
import { isOn, isUp } from './capacity.js';
import { Placer } from './placer.js';
import { checkPolicy } from './policy.js';
import { nextAttemptAt, VSPHERE_RETRY, type RetryPolicy } from './retry.js';
import { DEFAULT_RESTART_PRIORITY, RESTART_PRIORITIES, type AdmissionPolicy, type HaHost, type HaVm, type HaZone, type RestartPriority } from './types.js';

/** What earlier plans tried for a VM. */
export interface RestartHistory {
  readonly attempts: number;
  readonly firstAttemptAt: number;
}

export interface RestartPlanInput {
  /** All hosts and VMs; VMs of the failed hosts still name them as `host`. */
  readonly zone: HaZone;
  /** Hosts declared dead (`classifyHost` → `dead`). Isolated hosts keep their VMs: do not list them. */
  readonly failedHosts: readonly string[];
  /** With `failoverHosts`, those hosts are tried first. */
  readonly policy?: AdmissionPolicy;
  readonly rules?: readonly DrsRule[];
  readonly canPlace?: CanPlace<HaVm, HaHost>;
  /** Clock time of this attempt, ms. */
  readonly now: number;
  /** Attempts already made per VM name. */
  readonly history?: ReadonlyMap<string, RestartHistory>;
  readonly retry?: RetryPolicy;
}

export interface RestartPlacement {
  readonly vm: string;
  readonly host: string;
  readonly priority: RestartPriority;
  /** Orchestration wave: 0 for the highest priority present; a wave starts when the previous one is up. */
  readonly wave: number;
  readonly reason: string;
}

export interface PendingRestart {
  readonly vm: string;
  readonly priority: RestartPriority;
  /** Attempts made, this one included. */
  readonly attempt: number;
  readonly nextAttemptAt: number;
  readonly reason: string;
}

export interface AbandonedRestart {
  readonly vm: string;
  readonly priority: RestartPriority;
  readonly attempts: number;
  readonly reason: string;
}

export interface RestartPlan {
  /** In restart order. */
  readonly placements: readonly RestartPlacement[];
  readonly pending: readonly PendingRestart[];
  readonly abandoned: readonly AbandonedRestart[];
  /** VMs HA does not restart (restart priority disabled). */
  readonly skipped: readonly { readonly vm: string; readonly reason: string }[];
}

const RANK = new Map(RESTART_PRIORITIES.map((p, i) => [p, i]));

export function planRestarts(input: RestartPlanInput): RestartPlan {
  const { zone } = input;
  const known = new Set(zone.hosts.map((h) => h.name));
  input.failedHosts.forEach((h, i) => {
    if (!known.has(h)) throw ValidationError.field(`failedHosts[${i}]`, `unknown host "${h}"`);
  });
  if (input.policy !== undefined) checkPolicy(input.policy, zone);
  const failed = new Set(input.failedHosts);
  const lost = (v: HaVm) => isOn(v) && v.host !== undefined && failed.has(v.host);
  const failover = input.policy?.type === 'failoverHosts' ? new Set(input.policy.hosts) : new Set<string>();
  const placer = new Placer(zone, {
    unplace: lost,
    targets: (h) => isUp(h) && !failed.has(h.name),
    preferred: failover,
    ...(input.rules !== undefined ? { rules: input.rules } : {}),
    ...(input.canPlace !== undefined ? { canPlace: input.canPlace } : {}),
  });

  const skipped: { vm: string; reason: string }[] = [];
  const queue: number[] = [];
  zone.vms.forEach((v, i) => {
    if (!lost(v)) return;
    if (priorityOf(v) === 'disabled') skipped.push({ vm: v.name, reason: 'restart priority is disabled' });
    else queue.push(i);
  });
  queue.sort((a, b) => {
    const x = zone.vms[a] as HaVm;
    const y = zone.vms[b] as HaVm;
    return (RANK.get(priorityOf(x)) as number) - (RANK.get(priorityOf(y)) as number) || y.vcpus - x.vcpus || y.memoryMiB - x.memoryMiB || (x.name < y.name ? -1 : 1);
  });

  const placements: RestartPlacement[] = [];
  const pending: PendingRestart[] = [];
  const abandoned: AbandonedRestart[] = [];
  const retry = input.retry ?? VSPHERE_RETRY;
  for (const i of queue) {
    const vm = zone.vms[i] as HaVm;
    const priority = priorityOf(vm);
    const r = placer.place(i);
    if (r.ok) {
      const where = r.preferred ? 'dedicated failover host' : `most free capacity of ${placer.targetCount} surviving hosts`;
      placements.push({ vm: vm.name, host: r.host, priority, wave: 0, reason: `${where}${r.brokeShouldRule ? '; a should rule gave way' : ''}` });
      continue;
    }
    const past = input.history?.get(vm.name);
    const attempt = (past?.attempts ?? 0) + 1;
    const next = nextAttemptAt(attempt, past?.firstAttemptAt ?? input.now, retry);
    const reason = `no surviving host can take ${vm.name}: ${r.reason}`;
    if (next === undefined) abandoned.push({ vm: vm.name, priority, attempts: attempt, reason: `${reason}; ${attempt} attempts made, giving up` });
    else pending.push({ vm: vm.name, priority, attempt, nextAttemptAt: next, reason });
  }
  const waves = [...new Set(placements.map((p) => p.priority))];
  return { placements: placements.map((p) => ({ ...p, wave: waves.indexOf(p.priority) })), pending, abandoned, skipped };
}

function priorityOf(v: HaVm): RestartPriority {
  return v.restartPriority ?? DEFAULT_RESTART_PRIORITY;
}
