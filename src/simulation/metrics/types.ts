/** What one design's run produces: samples over time and the totals the report is built from. */
import type { DesignKind } from '../engine/world.js';
import type { HostsNeeded } from '../packing/hosts-needed.js';
import type { NoisyFigures } from './noisy.js';
import type { FailureRecord } from './recovery.js';

export interface ZoneSample {
  /** CPU used over CPU capacity of the zone's hosts that are up, percent. */
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly hostsUp: number;
}

/** The state of the datacenter at one sampling instant. */
export interface Sample {
  /** Since the scenario start, ms. */
  readonly t: number;
  readonly zones: Readonly<Record<string, ZoneSample>>;
  /** CPU utilization per host (aligned with `DesignResult.hosts`), percent; null while down. */
  readonly hostCpuPercent: readonly (number | null)[];
  /** CPU and memory the clusters' nodes use (churn VMs excluded), MHz and MiB. */
  readonly clusterCpuMHz: number;
  readonly clusterMemoryMiB: number;
  /** VM CPU ready (percent of the sample per vCPU): vCPU-weighted mean and the worst VM. */
  readonly cpuReadyMeanPercent: number;
  readonly cpuReadyMaxPercent: number;
  /** CPU demand of running pods they did not get, percent. */
  readonly podShortfallPercent: number;
  /** DRS imbalance per zone (VM design). */
  readonly imbalance: Readonly<Record<string, number>>;
  /** Live migrations completed so far. */
  readonly migrations: number;
  readonly runningMachines: number;
  readonly runningPods: number;
  readonly pendingPods: number;
  readonly unplacedMachines: number;
  readonly isolationViolations: number;
  readonly maxTenantsPerHost: number;
  readonly meanTenantsPerHost: number;
  /** Workloads bursting at this instant. */
  readonly bursting: readonly string[];
}

export interface DesignResult {
  readonly design: DesignKind;
  readonly hosts: readonly { readonly name: string; readonly zone: string }[];
  readonly hostsNeeded: HostsNeeded;
  /** CPU capacity of one host per zone, MHz (to turn usage into utilization of hosts needed). */
  readonly hostCpuMHz: Readonly<Record<string, number>>;
  readonly samples: readonly Sample[];
  readonly failures: readonly FailureRecord[];
  readonly noisy: NoisyFigures;
  readonly counters: {
    readonly migrations: number;
    readonly failedMigrations: number;
    readonly migrationSeconds: number;
    readonly migratedMiB: number;
    readonly drsPasses: number;
    readonly drsRecommendations: number;
    readonly churnCreated: number;
    readonly churnDeleted: number;
    readonly haRestarts: number;
    readonly haAbandoned: number;
    readonly reprovisions: number;
    readonly reservationsRefused: number;
  };
  readonly notes: readonly string[];
  /** Engine events plus simulated-datacenter operations: the work the run did. */
  readonly events: number;
}
