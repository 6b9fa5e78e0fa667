/**
 * DRS in the VM design, through the pure `src/drs` layer: every interval, per zone, a pass over
 * the running VMs' entitlements (from the last contention pass) with the scheduler's own rules as
 * `canPlace`; in fully automated mode every recommendation becomes a live migration on the
 * simulated datacenter (pre-copy model, 8 concurrent per host). Also measures each zone's
 * imbalance for the samples.
 */
import { automaticRecommendations, measureImbalance, planDrsPass, type DrsHost, type DrsState, type DrsVm, type Recommendation } from '../../drs/index.js';
import type { EngineContext } from './context.js';
import { liveCanPlace } from './live-can-place.js';
import type { PodManager } from './pods.js';
import type { VmPlatform } from './vm-platform.js';
import type { Machine } from './world.js';

/**
 * How long a move's gain is expected to last, 0..1, from the demand profiles of the VM's pods
 * weighted by their requests: constant 1, diurnal 1 - amplitude/2 (the load swings back within
 * hours), bursty 0.25 (bursts last minutes). Our assumption; it keeps DRS from chasing bursts.
 */
export function demandStability(m: Machine): number {
  let w = 0;
  let sum = 0;
  for (const pod of m.node?.pods ?? []) {
    const d = pod.workload.spec.demand;
    const weight = Math.max(1, pod.workload.spec.requestMillis);
    const s = d.kind === 'constant' ? 1 : d.kind === 'diurnal' ? 1 - d.amplitudePercent / 200 : 0.25;
    w += weight;
    sum += weight * s;
  }
  return w > 0 ? sum / w : 1;
}

export class VmDrs {
  constructor(
    private readonly ctx: EngineContext,
    private readonly platform: VmPlatform,
    private readonly pods: PodManager,
    /** Makes sure machines carry current entitlements. */
    private readonly refreshEntitlements: () => void,
  ) {}

  /** Schedules the passes: every interval from the start, for the whole run. */
  start(): void {
    const { scenario, agenda } = this.ctx;
    if (!scenario.drs.enabled) return;
    for (let t = scenario.drs.intervalMs; t <= scenario.durationMs; t += scenario.drs.intervalMs) agenda.at(scenario.startMs + t, () => this.pass());
  }

  /**
   * Each zone's hosts that are up and running VMs, as DRS sees them, in one sweep over the
   * machines. For a pass, VMs that are moving are left out (DRS must not move them again); for
   * measuring, they count where they still run.
   */
  zoneStates(forPass: boolean): Map<string, DrsState> {
    const coreMHz = this.ctx.scenario.coreMHz;
    const out = new Map<string, { hosts: DrsHost[]; vms: DrsVm[] }>();
    for (const zone of this.platform.zones.keys()) out.set(zone, { hosts: [], vms: [] });
    for (const h of this.platform.inventory.values()) {
      if (this.platform.up.has(h.name)) out.get(h.zone)?.hosts.push({ name: h.name, cpuMHz: h.cores * coreMHz, memoryMiB: h.memoryMiB, nicMbps: h.nicMbps });
    }
    for (const m of this.ctx.machines.values()) {
      if (!m.running || m.gone || m.vmId === undefined || m.host === undefined || (forPass && m.migrating)) continue;
      const zone = this.platform.zoneOf(m.host);
      const state = zone === undefined ? undefined : out.get(zone);
      if (state === undefined) continue;
      const vm: DrsVm = { name: m.key, host: m.host, cpuMHz: m.cpuEntitlementMHz, memoryMiB: m.memoryEntitlementMiB, sizeMiB: m.memoryMiB };
      state.vms.push(forPass ? { ...vm, demandStability: demandStability(m) } : vm);
    }
    return out;
  }

  /** Each zone's imbalance (population std-dev of normalized entitlement, CPU and memory weighted). */
  imbalance(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [zone, state] of this.zoneStates(false)) if (state.hosts.length > 0) out[zone] = measureImbalance(state).imbalance;
    return out;
  }

  private pass(): void {
    this.refreshEntitlements();
    const { ctx, platform } = this;
    for (const state of this.zoneStates(true).values()) {
      if (state.hosts.length < 2 || state.vms.length === 0) continue;
      const result = planDrsPass(state, {
        threshold: ctx.scenario.drs.threshold,
        passIntervalMs: ctx.scenario.drs.intervalMs,
        canPlace: liveCanPlace(platform.snapshot, (k) => platform.requestOf(k), platform.profile),
      });
      ctx.counters.drsPasses++;
      const recs = automaticRecommendations('fullyAutomated', result.recommendations);
      ctx.counters.drsRecommendations += recs.length;
      // The live snapshot mirrored the pass's view up to its last check; make it hold exactly the plan.
      const planned = new Map(state.vms.map((v) => [v.name, v.host]));
      for (const rec of recs) planned.set(rec.vm, rec.to);
      for (const [key, host] of planned) {
        const req = platform.requestOf(key);
        if (req !== undefined && platform.snapshot.placement(key)?.host !== host) platform.snapshot.assume(req, host);
      }
      for (const rec of recs) this.migrate(rec);
    }
  }

  private migrate(rec: Recommendation): void {
    const { ctx, platform } = this;
    const m = ctx.machines.get(rec.vm);
    const req = platform.requestOf(rec.vm);
    if (!m || !req) return;
    if (m.vmId === undefined || !m.running || m.migrating || m.host !== rec.from) {
      if (m.host !== undefined && platform.up.has(m.host)) platform.snapshot.assume(req, m.host);
      return;
    }
    const gen = platform.generation(m);
    m.migrating = true;
    ctx.driver
      .migrateVm(m.vmId, rec.to, { numaNodes: platform.numaOf(m.key) })
      .then((r) => {
        m.migrating = false;
        if (platform.generation(m) !== gen || m.gone) return;
        m.host = rec.to;
        ctx.counters.migrations++;
        ctx.counters.migrationSeconds += r.totalMs / 1000;
        ctx.counters.migratedMiB += r.transferredMiB;
        if (m.node) this.pods.nodeMoved(m.node);
      })
      .catch(() => {
        m.migrating = false;
        if (ctx.finished()) return;
        ctx.counters.failedMigrations++;
        // The VM stays on its source unless that host failed (then HA owns it).
        if (platform.generation(m) === gen && !m.gone && m.host !== undefined && platform.up.has(m.host)) platform.snapshot.assume(req, m.host);
      });
  }
}
