/**
 * A Zone's HA settings (`spec.ha`) resolved into what the controllers use: whether HA is on, when
 * a silent host is declared dead, and the admission-control policy in the pure layer's terms.
 * HA is off unless `spec.ha.enabled` is true (vSphere's default for a new cluster); with HA on and
 * no `admissionControl`, the policy is vSphere's default: tolerate one host failure by resource
 * percentage.
 */
import type { Zone } from '../../api/index.js';
import { DEAD_AFTER_MS, percentageForFailures, type AdmissionPolicy, type HaZone } from '../../ha/index.js';

/** Host failures tolerated when the zone names no number. */
export const DEFAULT_TOLERATED_FAILURES = 1;

export function haEnabled(zone: Zone | undefined): boolean {
  return zone?.spec?.ha?.enabled === true;
}

/** Network (and datastore) silence after which a host of this zone is declared dead, ms. */
export function deadAfterMs(zone: Zone | undefined): number {
  const s = zone?.spec?.ha?.deadAfterSeconds;
  return s === undefined ? DEAD_AFTER_MS : s * 1000;
}

/**
 * The admission-control policy of the zone over its current hosts (`percentage` derived from
 * "host failures to tolerate" depends on which hosts are up). Failover hosts that are not in the
 * zone are ignored here; zone admission refuses them up front.
 */
export function admissionPolicy(zone: Zone | undefined, haZone: HaZone): AdmissionPolicy {
  const ac = zone?.spec?.ha?.admissionControl;
  if (!haEnabled(zone)) return { type: 'disabled' };
  if (ac === undefined) return percentageForFailures(haZone, DEFAULT_TOLERATED_FAILURES);
  switch (ac.policy) {
    case 'disabled':
      return { type: 'disabled' };
    case 'percentage': {
      if (ac.cpuPercent === undefined && ac.memoryPercent === undefined) return percentageForFailures(haZone, ac.tolerateHostFailures ?? DEFAULT_TOLERATED_FAILURES);
      const cpu = ac.cpuPercent ?? ac.memoryPercent ?? 0;
      return { type: 'percentage', cpuPercent: cpu, memPercent: ac.memoryPercent ?? cpu };
    }
    case 'failoverHosts': {
      const known = new Set(haZone.hosts.map((h) => h.name));
      return { type: 'failoverHosts', hosts: [...new Set(ac.failoverHosts ?? [])].filter((h) => known.has(h)) };
    }
    case 'slots':
      return { type: 'slots', failures: ac.tolerateHostFailures ?? DEFAULT_TOLERATED_FAILURES };
  }
}

/** The dedicated failover hosts of a zone (empty unless HA is on with that policy). */
export function failoverHosts(zone: Zone | undefined): ReadonlySet<string> {
  const ac = zone?.spec?.ha?.admissionControl;
  return haEnabled(zone) && ac?.policy === 'failoverHosts' ? new Set(ac.failoverHosts ?? []) : new Set();
}
