/**
 * The side-by-side verdict of a comparison: per metric, both designs' figures and which one wins
 * (with a tolerance under which it is a tie), so a reader can tell which design wins on which
 * point. Only metrics where "better" has a direction are judged.
 */
import { dur, num, pct } from './format.js';
import type { DesignSummary } from './summary.js';

export const DESIGN_LABELS = { vm: 'containers on VMs', 'bare-metal': 'bare metal' } as const;
export type Winner = (typeof DESIGN_LABELS)[keyof typeof DESIGN_LABELS] | 'tie' | 'n/a';

export interface VerdictRow {
  readonly metric: string;
  readonly vm: string;
  readonly bareMetal: string;
  readonly winner: Winner;
  /** The raw figures (undefined: not applicable in that design's run). */
  readonly values: { readonly vm: number | undefined; readonly bareMetal: number | undefined };
}

interface Rule {
  readonly metric: string;
  readonly get: (s: DesignSummary) => number | undefined;
  readonly better: 'lower' | 'higher';
  /** Differences up to this are a tie. */
  readonly tolerance: number;
  readonly show: (x: number | undefined) => string;
}

const RULES: readonly Rule[] = [
  { metric: 'Hosts needed (incl. one failover/spare host per zone)', get: (s) => s.hostsNeeded, better: 'lower', tolerance: 0, show: (x) => num(x) },
  { metric: 'Mean CPU utilization of the hosts needed', get: (s) => s.neededCpuMeanPercent, better: 'higher', tolerance: 1, show: (x) => pct(x) },
  { metric: 'Peak CPU utilization of the hosts needed (higher: less idle hardware)', get: (s) => s.neededCpuPeakPercent, better: 'higher', tolerance: 1, show: (x) => pct(x) },
  { metric: "Noisy neighbour: tenant A's CPU loss while tenant B bursts", get: (s) => s.noisyCrossTenantPercent, better: 'lower', tolerance: 0.5, show: (x) => pct(x) },
  { metric: 'Noisy neighbour at the container boundary (pods sharing a node with a burst)', get: (s) => s.noisyContainerPercent, better: 'lower', tolerance: 0.5, show: (x) => pct(x) },
  { metric: 'Pod CPU demand not served (mean)', get: (s) => s.podShortfallMeanPercent, better: 'lower', tolerance: 0.1, show: (x) => pct(x, 2) },
  { metric: 'CPU ready of VMs (mean; bare metal has no hypervisor)', get: (s) => s.cpuReadyMeanPercent, better: 'lower', tolerance: 0.1, show: (x) => pct(x, 2) },
  {
    metric: 'Recovery after a host failure: all lost pods running again (worst)',
    get: (s) => (s.recovery.failures === 0 ? undefined : s.recovery.unrecovered > 0 ? Number.POSITIVE_INFINITY : s.recovery.podsMaxMs),
    better: 'lower',
    tolerance: 1_000,
    show: (x) => (x === Number.POSITIVE_INFINITY ? 'not recovered' : dur(x)),
  },
  {
    metric: 'Capacity back after a host failure: lost VMs / nodes running again (worst)',
    get: (s) => (s.recovery.failures === 0 ? undefined : s.recovery.unrecovered > 0 ? Number.POSITIVE_INFINITY : s.recovery.machinesMaxMs),
    better: 'lower',
    tolerance: 1_000,
    show: (x) => (x === Number.POSITIVE_INFINITY ? 'not recovered' : dur(x)),
  },
  { metric: 'Tenants affected by one host failure (worst host)', get: (s) => s.tenantsPerHostMax, better: 'lower', tolerance: 0, show: (x) => num(x) },
  { metric: 'Isolation violations (host-samples + pod-samples)', get: (s) => s.isolationViolations, better: 'lower', tolerance: 0, show: (x) => num(x) },
];

function judge(rule: Rule, vm: number | undefined, bm: number | undefined): Winner {
  if (vm === undefined || bm === undefined) return 'n/a';
  if (vm === bm || (Number.isFinite(vm) && Number.isFinite(bm) && Math.abs(vm - bm) <= rule.tolerance)) return 'tie';
  const vmBetter = rule.better === 'lower' ? vm < bm : vm > bm;
  return vmBetter ? DESIGN_LABELS.vm : DESIGN_LABELS['bare-metal'];
}

export function verdict(vm: DesignSummary, bareMetal: DesignSummary): VerdictRow[] {
  return RULES.map((rule) => {
    const a = rule.get(vm);
    const b = rule.get(bareMetal);
    return { metric: rule.metric, vm: rule.show(a), bareMetal: rule.show(b), winner: judge(rule, a, b), values: { vm: finite(a), bareMetal: finite(b) } };
  });
}

/** JSON has no Infinity: "not recovered" is kept as undefined in the raw values. */
function finite(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}
