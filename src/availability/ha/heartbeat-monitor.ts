/**
 * What HA hears from each host, on the infrastructure's clock: the last management-network
 * heartbeat and, when the driver has heartbeat datastores, the last datastore heartbeat (FDM's two
 * channels, scheduling-perf.md §4.3). Driver failure events are deliberately ignored: a real
 * control plane learns of a dead host only from its silence.
 */
import type { Clock } from '../../clock/index.js';
import { assessHost, type HostAssessment } from '../../ha/index.js';
import type { InfraEvent } from '../../infra/index.js';

/** Margin over the heartbeat period below which a host is never declared dead. */
export const MIN_SILENCE_MARGIN_MS = 1_000;

export class HeartbeatMonitor {
  private readonly network = new Map<string, number>();
  private readonly datastore = new Map<string, number>();
  private hasDatastores = false;
  private lastBatchAt: number | undefined;
  /** Observed period between heartbeat batches, ms. */
  private period = 0;
  private readonly startedAt: number;

  constructor(private readonly clock: Clock) {
    this.startedAt = clock.now();
  }

  observe(e: InfraEvent): void {
    if (e.type !== 'Heartbeats') return;
    if (this.lastBatchAt !== undefined && e.time > this.lastBatchAt) this.period = Math.max(this.period, e.time - this.lastBatchAt);
    this.lastBatchAt = e.time;
    for (const h of e.hosts) this.network.set(h, e.time);
    if (e.datastore !== undefined) {
      this.hasDatastores = true;
      for (const h of e.datastore) this.datastore.set(h, e.time);
    }
  }

  /**
   * The silence threshold actually applied: the zone's, but never shorter than one heartbeat
   * period plus a margin, so that a healthy host is not declared dead between two heartbeats.
   * Until two heartbeat batches have shown the period, nobody is declared dead (infinite).
   */
  effectiveDeadAfter(deadAfterMs: number): number {
    if (this.period === 0) return Number.POSITIVE_INFINITY;
    return Math.max(deadAfterMs, this.period + MIN_SILENCE_MARGIN_MS);
  }

  /** When the host was last heard on the management network (undefined: never). */
  lastHeard(host: string): number | undefined {
    return this.network.get(host);
  }

  /** Silence on the management network, ms (hosts never heard count from when HA started). */
  silentMs(host: string): number {
    return Math.max(0, this.clock.now() - (this.network.get(host) ?? this.startedAt));
  }

  /** alive | isolated | dead, with the reason, by vSphere HA's rules. */
  assess(host: string, deadAfterMs: number): HostAssessment {
    return assessHost({
      lastHeartbeatMs: this.network.get(host) ?? this.startedAt,
      ...(this.hasDatastores ? { datastoreHeartbeatMs: this.datastore.get(host) ?? this.startedAt } : {}),
      now: this.clock.now(),
      deadAfterMs: this.effectiveDeadAfter(deadAfterMs),
    });
  }
}
