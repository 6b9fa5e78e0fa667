/**
 * The NSX-T active health monitor for one pool member, as a pure state machine on an injected
 * clock (times are milliseconds from `Clock.now()`; nothing here sets a timer).
 *
 *          success                      fall_count consecutive failures
 *  UNKNOWN ───────▶ UP ◀──────────────────────────────────────────────┐
 *     │              │ fall_count consecutive failures                 │ rise_count consecutive
 *     └──────────────┴────────────────────────────────▶ DOWN ──────────┘ successes
 *
 * A probe starts every `interval` seconds (one in flight at a time); a probe that has not
 * completed within `timeout` seconds counts as a failure. UNKNOWN and UP members take traffic;
 * DOWN members do not. `rise_count` applies only on the way back from DOWN, as NSX documents it.
 */
import type { HealthMonitorConfig } from './service.js';

export const MEMBER_STATUSES = ['UNKNOWN', 'UP', 'DOWN'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** One member's monitor state; JSON-safe. */
export interface MemberHealth {
  readonly status: MemberStatus;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  /** When the next probe may start. */
  readonly nextProbeAt: number;
  /** Set while a probe is in flight. */
  readonly probeStartedAt?: number;
  /** When `status` last changed (or the member was added). */
  readonly since: number;
  /** The last completed probe, for `describe`. */
  readonly lastProbe?: { readonly at: number; readonly ok: boolean; readonly detail: string };
}

/** A member just added to the pool: UNKNOWN, first probe due now. */
export function newMemberHealth(now: number): MemberHealth {
  return { status: 'UNKNOWN', consecutiveSuccesses: 0, consecutiveFailures: 0, nextProbeAt: now, since: now };
}

/** Whether a probe should start now. */
export function isProbeDue(m: MemberHealth, now: number): boolean {
  return m.probeStartedAt === undefined && now >= m.nextProbeAt;
}

/** Marks a probe in flight and schedules the next one `interval` after this start. */
export function startProbe(m: MemberHealth, config: HealthMonitorConfig, now: number): MemberHealth {
  if (m.probeStartedAt !== undefined) return m;
  return { ...m, probeStartedAt: now, nextProbeAt: now + config.intervalSeconds * 1000 };
}

/** When an in-flight probe times out, or undefined when none is in flight. */
export function probeDeadline(m: MemberHealth, config: HealthMonitorConfig): number | undefined {
  return m.probeStartedAt === undefined ? undefined : m.probeStartedAt + config.timeoutSeconds * 1000;
}

/**
 * Records the outcome of the in-flight probe. A success that arrives after the timeout counts as
 * a failure. Without a probe in flight (already timed out) the report is ignored.
 */
export function finishProbe(m: MemberHealth, config: HealthMonitorConfig, ok: boolean, now: number): MemberHealth {
  const deadline = probeDeadline(m, config);
  if (deadline === undefined) return m;
  if (now > deadline) return record(m, config, false, deadline, `no answer within ${config.timeoutSeconds}s`);
  return record(m, config, ok, now, ok ? 'probe succeeded' : 'probe failed');
}

/** Fails an in-flight probe whose timeout has passed; otherwise returns `m` unchanged. */
export function expireProbe(m: MemberHealth, config: HealthMonitorConfig, now: number): MemberHealth {
  const deadline = probeDeadline(m, config);
  if (deadline === undefined || now <= deadline) return m;
  return record(m, config, false, deadline, `no answer within ${config.timeoutSeconds}s`);
}

/** Whether the member may be sent new connections. */
export function takesTraffic(m: MemberHealth): boolean {
  return m.status !== 'DOWN';
}

function record(m: MemberHealth, config: HealthMonitorConfig, ok: boolean, at: number, detail: string): MemberHealth {
  const { probeStartedAt: _done, ...rest } = m;
  const successes = ok ? m.consecutiveSuccesses + 1 : 0;
  const failures = ok ? 0 : m.consecutiveFailures + 1;
  let status: MemberStatus = m.status;
  if (ok && (m.status === 'UNKNOWN' || (m.status === 'DOWN' && successes >= config.riseCount))) status = 'UP';
  if (!ok && m.status !== 'DOWN' && failures >= config.fallCount) status = 'DOWN';
  return {
    ...rest,
    status,
    consecutiveSuccesses: successes,
    consecutiveFailures: failures,
    since: status === m.status ? m.since : at,
    lastProbe: { at, ok, detail },
  };
}
