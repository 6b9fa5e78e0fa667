/**
 * The balance controller: one reconcile per zone, on the simulated datacenter's clock. Every
 * `intervalSeconds` (default 300) a zone's pass:
 *
 *   usage snapshot (demand from pods and profiles ─▶ entitlements under contention)
 *     ─▶ DRS state (hosts by mode, VMs by entitlement; migrating VMs stay put)
 *     ─▶ rules of the zone (contradictions dropped with their reason)
 *     ─▶ planDrsPass (threshold, rules, the scheduler's own filters as canPlace)
 *     ─▶ manual / partiallyAutomated: Pending DrsRecommendations
 *        fullyAutomated: recommendations applied at once (VmMigrations with reason DRS)
 *     ─▶ statuses of the zone's VMs, pools and rules (only what moved)
 *
 * In fullyAutomated mode a pass waits while the migrations of the zone's previous pass are
 * unfinished (they change the very loads it would balance), for at most three intervals.
 */
import type { Logger } from 'pino';
import { isoNow, type Clock, type TimerHandle } from '../../clock/index.js';
import type { Host, Pod, Tenant, VirtualMachine, VmMigration, Zone } from '../../api/index.js';
import type { DrsRecommendationObject, DrsRuleObject, ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import type { Informer, Reconciler } from '../../controllers/index.js';
import { planDrsPass, schedulerCanPlace } from '../../drs/index.js';
import type { MigrationTimings } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { VmLookup } from '../drs/apply-recommendation.js';
import { drsStateOf } from '../drs/drs-state.js';
import type { DrsPassSummary } from '../drs/pass-summary.js';
import { zoneRules } from '../drs/rule-objects.js';
import { drsSettingsOf, migratesAutomatically, type DrsSettings } from '../drs/settings.js';
import { RECOMMENDATION_LABEL, VM_DRS_ANNOTATION, ZONE_LABEL } from '../model/labels.js';
import type { BalanceRuntime } from '../runtime.js';
import { RecommendationSync } from './recommendation-sync.js';
import { StatusWriter } from './status-writer.js';

export interface BalanceInformers {
  readonly zones: Informer<Zone>;
  readonly hosts: Informer<Host>;
  readonly vms: Informer<VirtualMachine>;
  readonly tenants: Informer<Tenant>;
  readonly pods: Informer<Pod>;
  readonly pools: Informer<ResourcePoolObject>;
  readonly rules: Informer<DrsRuleObject>;
  readonly recommendations: Informer<DrsRecommendationObject>;
  readonly migrations: Informer<VmMigration>;
}

export interface BalanceControllerDeps {
  readonly store: Store;
  /** The simulated datacenter's clock: passes are periodic in its time. */
  readonly clock: Clock;
  readonly log: Logger;
  readonly runtime: BalanceRuntime;
  readonly informers: BalanceInformers;
  readonly enqueue: (zone: string) => void;
  /** The simulator's pre-copy parameters, for migration costs; the pure layer's default otherwise. */
  readonly timings?: MigrationTimings;
  readonly seed?: number;
}

/** Pending migrations older than this many intervals no longer hold a fully automated pass back. */
const MAX_WAIT_INTERVALS = 3;
const FINISHED = new Set(['Succeeded', 'Failed']);

export class BalanceController implements Reconciler {
  readonly name = 'balance';
  private readonly lastRun = new Map<string, number>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly status: StatusWriter;
  private readonly recs: RecommendationSync;
  /** Passes run one at a time (reconciles and on-demand runs share it). */
  private lock: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: BalanceControllerDeps) {
    const i = deps.informers;
    this.status = new StatusWriter({ store: deps.store, log: deps.log, vms: i.vms, pools: i.pools, rules: i.rules });
    this.recs = new RecommendationSync({ store: deps.store, log: deps.log, recommendations: i.recommendations });
  }

  async reconcile(zone: string): Promise<void> {
    if (this.stopped) return;
    const z = this.deps.informers.zones.get(zone);
    if (z === undefined) {
      this.cancel(zone);
      this.lastRun.delete(zone);
      this.deps.runtime.passes.delete(zone);
      return;
    }
    const settings = drsSettingsOf(z);
    const now = this.deps.clock.now();
    if (!this.lastRun.has(zone)) this.lastRun.set(zone, now);
    const due = (this.lastRun.get(zone) as number) + settings.intervalMs;
    if (now < due) {
      this.schedule(zone, due - now);
      return;
    }
    await this.runPass(zone);
  }

  /** Runs a pass of `zone` now (also "Run DRS now" from the API) and schedules the next one. */
  runPass(zone: string): Promise<DrsPassSummary | undefined> {
    const run = this.lock.then(async () => {
      const z = this.deps.informers.zones.get(zone);
      if (z === undefined || this.stopped) return undefined;
      const settings = drsSettingsOf(z);
      const summary = await this.pass(zone, settings);
      this.deps.runtime.recordPass(summary);
      this.lastRun.set(zone, this.deps.clock.now());
      this.schedule(zone, settings.intervalMs);
      return summary;
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.stopped = true;
    for (const zone of [...this.timers.keys()]) this.cancel(zone);
  }

  private schedule(zone: string, ms: number): void {
    this.cancel(zone);
    if (this.stopped) return;
    this.timers.set(
      zone,
      this.deps.clock.setTimeout(() => {
        this.timers.delete(zone);
        this.deps.enqueue(zone);
      }, ms),
    );
  }

  private cancel(zone: string): void {
    const t = this.timers.get(zone);
    if (t !== undefined) this.deps.clock.clearTimeout(t);
    this.timers.delete(zone);
  }

  private async pass(zone: string, settings: DrsSettings): Promise<DrsPassSummary> {
    const { informers: inf, runtime, clock, log } = this.deps;
    const t0 = performance.now();
    const at = isoNow(clock);
    const base = { zone, at, settings, hosts: 0, vms: 0, recommendations: 0, migrations: 0, unresolved: [], droppedRules: [] };
    const unfinished = inf.migrations.list().filter((m) => !FINISHED.has(m.status?.phase ?? 'Pending'));
    const snapshot = runtime.snapshot(0);
    const hosts = inf.hosts.list();
    const zoneHosts = hosts.filter((h) => h.spec?.zone === zone && h.status?.state !== 'Failed').map((h) => h.metadata.name);
    const { rules, dropped } = zoneRules(inf.rules.list(), zone, zoneHosts);
    const droppedRules = [...dropped].map(([rule, reason]) => ({ rule, reason }));
    await this.status.writeZone(zone, snapshot, rules, dropped);
    if (!settings.enabled) {
      await this.recs.showPending(zone, [], this.passInfo(at, settings, 0, 0, 0));
      return { ...base, outcome: 'disabled', message: 'DRS is disabled in this zone (spec.drs.enabled: false)', droppedRules, wallMs: performance.now() - t0 };
    }
    if (migratesAutomatically(settings)) {
      const horizon = clock.now() - MAX_WAIT_INTERVALS * settings.intervalMs;
      const waiting = unfinished.filter(
        (m) => m.metadata.labels?.[ZONE_LABEL] === zone && m.metadata.labels[RECOMMENDATION_LABEL] !== undefined && Date.parse(m.metadata.creationTimestamp ?? at) >= horizon,
      );
      if (waiting.length > 0) {
        return { ...base, outcome: 'waiting', message: `waiting for ${waiting.length} migration(s) of the last pass`, droppedRules, wallMs: performance.now() - t0 };
      }
    }
    const busy = new Set(unfinished.map((m) => m.spec?.vm).filter((v): v is string => v !== undefined));
    const immovable = { has: (vm: string) => busy.has(vm) || inf.vms.get(vm)?.metadata.annotations?.[VM_DRS_ANNOTATION] === 'disabled' };
    const state = drsStateOf(zone, snapshot, hosts, immovable);
    try {
      const canPlace = schedulerCanPlace({ hosts, zones: inf.zones.list(), tenants: inf.tenants.list(), vms: inf.vms.list(), seed: this.deps.seed ?? 1 });
      const result = planDrsPass(state, {
        threshold: settings.threshold,
        rules,
        canPlace,
        passIntervalMs: settings.intervalMs,
        ...(this.deps.timings !== undefined ? { timings: this.deps.timings } : {}),
      });
      const info = this.passInfo(at, settings, result.target, result.before.imbalance, result.after.imbalance);
      let migrations = 0;
      if (migratesAutomatically(settings)) migrations = await this.recs.applyAll(zone, result.recommendations, info, this.lookup(), at);
      else await this.recs.showPending(zone, result.recommendations, info);
      await this.recs.prune(zone);
      return {
        ...base,
        outcome: 'ran',
        hosts: state.hosts.length,
        vms: state.vms.length,
        target: result.target,
        before: result.before,
        after: result.after,
        stopReason: result.stopReason,
        evaluated: result.evaluated,
        recommendations: result.recommendations.length,
        migrations,
        unresolved: result.unresolved,
        droppedRules,
        wallMs: performance.now() - t0,
      };
    } catch (err) {
      log.warn({ zone, err: (err as Error).message }, 'drs: pass failed');
      return { ...base, outcome: 'error', message: (err as Error).message, hosts: state.hosts.length, vms: state.vms.length, droppedRules, wallMs: performance.now() - t0 };
    }
  }

  private passInfo(at: string, s: DrsSettings, target: number, before: number, after: number) {
    const sig = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);
    return { at, automation: s.automation, threshold: s.threshold, target: sig(target), imbalanceBefore: sig(before), imbalanceAfter: sig(after) };
  }

  /** Where VMs run now, from the VM informer (what apply checks recommendations against). */
  lookup(): VmLookup {
    const vms = this.deps.informers.vms;
    return {
      hostOf: (name) => {
        const vm = vms.get(name);
        return vm?.status?.phase === 'Running' ? vm.status.host : undefined;
      },
      tenantOf: (name) => vms.get(name)?.spec?.tenant,
    };
  }
}
