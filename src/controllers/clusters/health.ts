/**
 * The health monitor's arithmetic, as in the BOSH resurrector (pks-bosh-capi.md §2.7): a node is
 * down when its VM is Lost or Failed, or has not been Running for longer than the agent timeout;
 * the deployment is in meltdown when at least `minimumDown` nodes and `percentThreshold` of all
 * nodes had a critical alert within `windowMs`, and then nothing is resurrected.
 */

/**
 * BOSH health monitor defaults: agent_timeout 60 s, time_threshold 600 s, minimum_down_jobs 5,
 * percent_threshold 0.2; a node is recreated at most once per analyze_agents interval (60 s).
 */
export const HEALTH_DEFAULTS = {
  graceMs: 60_000,
  retryIntervalMs: 60_000,
  windowMs: 600_000,
  minimumDown: 5,
  percentThreshold: 0.2,
} as const;

export type HealthSettings = typeof HEALTH_DEFAULTS;

export const RESURRECTION_STATES = ['normal', 'managed', 'meltdown'] as const;
export type ResurrectionState = (typeof RESURRECTION_STATES)[number];

export interface Verdict {
  readonly state: ResurrectionState;
  /** Nodes with a critical alert inside the window. */
  readonly unhealthy: number;
  readonly total: number;
}

/** Drops alerts older than the window; returns the ones left. */
export function pruneAlerts(alerts: Readonly<Record<string, string>>, now: number, s: HealthSettings = HEALTH_DEFAULTS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, at] of Object.entries(alerts)) if (now - Date.parse(at) < s.windowMs) out[k] = at;
  return out;
}

/** The resurrector's state for a deployment of `total` nodes given its recent alerts. */
export function resurrectionState(recentAlerts: number, total: number, s: HealthSettings = HEALTH_DEFAULTS): Verdict {
  if (recentAlerts === 0) return { state: 'normal', unhealthy: 0, total };
  const meltdown = recentAlerts >= s.minimumDown && total > 0 && recentAlerts / total >= s.percentThreshold;
  return { state: meltdown ? 'meltdown' : 'managed', unhealthy: recentAlerts, total };
}
