/**
 * A design's run reduced to the figures a reader compares: utilization (of the simulated hosts and
 * of the hosts the design needs), CPU ready, pod CPU shortfall, DRS imbalance, migrations, host
 * failures and recovery, tenants per host, isolation violations, noisy-neighbour impact.
 */
import type { DesignResult, Sample } from '../metrics/types.js';
import { r3 } from '../metrics/sampler.js';

export interface RecoverySummary {
  readonly failures: number;
  /** Mean time from failure to detection (HA declared dead / node NotReady). */
  readonly detectionMeanMs: number | undefined;
  /** Time until every lost VM or node ran again: mean and worst over failures. */
  readonly machinesMeanMs: number | undefined;
  readonly machinesMaxMs: number | undefined;
  /** Time until every lost pod ran again: mean and worst over failures. */
  readonly podsMeanMs: number | undefined;
  readonly podsMaxMs: number | undefined;
  /** Failures whose machines or pods had not all come back when the run ended. */
  readonly unrecovered: number;
  /** Tenants hit by one failure: mean and worst over failures. */
  readonly tenantsAffectedMean: number | undefined;
  readonly tenantsAffectedMax: number | undefined;
}

export interface DesignSummary {
  readonly hostsSimulated: number;
  readonly hostsNeeded: number;
  readonly cpuMeanPercent: number;
  readonly cpuPeakPercent: number;
  readonly memoryMeanPercent: number;
  /** Cluster CPU use over the CPU of the hosts the design needs. */
  readonly neededCpuMeanPercent: number;
  readonly neededCpuPeakPercent: number;
  readonly cpuReadyMeanPercent: number;
  readonly cpuReadyMaxPercent: number;
  readonly podShortfallMeanPercent: number;
  /** DRS imbalance, mean over zones: first sample, last sample, mean over the run. */
  readonly imbalanceFirst: number | undefined;
  readonly imbalanceLast: number | undefined;
  readonly imbalanceMean: number | undefined;
  readonly migrations: number;
  readonly recovery: RecoverySummary;
  /** Distinct tenants on one host: the most ever seen, and the time-mean of the per-sample mean. */
  readonly tenantsPerHostMax: number;
  readonly tenantsPerHostMean: number;
  readonly isolationViolations: number;
  readonly pendingPodsMax: number;
  readonly noisyCrossTenantPercent: number | undefined;
  readonly noisyContainerPercent: number | undefined;
  readonly noisyVmBoundaryPercent: number | undefined;
}

const mean = (xs: readonly number[]): number | undefined => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length);
const max = (xs: readonly number[]): number | undefined => (xs.length === 0 ? undefined : Math.max(...xs));
const opt = (x: number | undefined): number | undefined => (x === undefined ? undefined : r3(x));

/** Datacenter-wide CPU utilization of a sample (capacity-weighted over zones). */
function overallCpu(s: Sample, result: DesignResult, key: 'cpuPercent' | 'memoryPercent'): number {
  let used = 0;
  let cap = 0;
  for (const [zone, z] of Object.entries(s.zones)) {
    const c = z.hostsUp * (result.hostCpuMHz[zone] ?? 0);
    used += (z[key] / 100) * c;
    cap += c;
  }
  return cap > 0 ? (used / cap) * 100 : 0;
}

function imbalanceOf(s: Sample): number | undefined {
  return mean(Object.values(s.imbalance));
}

/** CPU capacity of the hosts the design needs (workload hosts plus the zone's spare), MHz. */
export function neededCpuMHz(result: DesignResult): number {
  let cap = 0;
  for (const [zone, n] of Object.entries(result.hostsNeeded.perZone)) cap += (n + (n > 0 ? 1 : 0)) * (result.hostCpuMHz[zone] ?? 0);
  return cap;
}

function recovery(result: DesignResult): RecoverySummary {
  const f = result.failures.filter((x) => x.machinesLost > 0 || x.podsLost > 0);
  const defined = (xs: (number | undefined)[]): number[] => xs.filter((x): x is number => x !== undefined);
  const machines = defined(f.map((x) => x.machinesRecoveredMs));
  const pods = defined(f.map((x) => x.podsRecoveredMs));
  const detection = defined(f.map((x) => (x.detectedAtMs === undefined ? undefined : x.detectedAtMs - x.atMs)));
  const tenants = f.map((x) => x.tenantsAffected.length);
  return {
    failures: f.length,
    detectionMeanMs: opt(mean(detection)),
    machinesMeanMs: opt(mean(machines)),
    machinesMaxMs: opt(max(machines)),
    podsMeanMs: opt(mean(pods)),
    podsMaxMs: opt(max(pods)),
    unrecovered: f.filter((x) => x.machinesRecoveredMs === undefined || x.podsRecoveredMs === undefined).length,
    tenantsAffectedMean: opt(mean(tenants)),
    tenantsAffectedMax: max(tenants),
  };
}

export function summarize(result: DesignResult): DesignSummary {
  const s = result.samples;
  const cpu = s.map((x) => overallCpu(x, result, 'cpuPercent'));
  const capNeeded = neededCpuMHz(result);
  const needed = s.map((x) => (capNeeded > 0 ? (x.clusterCpuMHz / capNeeded) * 100 : 0));
  const imb = s.map(imbalanceOf).filter((x): x is number => x !== undefined);
  return {
    hostsSimulated: result.hosts.length,
    hostsNeeded: result.hostsNeeded.total,
    cpuMeanPercent: r3(mean(cpu) ?? 0),
    cpuPeakPercent: r3(max(cpu) ?? 0),
    memoryMeanPercent: r3(mean(s.map((x) => overallCpu(x, result, 'memoryPercent'))) ?? 0),
    neededCpuMeanPercent: r3(mean(needed) ?? 0),
    neededCpuPeakPercent: r3(max(needed) ?? 0),
    cpuReadyMeanPercent: r3(mean(s.map((x) => x.cpuReadyMeanPercent)) ?? 0),
    cpuReadyMaxPercent: r3(max(s.map((x) => x.cpuReadyMaxPercent)) ?? 0),
    podShortfallMeanPercent: r3(mean(s.map((x) => x.podShortfallPercent)) ?? 0),
    imbalanceFirst: opt(imb[0]),
    imbalanceLast: opt(imb.at(-1)),
    imbalanceMean: opt(mean(imb)),
    migrations: result.counters.migrations,
    recovery: recovery(result),
    tenantsPerHostMax: max(s.map((x) => x.maxTenantsPerHost)) ?? 0,
    tenantsPerHostMean: r3(mean(s.map((x) => x.meanTenantsPerHost)) ?? 0),
    isolationViolations: s.reduce((a, x) => a + x.isolationViolations, 0),
    pendingPodsMax: max(s.map((x) => x.pendingPods)) ?? 0,
    noisyCrossTenantPercent: opt(result.noisy.crossTenantPercent),
    noisyContainerPercent: opt(result.noisy.containerBoundaryPercent),
    noisyVmBoundaryPercent: opt(result.noisy.vmBoundaryPercent),
  };
}
