/**
 * The HA restart controller, one reconcile per zone: when hosts are declared dead (or a host comes
 * back into service while VMs wait), plans a restart pass and applies it in restart order. A placed
 * VM gets its new host, NUMA nodes, an explanation and `HaRestart=True (Restarting)`; the VM
 * controller then creates it there (and flips the condition to `Restarted` once it runs). A VM
 * that fits nowhere yet keeps its dead host and gets `HaRestart=True (WaitingForCapacity)` with the
 * reason and the next attempt (vSphere's T0, +2, +6, +14, +30 min); after the last one,
 * `HaRestart=False (Abandoned)` hands it to whoever else may act (the cluster resurrector).
 * The retry history lives in memory: after a control-plane restart the count starts again.
 */
import { ConflictError, getCondition, setCondition, type Condition, type PlacementExplanation, type VirtualMachine, type VirtualMachineStatus, type Zone } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import { HA_RESTART_CONDITION, type Informer, type ReconcileResult, type Reconciler } from '../../controllers/index.js';
import type { RestartHistory, RestartPlacement } from '../../ha/index.js';
import type { Driver } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { haEnabled } from '../model/ha-config.js';
import type { HeartbeatMonitor } from './heartbeat-monitor.js';
import type { HostHealthTracker } from './host-health.js';
import { planZoneRestarts, type RestartPass } from './restart-pass.js';
import type { ZoneTally } from './zone-tally.js';
import type { LiveSnapshot } from '../model/live-snapshot.js';
import type { FilterPlugin } from '../../scheduler/index.js';
import { SchedulerCheck } from '../model/scheduler-check.js';

type History = RestartHistory & { readonly nextAttemptAt: number };

/** How often a zone with claimed VMs on hosts not (yet) dead is looked at again, ms of infra time. */
export const ORPHAN_CHECK_MS = 5_000;

/** What one pass did, for tests, benchmarks and logs. */
export interface PassReport {
  readonly zone: string;
  readonly placed: number;
  readonly pending: number;
  readonly abandoned: number;
  /** Wall time of planning (reading the caches, the plan, NUMA), ms. */
  readonly planMs: number;
  /** Wall time of planning and writing, ms. */
  readonly wallMs: number;
}

export class RestartController implements Reconciler {
  readonly name = 'ha-restart';
  private readonly history = new Map<string, History>();
  private readonly timers = new Map<string, TimerHandle>();
  /** Called after every pass that had work (benchmarks, tests). */
  onPass: ((r: PassReport) => void) | undefined;
  /** VMs claimed by HA (Lost, HaRestart=True), by name: their zone, and when the claim was seen (infra time). */
  private readonly claims = new Map<string, { readonly zone: string; readonly since: number }>();

  constructor(
    private readonly store: Store,
    private readonly driver: Driver,
    /** Control-plane time: condition timestamps. */
    private readonly clock: Clock,
    /** Infrastructure time: failure detection and the retry schedule. */
    private readonly infraClock: Clock,
    private readonly view: ClusterView,
    private readonly tally: ZoneTally,
    private readonly live: LiveSnapshot,
    private readonly zones: Informer<Zone>,
    private readonly health: HostHealthTracker,
    private readonly beats: HeartbeatMonitor,
    private readonly enqueue: (zone: string) => void,
    /** Placement filters other capabilities add for recovery too (DRS must rules). */
    private readonly extraFilters: () => readonly FilterPlugin[] = () => [],
  ) {}

  /** A host came back into service: VMs waiting for room are tried now rather than at their retry time. */
  capacityAppeared(zone: string): void {
    for (const [vm, h] of this.history) this.history.set(vm, { ...h, nextAttemptAt: Math.min(h.nextAttemptAt, this.infraClock.now()) });
    this.enqueue(zone);
  }

  forget(vm: string): void {
    this.history.delete(vm);
    this.claims.delete(vm);
  }

  /** Tracks a VM HA has claimed; its zone is looked at again, whether or not its host is dead. */
  vmChanged(vm: VirtualMachine): void {
    const name = vm.metadata.name;
    const claimed = vm.status?.phase === 'Lost' && getCondition(vm.status.conditions, HA_RESTART_CONDITION)?.status === 'True';
    const zone = vm.status?.zone;
    if (claimed && zone !== undefined) {
      if (!this.claims.has(name)) {
        this.claims.set(name, { zone, since: this.infraClock.now() });
        this.enqueue(zone);
      }
    } else this.claims.delete(name);
  }

  stop(): void {
    for (const t of this.timers.values()) this.infraClock.clearTimeout(t);
    this.timers.clear();
  }

  async reconcile(zoneName: string): Promise<ReconcileResult | void> {
    const zone = this.zones.get(zoneName);
    if (!haEnabled(zone) || zone === undefined) return;
    const started = performance.now();
    const dead = this.health.dead(zoneName);
    // Claimed VMs whose host is not dead but has been heard from since they were lost: it came back
    // empty (or rebooted before being declared dead). The rest wait for the dead declaration.
    const orphans: string[] = [];
    let undecided = false;
    for (const [vm, c] of this.claims) {
      const host = this.view.vm(vm)?.status?.host;
      if (c.zone !== zoneName || host === undefined || dead.has(host)) continue;
      if ((this.beats.lastHeard(host) ?? -Infinity) > c.since) orphans.push(vm);
      else undecided = true;
    }
    if (undecided) this.wakeAt(zoneName, this.infraClock.now() + ORPHAN_CHECK_MS);
    if (dead.size === 0 && orphans.length === 0) return;
    const notAlive = new Set(this.view.hosts().filter((h) => h.spec?.zone === zoneName && this.health.state(h.metadata.name) !== 'alive').map((h) => h.metadata.name));
    const now = this.infraClock.now();
    const check = new SchedulerCheck(this.live.snapshot, (k) => this.view.vm(k), this.extraFilters());
    let pass: RestartPass | undefined;
    let conflicts = 0;
    let planMs = 0;
    try {
      pass = planZoneRestarts({ zone, view: this.view, tally: this.tally, check, dead, orphans, notAlive, now, history: this.history });
      planMs = performance.now() - started;
      if (pass !== undefined) conflicts = await this.apply(pass, dead);
    } finally {
      // Planning moved the VMs in the live snapshot; the cache (now with the writes) says where they are.
      if (pass !== undefined) this.live.resync(pass.planned);
    }
    if (pass === undefined) return;
    this.onPass?.({ zone: zoneName, placed: pass.plan.placements.length, pending: pass.plan.pending.length, abandoned: pass.plan.abandoned.length, planMs, wallMs: performance.now() - started });
    let next = Infinity;
    for (const p of pass.plan.pending) next = Math.min(next, p.nextAttemptAt);
    for (const w of pass.waiting) next = Math.min(next, w.at);
    if (Number.isFinite(next)) this.wakeAt(zoneName, next);
    if (conflicts > 0) return { requeueAfter: 0 };
  }

  /** Re-enqueues the zone at an infrastructure time (retries follow the simulated clock). */
  private wakeAt(zone: string, at: number): void {
    const old = this.timers.get(zone);
    if (old) this.infraClock.clearTimeout(old);
    this.timers.set(
      zone,
      this.infraClock.setTimeout(() => {
        this.timers.delete(zone);
        this.enqueue(zone);
      }, Math.max(0, at - this.infraClock.now())),
    );
  }

  /** Writes the pass in restart order; returns how many VMs changed under it (tried again at once). */
  private async apply(pass: RestartPass, dead: ReadonlySet<string>): Promise<number> {
    const { plan } = pass;
    let conflicts = 0;
    const write = async (vm: VirtualMachine, status: VirtualMachineStatus): Promise<void> => {
      try {
        await this.store.update({ ...vm, status }, { subresource: 'status' });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        conflicts++;
      }
    };
    for (const p of plan.placements) {
      const vm = this.view.vm(p.vm);
      if (vm === undefined || vm.metadata.deletionTimestamp) continue;
      this.history.delete(p.vm);
      const old = vm.status?.vmId;
      // The dead host's copy is unregistered (releasing its disks for the new one); its outcome does not matter.
      if (old !== undefined) void this.driver.deleteVm(old).catch(() => undefined);
      await write(vm, this.restarted(vm, p, pass));
    }
    for (const p of plan.pending) {
      const vm = this.view.vm(p.vm);
      if (vm === undefined) continue;
      const prev = this.history.get(p.vm);
      this.history.set(p.vm, { attempts: p.attempt, firstAttemptAt: prev?.firstAttemptAt ?? this.infraClock.now(), nextAttemptAt: p.nextAttemptAt });
      const inS = Math.round((p.nextAttemptAt - this.infraClock.now()) / 1000);
      await this.condition(vm, 'True', 'WaitingForCapacity', `attempt ${p.attempt} (priority ${p.priority}): ${p.reason}; next attempt in ${inS} s`, write);
    }
    for (const a of plan.abandoned) {
      const vm = this.view.vm(a.vm);
      this.history.delete(a.vm);
      if (vm) await this.condition(vm, 'False', 'Abandoned', a.reason, write);
    }
    for (const s of plan.skipped) {
      const vm = this.view.vm(s.vm);
      if (vm && dead.has(vm.status?.host ?? '')) await this.condition(vm, 'False', 'Disabled', `not restarted: ${s.reason}`, write);
    }
    return conflicts;
  }

  private async condition(vm: VirtualMachine, status: Condition['status'], reason: string, message: string, write: (vm: VirtualMachine, s: VirtualMachineStatus) => Promise<void>): Promise<void> {
    const prev = getCondition(vm.status?.conditions, HA_RESTART_CONDITION);
    if (prev?.status === status && prev.reason === reason && prev.message === message) return;
    const conditions = setCondition(vm.status?.conditions, { type: HA_RESTART_CONDITION, status, reason, message, observedGeneration: vm.metadata.generation ?? 1 }, this.nowIso());
    await write(vm, { ...vm.status, conditions });
  }

  private restarted(vm: VirtualMachine, p: RestartPlacement, pass: RestartPass): VirtualMachineStatus {
    const from = vm.status?.host ?? '?';
    const { vmId: _id, bootedAt: _b, ...rest } = vm.status ?? {};
    const why = this.health.state(from) === 'dead' ? 'was declared dead' : 'failed';
    const message = `restarted by HA on ${p.host} after ${from} ${why}: ${p.reason} (restart priority ${p.priority}, wave ${p.wave})`;
    const placement: PlacementExplanation = { evaluated: pass.targets, feasible: pass.targets, filtered: {}, topScores: [], chosen: p.host, durationMicros: 0, message };
    const gen = vm.metadata.generation ?? 1;
    const now = this.nowIso();
    let conditions = setCondition(rest.conditions, { type: 'Scheduled', status: 'True', reason: 'HaRestart', message, observedGeneration: gen }, now);
    conditions = setCondition(conditions, { type: HA_RESTART_CONDITION, status: 'True', reason: 'Restarting', message, observedGeneration: gen }, now);
    conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'Restarting', message: `restarting on ${p.host}`, observedGeneration: gen }, now);
    const zone = this.view.host(p.host)?.spec?.zone;
    return { ...rest, phase: 'Provisioning', host: p.host, ...(zone ? { zone } : {}), numaNodes: [...(pass.numa.get(p.vm) ?? [])], placement, conditions };
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
