/**
 * Host state from heartbeats, with vSphere HA (FDM) semantics (scheduling-perf.md §4.3): a host
 * silent on the management network for 15 s is declared dead — 18 s when it has heartbeat
 * datastores, since the primary first checks them. If its datastore heartbeats continue it is
 * isolated (or partitioned), not dead: its VMs keep running and must NOT be restarted elsewhere.
 */

export const HOST_HEALTH_STATES = ['alive', 'isolated', 'dead'] as const;
export type HostHealth = (typeof HOST_HEALTH_STATES)[number];

/** Network silence after which a host without heartbeat datastores is declared dead (T+15 s). */
export const DEAD_AFTER_MS = 15_000;
/** Extra wait when the host has heartbeat datastores (declared dead at T+18 s). */
export const DATASTORE_GRACE_MS = 3_000;

export interface HeartbeatObservation {
  /** Last network heartbeat from the host, ms on the control plane's clock. */
  readonly lastHeartbeatMs: number;
  /** Last datastore heartbeat; undefined when the host has no heartbeat datastores. */
  readonly datastoreHeartbeatMs?: number;
  readonly now: number;
  readonly deadAfterMs?: number;
  readonly datastoreGraceMs?: number;
}

export interface HostAssessment {
  readonly state: HostHealth;
  readonly silentMs: number;
  readonly reason: string;
}

/** The state with its reason, for status conditions and `bulkhead describe host`. */
export function assessHost(o: HeartbeatObservation): HostAssessment {
  const deadAfter = o.deadAfterMs ?? DEAD_AFTER_MS;
  const silentMs = Math.max(0, o.now - o.lastHeartbeatMs);
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (silentMs < deadAfter) return { state: 'alive', silentMs, reason: `network heartbeat ${secs(silentMs)} ago` };
  if (o.datastoreHeartbeatMs === undefined) {
    return { state: 'dead', silentMs, reason: `no network heartbeat for ${secs(silentMs)} and no heartbeat datastores` };
  }
  const dsSilent = Math.max(0, o.now - o.datastoreHeartbeatMs);
  if (dsSilent < deadAfter) {
    return { state: 'isolated', silentMs, reason: `no network heartbeat for ${secs(silentMs)} but datastore heartbeat ${secs(dsSilent)} ago: VMs keep running` };
  }
  if (silentMs < deadAfter + (o.datastoreGraceMs ?? DATASTORE_GRACE_MS)) {
    return { state: 'alive', silentMs, reason: `no network heartbeat for ${secs(silentMs)}; checking heartbeat datastores` };
  }
  return { state: 'dead', silentMs, reason: `no network heartbeat for ${secs(silentMs)} and no datastore heartbeat for ${secs(dsSilent)}` };
}

/** alive | isolated | dead. */
export function classifyHost(o: HeartbeatObservation): HostHealth {
  return assessHost(o).state;
}
