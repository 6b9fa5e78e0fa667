/**
 * The what-if's mutable state, shared by both designs: machines (a VM in the VM design, a whole
 * host in the bare-metal design), the cluster nodes they carry, workloads and their pods. Plain
 * records owned by the run; the scheduler snapshots and the simulated datacenter are kept in step
 * with them by the engine.
 */
import type { Pod, RestartPriority, Sensitivity } from '../../api/index.js';
import type { ScenarioCluster, ScenarioWorkload } from '../scenario/types.js';

export const DESIGN_KINDS = ['vm', 'bare-metal'] as const;
/** Containers on VMs (the platform's design) or on bare-metal nodes. */
export type DesignKind = (typeof DESIGN_KINDS)[number];

export function isDesignKind(s: string): s is DesignKind {
  return (DESIGN_KINDS as readonly string[]).includes(s);
}

/** Demand that does not come from pods: control-plane nodes and churn VMs. */
export interface FixedDemand {
  readonly cpuFraction: number;
  readonly memoryFraction: number;
}

/** Something that runs on a host and has demand: a VM, or a bare-metal node (the host itself). */
export interface Machine {
  /** Unique key: the scheduler's `vmKey` (`tenant/name`) for VMs, the node name on bare metal. */
  readonly key: string;
  readonly name: string;
  readonly tenant: string;
  readonly sensitivity: Sensitivity;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly cpuReservationPercent: number;
  readonly restartPriority: RestartPriority;
  /** The node it carries; undefined for a standalone (churn) VM. */
  readonly node: NodeState | undefined;
  readonly fixedDemand: FixedDemand | undefined;
  /** Host it runs on, or ran on when it was lost. */
  host: string | undefined;
  running: boolean;
  /** The simulated datacenter's id (VM design). */
  vmId: string | undefined;
  migrating: boolean;
  /** Entitlements from the last contention pass (DRS input). */
  cpuEntitlementMHz: number;
  memoryEntitlementMiB: number;
  /** Deleted (churn): ignore late callbacks. */
  gone: boolean;
}

export type NodeRole = 'worker' | 'control-plane';

export interface NodeState {
  readonly name: string;
  readonly cluster: ScenarioCluster;
  readonly role: NodeRole;
  /** Set once, right after creation. */
  machine: Machine;
  ready: boolean;
  readonly pods: Set<PodState>;
  /** Bumped on every loss, so a pending eviction of an earlier loss does nothing. */
  lossEpoch: number;
}

export interface PodState {
  readonly name: string;
  /** The pod scheduler's key (`<cluster>/<ns>/<name>`). */
  readonly key: string;
  readonly workload: WorkloadState;
  readonly object: Pod;
  node: NodeState | undefined;
  running: boolean;
  /** Bumped on every bind, so a pending start of an earlier bind does nothing. */
  bindEpoch: number;
  removed: boolean;
}

export interface WorkloadState {
  readonly spec: ScenarioWorkload;
  replicas: number;
  /** Demand in percent of the profile (timeline `load`). */
  loadPercent: number;
  readonly pods: PodState[];
  nextIndex: number;
}
