/** Admission-control policies checked once at the edge, and the "tolerate N host failures" default. */
import { ValidationError } from '../api/index.js';
import { isUp } from './capacity.js';
import type { AdmissionPolicy, HaZone } from './types.js';

/** Throws `ValidationError` naming the field when a policy cannot apply to this zone. */
export function checkPolicy(policy: AdmissionPolicy, zone: HaZone): void {
  switch (policy.type) {
    case 'percentage':
      for (const f of ['cpuPercent', 'memPercent'] as const) {
        const v = policy[f];
        if (!(v >= 0 && v <= 100)) throw ValidationError.field(`policy.${f}`, `must be within 0..100, got ${v}`);
      }
      return;
    case 'failoverHosts': {
      const known = new Set(zone.hosts.map((h) => h.name));
      policy.hosts.forEach((h, i) => {
        if (!known.has(h)) throw ValidationError.field(`policy.hosts[${i}]`, `unknown host "${h}"`);
      });
      if (new Set(policy.hosts).size !== policy.hosts.length) throw ValidationError.field('policy.hosts', 'lists a host twice');
      return;
    }
    case 'slots':
      if (!(Number.isInteger(policy.failures) && policy.failures >= 0)) throw ValidationError.field('policy.failures', `must be a non-negative integer, got ${policy.failures}`);
      for (const f of ['maxSlotVcpus', 'maxSlotMemoryMiB'] as const) {
        const v = policy[f];
        if (v !== undefined && !(v > 0)) throw ValidationError.field(`policy.${f}`, `must be positive, got ${v}`);
      }
      return;
    case 'disabled':
      return;
  }
}

/**
 * The percentage policy for "tolerate `failures` host failures" (vSphere 6.5+ computes it
 * automatically, ≈ k/N; scheduling-perf.md §4.3): the share of capacity held by the `failures`
 * largest up hosts, per resource — exactly k/N when hosts are alike, enough for the worst k
 * failures when they are not.
 */
export function percentageForFailures(zone: HaZone, failures: number): Extract<AdmissionPolicy, { type: 'percentage' }> {
  if (!(Number.isInteger(failures) && failures >= 0)) throw ValidationError.field('failures', `must be a non-negative integer, got ${failures}`);
  const up = zone.hosts.filter(isUp);
  const share = (pick: (h: (typeof up)[number]) => number): number => {
    const sizes = up.map(pick).sort((a, b) => b - a);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total === 0) return 100;
    return (100 * sizes.slice(0, failures).reduce((a, b) => a + b, 0)) / total;
  };
  return { type: 'percentage', cpuPercent: share((h) => h.vcpus), memPercent: share((h) => h.memoryMiB) };
}
