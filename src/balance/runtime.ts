/**
 * The balance capability's in-memory state for one platform: the last usage computation (served by
 * `top` and `/metrics`, recomputed when older than one 20 s sample of simulated time) and the last
 * DRS pass of each zone. Controllers and routes of the same platform find it through the store
 * they share; nothing here is authoritative (the store is), so a restart only loses history.
 */
import type { Host, Pod, VirtualMachine } from '../api/index.js';
import type { DrsRecommendationObject, ResourcePoolObject } from '../api/kinds/balance-kinds.js';
import type { Clock } from '../clock/index.js';
import { READY_SAMPLE_MS } from '../resources/index.js';
import type { Store } from '../store/index.js';
import type { VmLookup } from './drs/apply-recommendation.js';
import type { DrsPassSummary } from './drs/pass-summary.js';
import { computeUsage, type UsageSnapshot } from './model/usage-snapshot.js';

/** Where the objects of a computation come from (the shared informers' caches). */
export interface UsageSources {
  hosts(): readonly Host[];
  vms(): readonly VirtualMachine[];
  pods(): readonly Pod[];
  pools(): readonly ResourcePoolObject[];
  recommendations(): readonly DrsRecommendationObject[];
}

/** What routes may ask of the controller. */
export interface PassRunner {
  /** Runs a zone's pass now; undefined when the zone does not exist. */
  runPass(zone: string): Promise<DrsPassSummary | undefined>;
  /** Where VMs run now. */
  lookup(): VmLookup;
}

export class BalanceRuntime {
  /** Set by the controller once it is built. */
  runner: PassRunner | undefined;
  private last: UsageSnapshot | undefined;
  /** The last pass of each zone. */
  readonly passes = new Map<string, DrsPassSummary>();
  /** Per zone: passes run and migrations issued since start (Prometheus counters). */
  readonly passCount = new Map<string, number>();
  readonly migrationCount = new Map<string, number>();

  constructor(
    readonly sources: UsageSources,
    /** The simulated datacenter's clock: demand profiles are evaluated at its time. */
    readonly clock: Clock,
  ) {}

  /** The usage computation, recomputed when older than `maxAgeMs` of simulated time. */
  snapshot(maxAgeMs = READY_SAMPLE_MS): UsageSnapshot {
    const now = this.clock.now();
    const last = this.last;
    if (last !== undefined && now >= last.atMs && now - last.atMs <= maxAgeMs) return last;
    const s = this.sources;
    const next = computeUsage({ hosts: s.hosts(), vms: s.vms(), pods: s.pods(), pools: s.pools() }, now);
    this.last = next;
    return next;
  }

  /** Forgets the cached computation (objects changed in a way the next reader must see). */
  invalidate(): void {
    this.last = undefined;
  }

  recordPass(summary: DrsPassSummary): void {
    this.passes.set(summary.zone, summary);
    if (summary.outcome === 'ran') this.passCount.set(summary.zone, (this.passCount.get(summary.zone) ?? 0) + 1);
    if (summary.migrations > 0) this.migrationCount.set(summary.zone, (this.migrationCount.get(summary.zone) ?? 0) + summary.migrations);
  }
}

const runtimes = new WeakMap<Store, BalanceRuntime>();

/** Makes a platform's runtime findable by its routes. */
export function registerRuntime(store: Store, runtime: BalanceRuntime): void {
  runtimes.set(store, runtime);
}

/** The runtime of the platform that owns `store`, if its controllers were started. */
export function runtimeOf(store: Store): BalanceRuntime | undefined {
  return runtimes.get(store);
}
