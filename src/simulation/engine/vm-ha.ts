/**
 * vSphere HA in the VM design, through the pure `src/ha` layer: a failed host is declared dead
 * after the detection time (`assessHost`), then `planRestarts` places its VMs on the survivors
 * (highest restart priority first, worst fit, the scheduler's own rules as `canPlace`) and each
 * placed VM is re-created there with the simulator's modeled clone + boot. VMs that fit nowhere
 * are retried on vSphere's schedule (+2, +6, +14, +30 min) and then abandoned.
 */
import { assessHost, planRestarts, type HaHost, type HaVm, type RestartHistory } from '../../ha/index.js';
import type { FailureRecord } from '../metrics/recovery.js';
import type { EngineContext } from './context.js';
import { liveCanPlace } from './live-can-place.js';
import type { VmPlatform } from './vm-platform.js';
import type { Machine } from './world.js';

export class VmHa {
  constructor(
    private readonly ctx: EngineContext,
    private readonly platform: VmPlatform,
  ) {}

  /** Called when `host` fails: schedules detection, then the restart plan. */
  hostFailed(host: string, record: FailureRecord): void {
    if (!this.ctx.scenario.ha.enabled) return;
    const failedAt = this.ctx.clock.now();
    this.ctx.agenda.after(this.ctx.scenario.ha.detectionMs, () => {
      const a = assessHost({ lastHeartbeatMs: failedAt, now: this.ctx.clock.now(), deadAfterMs: this.ctx.scenario.ha.detectionMs });
      if (a.state !== 'dead') return;
      this.ctx.recovery.detected(record, this.ctx.elapsed());
      this.restart(host, new Map());
    });
  }

  private lostOn(host: string): Machine[] {
    const out: Machine[] = [];
    for (const m of this.ctx.machines.values()) if (m.host === host && !m.running && !m.gone) out.push(m);
    return out;
  }

  private restart(host: string, history: Map<string, RestartHistory>): void {
    const { ctx, platform } = this;
    const lost = this.lostOn(host);
    const zone = platform.zoneOf(host);
    if (lost.length === 0 || zone === undefined) return;
    const hosts: HaHost[] = [];
    for (const h of platform.inventory.values()) {
      if (h.zone !== zone) continue;
      const info = platform.snapshot.host(h.name);
      hosts.push({ name: h.name, vcpus: info?.cpuCapacity ?? 0, memoryMiB: info?.memoryCapacity ?? 0, up: platform.up.has(h.name) });
    }
    const vms: HaVm[] = [];
    for (const m of ctx.machines.values()) {
      // Booting and running VMs hold capacity; those of other failed hosts sit on hosts that are not targets.
      if (m.gone || m.host === undefined || platform.zoneOf(m.host) !== zone) continue;
      vms.push({ name: m.key, host: m.host, vcpus: m.cpus, memoryMiB: m.memoryMiB, restartPriority: m.restartPriority });
    }
    const now = ctx.clock.now();
    const plan = planRestarts({
      zone: { hosts, vms },
      failedHosts: [host],
      now,
      history,
      canPlace: liveCanPlace(platform.snapshot, (k) => platform.requestOf(k), platform.profile),
    });
    for (const p of plan.placements) {
      const m = ctx.machines.get(p.vm);
      const req = platform.requestOf(p.vm);
      if (!m || !req) continue;
      platform.snapshot.assume(req, p.host);
      const old = m.vmId;
      if (old !== undefined) ctx.driver.deleteVm(old).catch(() => undefined);
      platform.launch(m, p.host, platform.numaOf(m.key));
      ctx.counters.haRestarts++;
    }
    const placed = new Set(plan.placements.map((p) => p.vm));
    for (const m of lost) if (!placed.has(m.key)) platform.snapshot.forget(m.key);
    let next: number | undefined;
    for (const p of plan.pending) {
      history.set(p.vm, { attempts: p.attempt, firstAttemptAt: history.get(p.vm)?.firstAttemptAt ?? now });
      next = next === undefined ? p.nextAttemptAt : Math.min(next, p.nextAttemptAt);
    }
    for (const a of plan.abandoned) {
      ctx.counters.haAbandoned++;
      ctx.note(`HA gave up restarting ${a.vm} after ${a.attempts} attempts: ${a.reason}`);
    }
    if (next !== undefined) ctx.agenda.at(next, () => this.restart(host, history));
  }
}
