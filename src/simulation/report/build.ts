/**
 * The report: the scenario in brief, per design its summary, failures, counters, notes and time
 * series (what the plots draw), the verdict when two designs ran, and the assumptions. Plain data,
 * deterministic for a seed (no wall-clock figures), written as report.json.
 */
import { expandTopology } from '../../infra/index.js';
import { assumptionLines } from '../assumptions.js';
import type { DesignKind } from '../engine/world.js';
import type { FailureRecord } from '../metrics/recovery.js';
import type { NoisyFigures } from '../metrics/noisy.js';
import type { DesignResult } from '../metrics/types.js';
import type { HostsNeeded } from '../packing/hosts-needed.js';
import type { Scenario } from '../scenario/types.js';
import { r3 } from '../metrics/sampler.js';
import { neededCpuMHz, summarize, type DesignSummary } from './summary.js';
import { DESIGN_LABELS, verdict, type VerdictRow } from './verdict.js';

export interface DesignSeries {
  /** Sample times since the start, ms. */
  readonly t: readonly number[];
  readonly zoneCpuPercent: Readonly<Record<string, readonly number[]>>;
  readonly zoneMemoryPercent: Readonly<Record<string, readonly number[]>>;
  /** Cluster CPU use over the CPU of the hosts the design needs, percent. */
  readonly neededCpuPercent: readonly number[];
  readonly cpuReadyMeanPercent: readonly number[];
  readonly cpuReadyMaxPercent: readonly number[];
  readonly podShortfallPercent: readonly number[];
  /** Per zone; null where the zone had no host up. */
  readonly imbalance: Readonly<Record<string, readonly (number | null)[]>>;
  readonly migrations: readonly number[];
  readonly runningPods: readonly number[];
  readonly pendingPods: readonly number[];
  readonly isolationViolations: readonly number[];
  readonly hostCpuPercent: readonly { readonly host: string; readonly zone: string; readonly values: readonly (number | null)[] }[];
}

export interface DesignReport {
  readonly design: DesignKind;
  readonly label: string;
  readonly hostsNeeded: HostsNeeded;
  readonly summary: DesignSummary;
  readonly failures: readonly FailureRecord[];
  readonly noisy: NoisyFigures;
  readonly counters: DesignResult['counters'];
  readonly notes: readonly string[];
  readonly series: DesignSeries;
}

export interface ScenarioBrief {
  readonly name: string;
  readonly description: string | undefined;
  readonly seed: number;
  readonly start: string;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  readonly zones: readonly string[];
  readonly hosts: number;
  readonly tenants: number;
  readonly clusters: number;
  readonly nodes: number;
  readonly workloads: number;
  readonly pods: number;
  readonly timelineEvents: number;
}

export interface Report {
  readonly kind: 'SimulationReport';
  readonly scenario: ScenarioBrief;
  readonly designs: readonly DesignReport[];
  /** Present when both designs ran (`--compare bare-metal`). */
  readonly verdict?: readonly VerdictRow[];
  readonly assumptions: readonly string[];
}

function series(r: DesignResult): DesignSeries {
  const s = r.samples;
  const zones = Object.keys(s[0]?.zones ?? {});
  const imbZones = [...new Set(s.flatMap((x) => Object.keys(x.imbalance)))];
  const needed = neededCpuMHz(r);
  return {
    t: s.map((x) => x.t),
    zoneCpuPercent: Object.fromEntries(zones.map((z) => [z, s.map((x) => x.zones[z]?.cpuPercent ?? 0)])),
    zoneMemoryPercent: Object.fromEntries(zones.map((z) => [z, s.map((x) => x.zones[z]?.memoryPercent ?? 0)])),
    neededCpuPercent: s.map((x) => (needed > 0 ? r3((x.clusterCpuMHz / needed) * 100) : 0)),
    cpuReadyMeanPercent: s.map((x) => x.cpuReadyMeanPercent),
    cpuReadyMaxPercent: s.map((x) => x.cpuReadyMaxPercent),
    podShortfallPercent: s.map((x) => x.podShortfallPercent),
    imbalance: Object.fromEntries(imbZones.map((z) => [z, s.map((x) => x.imbalance[z] ?? null)])),
    migrations: s.map((x) => x.migrations),
    runningPods: s.map((x) => x.runningPods),
    pendingPods: s.map((x) => x.pendingPods),
    isolationViolations: s.map((x) => x.isolationViolations),
    hostCpuPercent: r.hosts.map((h, i) => ({ host: h.name, zone: h.zone, values: s.map((x) => x.hostCpuPercent[i] ?? null) })),
  };
}

function designReport(r: DesignResult): DesignReport {
  return {
    design: r.design,
    label: DESIGN_LABELS[r.design],
    hostsNeeded: r.hostsNeeded,
    summary: summarize(r),
    failures: r.failures,
    noisy: r.noisy,
    counters: r.counters,
    notes: r.notes,
    series: series(r),
  };
}

export function buildReport(scenario: Scenario, results: readonly DesignResult[]): Report {
  const designs = results.map(designReport);
  const vm = designs.find((d) => d.design === 'vm');
  const bm = designs.find((d) => d.design === 'bare-metal');
  const nodes = scenario.clusters.reduce((a, c) => a + c.controlPlaneNodes + c.workers, 0);
  return {
    kind: 'SimulationReport',
    scenario: {
      name: scenario.name,
      description: scenario.description,
      seed: scenario.seed,
      start: new Date(scenario.startMs).toISOString(),
      durationMs: scenario.durationMs,
      sampleIntervalMs: scenario.sampleIntervalMs,
      zones: scenario.zones.map((z) => z.name),
      hosts: expandTopology(scenario.topology).hosts.length,
      tenants: scenario.tenants.length,
      clusters: scenario.clusters.length,
      nodes,
      workloads: scenario.workloads.length,
      pods: scenario.workloads.reduce((a, w) => a + w.replicas, 0),
      timelineEvents: scenario.timeline.length,
    },
    designs,
    ...(vm && bm ? { verdict: verdict(vm.summary, bm.summary) } : {}),
    assumptions: assumptionLines(scenario.bareMetal.reprovisionMs, scenario.ha.detectionMs),
  };
}
