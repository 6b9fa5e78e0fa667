/**
 * One HA restart pass over a zone: the powered-on VMs of its dead hosts that are due (never tried,
 * or their retry time has come) are planned by the pure layer's `planRestarts` — highest restart
 * priority first, dedicated failover hosts first, onto in-service alive hosts, through the
 * scheduler's placement rules (isolation holds during recovery) — and each placement gets the
 * NUMA nodes the rules chose. Nothing is written here.
 *
 *   dead hosts ─▶ due VMs ─▶ HaZone ─▶ planRestarts ◀── SchedulerCheck (CanPlace, live snapshot)
 *                                         │
 *        placements (+ NUMA) · pending (retry at) · abandoned · skipped
 *
 * The zone is given to the planner compactly: every other host's running VMs as one entry of their
 * summed size (the planner only adds sizes per host; no VM-to-VM rules are involved), the due VMs
 * one by one. A pass over 5,000 hosts and 100,000 VMs therefore costs O(hosts + lost VMs).
 */
import { getCondition, type Host, type VirtualMachine, type Zone } from '../../api/index.js';
import { HA_RESTART_CONDITION } from '../../controllers/index.js';
import { planRestarts, type AdmissionPolicy, type HaHost, type HaVm, type RestartHistory, type RestartPlan, type RetryPolicy } from '../../ha/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { admissionPolicy } from '../model/ha-config.js';
import { haVm, inService } from '../model/ha-zone.js';
import type { SchedulerCheck } from '../model/scheduler-check.js';
import type { ZoneTally } from './zone-tally.js';

export interface RestartPassInput {
  readonly zone: Zone;
  readonly view: ClusterView;
  readonly tally: ZoneTally;
  /** Placement rules over the zone's current state. */
  readonly check: SchedulerCheck;
  /** Hosts of the zone HA declared dead. */
  readonly dead: ReadonlySet<string>;
  /**
   * VMs HA has claimed (Lost, `HaRestart=True`) whose host is no longer dead: it came back, empty
   * (or never stayed silent long enough to be declared dead). They are restarted like the rest.
   */
  readonly orphans?: readonly string[];
  /** Hosts HA does not consider alive (dead or isolated): never targets. */
  readonly notAlive: ReadonlySet<string>;
  readonly now: number;
  /** Attempts made so far, by VM name. */
  readonly history: ReadonlyMap<string, RestartHistory & { readonly nextAttemptAt: number }>;
  readonly retry?: RetryPolicy;
}

export interface RestartPass {
  readonly plan: RestartPlan;
  readonly policy: AdmissionPolicy;
  /** NUMA nodes per placed VM. */
  readonly numa: ReadonlyMap<string, readonly number[]>;
  /** Candidates not due yet, with when they are. */
  readonly waiting: readonly { readonly vm: string; readonly at: number }[];
  /** The VMs planned (the check's snapshot moved them while planning). */
  readonly planned: readonly string[];
  /** How many hosts could take VMs. */
  readonly targets: number;
}

/** A VM HA should bring back: on a dead host, meant to run, not given up on. */
export function needsRestart(vm: VirtualMachine, dead: ReadonlySet<string>): boolean {
  const host = vm.status?.host;
  if (host === undefined || !dead.has(host) || vm.metadata.deletionTimestamp !== undefined) return false;
  if (vm.spec?.powerState === 'Off') return false;
  const phase = vm.status?.phase;
  if (phase === 'Stopped' || phase === 'Failed' || phase === 'Deleting') return false;
  const c = getCondition(vm.status?.conditions, HA_RESTART_CONDITION);
  return !(c?.status === 'False' && (c.reason === 'Abandoned' || c.reason === 'Disabled'));
}

/** Prefix of the planner entries that stand for a host's running VMs (never a VM name: names are DNS labels). */
const AGGREGATE = '\0running-on:';
/** Stands for "no host any more" for orphans: a failed host that is no target (never a host name). */
const NOWHERE = '\0lost';

export function planZoneRestarts(input: RestartPassInput): RestartPass | undefined {
  const { zone, view, dead, now, tally } = input;
  const zoneName = zone.metadata.name;
  const due: HaVm[] = [];
  const waiting: { vm: string; at: number }[] = [];
  for (const host of dead) {
    for (const name of tally.vmsOn(host)) {
      const vm = view.vm(name);
      if (vm === undefined || !needsRestart(vm, dead)) continue;
      const h = input.history.get(name);
      if (h !== undefined && h.nextAttemptAt > now) waiting.push({ vm: name, at: h.nextAttemptAt });
      else due.push(haVm(vm));
    }
  }
  let orphaned = 0;
  /** What orphans still count on their (recorded) hosts: they are lost, so it is free. */
  const orphanUse = new Map<string, { vcpus: number; memoryMiB: number }>();
  for (const name of input.orphans ?? []) {
    const vm = view.vm(name);
    const host = vm?.status?.host;
    if (vm === undefined || host === undefined || dead.has(host) || !needsRestart(vm, new Set([host]))) continue;
    const h = input.history.get(name);
    if (h !== undefined && h.nextAttemptAt > now) waiting.push({ vm: name, at: h.nextAttemptAt });
    else {
      const ha = haVm(vm);
      due.push({ ...ha, host: NOWHERE });
      orphaned++;
      const u = orphanUse.get(host) ?? { vcpus: 0, memoryMiB: 0 };
      orphanUse.set(host, { vcpus: u.vcpus + ha.vcpus, memoryMiB: u.memoryMiB + ha.memoryMiB });
    }
  }
  if (due.length === 0) return waiting.length ? { plan: { placements: [], pending: [], abandoned: [], skipped: [] }, policy: { type: 'disabled' }, numa: new Map(), waiting, planned: [], targets: 0 } : undefined;

  const hosts: HaHost[] = [];
  const running: HaVm[] = [];
  for (const { host, used: counted } of tally.hostUse(zoneName)) {
    const freed = orphanUse.get(host.name);
    const used = freed ? { vcpus: counted.vcpus - freed.vcpus, memoryMiB: counted.memoryMiB - freed.memoryMiB } : counted;
    const obj: Host | undefined = view.host(host.name);
    const up = obj !== undefined && inService(obj) && !input.notAlive.has(host.name);
    hosts.push(up === (host.up !== false) ? host : { ...host, up });
    if (!dead.has(host.name) && (used.vcpus > 0 || used.memoryMiB > 0)) running.push({ name: AGGREGATE + host.name, host: host.name, vcpus: used.vcpus, memoryMiB: used.memoryMiB });
  }
  if (orphaned > 0) hosts.push({ name: NOWHERE, vcpus: 1, memoryMiB: 1, up: false });
  const names = new Set(hosts.map((h) => h.name));
  const haZone = { hosts, vms: [...running, ...due] };
  const policy = admissionPolicy(zone, haZone);
  const plan = planRestarts({
    zone: haZone,
    failedHosts: [...dead, ...(orphaned > 0 ? [NOWHERE] : [])].filter((h) => names.has(h)),
    policy,
    canPlace: input.check.canPlace,
    now,
    history: input.history,
    ...(input.retry !== undefined ? { retry: input.retry } : {}),
  });
  const numa = new Map<string, readonly number[]>();
  for (const p of plan.placements) numa.set(p.vm, input.check.numaFor(p.vm, p.host) ?? []);
  return { plan, policy, numa, waiting, planned: due.map((v) => v.name), targets: hosts.filter((h) => h.up !== false).length };
}
