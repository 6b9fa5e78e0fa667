/**
 * HA's verdict on every host of an HA-enabled zone — alive, isolated (silent on the management
 * network, datastore heartbeats continue: its VMs keep running and are never restarted elsewhere)
 * or dead (silent on both for the zone's `deadAfterSeconds`, plus the datastore check) — re-judged
 * on a periodic tick of the infrastructure clock. Changes are reported to the controllers that
 * write host conditions and restart VMs.
 */
import type { Host, Zone } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { Informer } from '../../controllers/index.js';
import type { HostAssessment, HostHealth } from '../../ha/index.js';
import { deadAfterMs, haEnabled } from '../model/ha-config.js';
import type { HeartbeatMonitor } from './heartbeat-monitor.js';

/** How often hosts are judged, ms of infrastructure time (FDM's heartbeats are 1 s apart). */
export const HA_TICK_MS = 1_000;

export interface HealthChange {
  readonly host: string;
  readonly zone: string;
  readonly from: HostHealth;
  readonly to: HostAssessment;
}

export class HostHealthTracker {
  private readonly verdicts = new Map<string, HostAssessment>();
  private readonly observers: ((c: HealthChange) => void)[] = [];
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly beats: HeartbeatMonitor,
    private readonly hosts: Informer<Host>,
    private readonly zones: Informer<Zone>,
    private readonly clock: Clock,
    private readonly onChange: (c: HealthChange) => void,
  ) {}

  /** Also tells `fn` of every change (benchmarks, tests). */
  observe(fn: (c: HealthChange) => void): void {
    this.observers.push(fn);
  }

  /** alive unless judged otherwise. */
  state(host: string): HostHealth {
    return this.verdicts.get(host)?.state ?? 'alive';
  }

  assessment(host: string): HostAssessment | undefined {
    return this.verdicts.get(host);
  }

  /** Hosts of the zone currently judged dead. */
  dead(zone: string): Set<string> {
    const out = new Set<string>();
    for (const [host, a] of this.verdicts) if (a.state === 'dead' && this.hosts.get(host)?.spec?.zone === zone) out.add(host);
    return out;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.tick();
      this.timer = this.clock.setTimeout(tick, HA_TICK_MS);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  /** Judges every host of an HA-enabled zone; reports the ones whose verdict changed. */
  tick(): void {
    for (const h of this.hosts.list()) {
      const name = h.metadata.name;
      const zoneName = h.spec?.zone ?? '';
      const zone = this.zones.get(zoneName);
      const prev = this.verdicts.get(name);
      if (!haEnabled(zone)) {
        if (prev) this.verdicts.delete(name);
        continue;
      }
      const threshold = deadAfterMs(zone);
      // Fast path: heard from recently and judged alive before.
      if ((prev === undefined || prev.state === 'alive') && this.beats.silentMs(name) < this.beats.effectiveDeadAfter(threshold)) {
        if (prev) this.verdicts.delete(name);
        continue;
      }
      const next = this.beats.assess(name, threshold);
      const before = prev?.state ?? 'alive';
      if (next.state === 'alive') this.verdicts.delete(name);
      else this.verdicts.set(name, next);
      if (next.state === before) continue;
      const change = { host: name, zone: zoneName, from: before, to: next };
      this.onChange(change);
      for (const fn of this.observers) fn(change);
    }
  }
}
