/**
 * A scenario compiled from its file: every default applied, durations in ms, quantities in
 * milli-CPU and MiB, references resolved. The engine reads only this.
 */
import type { IsolationMode, RestartPriority, Sensitivity } from '../../api/index.js';
import type { HostGroup, Topology } from '../../infra/index.js';
import type { DemandProfile } from '../../resources/index.js';

/** A zone's placement policy and the hardware its new hosts get (its first host group). */
export interface ScenarioZone {
  readonly name: string;
  readonly isolation: IsolationMode;
  readonly cpuOvercommitPercent: number;
  readonly memoryOvercommitPercent: number;
  /** The template for hosts the what-if adds (packing, bare-metal nodes). */
  readonly hardware: HostGroup;
}

export interface ScenarioTenant {
  readonly name: string;
  readonly sensitivity: Sensitivity;
  /** Zones the tenant may use; undefined: all. */
  readonly zones: readonly string[] | undefined;
}

export interface NodeSize {
  readonly cpus: number;
  readonly memoryMiB: number;
}

export interface ScenarioCluster {
  readonly name: string;
  readonly tenant: string;
  readonly plan: string;
  readonly controlPlaneNodes: number;
  readonly controlPlane: NodeSize;
  readonly workers: number;
  readonly worker: NodeSize;
  readonly maxPodsPerNode: number;
  /** Zones the nodes may use, in order (cluster's, else tenant's, else all). */
  readonly zones: readonly string[];
  readonly cpuReservationPercent: number;
  readonly restartPriority: RestartPriority;
}

export interface ScenarioWorkload {
  /** `<cluster>/<name>`. */
  readonly key: string;
  readonly name: string;
  readonly cluster: string;
  readonly tenant: string;
  readonly replicas: number;
  readonly requestMillis: number;
  readonly requestMiB: number;
  readonly limitMillis: number | undefined;
  readonly limitMiB: number | undefined;
  /** Per pod. */
  readonly demand: DemandProfile;
}

export type TimelineAction =
  | {
      readonly kind: 'failHost';
      /** A host name, `random`, or undefined when `node` says which host. */
      readonly host: string | undefined;
      /** The host running this cluster node fails. */
      readonly node: string | undefined;
      readonly zone: string | undefined;
      readonly recoverAfterMs: number | undefined;
    }
  | { readonly kind: 'recoverHost'; readonly host: string }
  | { readonly kind: 'scale'; readonly workload: string; readonly replicas: number }
  | { readonly kind: 'load'; readonly workload: string; readonly percent: number };

/** `failHost` with this host picks one at random (seeded). */
export const RANDOM_HOST = 'random';

export interface TimelineEvent {
  /** Since the start. */
  readonly atMs: number;
  /** Position in the file: ties run in file order. */
  readonly index: number;
  readonly action: TimelineAction;
}

/** Short-lived standalone VMs arriving at random (Poisson) with exponential lifetimes. */
export interface ChurnSpec {
  readonly tenant: string;
  readonly perHour: number;
  readonly meanLifetimeMs: number;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly cpuDemandPercent: number;
  readonly zone: string | undefined;
}

export interface RandomFailures {
  readonly perDay: number;
  readonly repairAfterMs: number | undefined;
  readonly zones: readonly string[] | undefined;
}

export const INITIAL_PLACEMENTS = ['spread', 'pack'] as const;
export type InitialPlacement = (typeof INITIAL_PLACEMENTS)[number];

export interface Scenario {
  readonly name: string;
  readonly description: string | undefined;
  readonly seed: number;
  /** Epoch ms of the virtual clock at the start. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  readonly coreMHz: number;
  readonly topology: Topology;
  readonly zones: readonly ScenarioZone[];
  readonly tenants: readonly ScenarioTenant[];
  readonly clusters: readonly ScenarioCluster[];
  readonly workloads: readonly ScenarioWorkload[];
  readonly churn: readonly ChurnSpec[];
  readonly randomFailures: RandomFailures | undefined;
  /** Sorted by time, then file order. */
  readonly timeline: readonly TimelineEvent[];
  readonly initialPlacement: InitialPlacement;
  readonly drs: { readonly enabled: boolean; readonly threshold: number; readonly intervalMs: number };
  readonly ha: { readonly enabled: boolean; readonly detectionMs: number };
  readonly bareMetal: { readonly reprovisionMs: number };
}
