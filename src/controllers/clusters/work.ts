/**
 * One reconcile's working state: the cluster, its plan, its VMs, a mutable draft of its status,
 * and the side effects the steps may cause (through `Ops`, so steps stay testable and the
 * controller keeps the store and driver calls in one place).
 */
import type {
  Cluster,
  ClusterNode,
  ClusterStatus,
  Condition,
  EventType,
  LastAction,
  NodeReplacement,
  PlanSpec,
  Sensitivity,
  VirtualMachine,
} from '../../api/index.js';
import type { NodeVersion, Slot } from './nodes.js';

/** A mutable copy of ClusterStatus that the steps edit. */
export interface Draft {
  lastAction?: LastAction;
  kubernetesVersion?: string;
  stemcell?: string;
  nodes?: ClusterNode[];
  workersReady?: string;
  disks: Record<string, string>;
  replacing: Record<string, NodeReplacement>;
  draining: Record<string, string>;
  notRunningSince: Record<string, string>;
  alerts: Record<string, string>;
  resurrectedAt: Record<string, string>;
  conditions?: Condition[];
  observedGeneration?: number;
}

export function draftOf(s: ClusterStatus | undefined): Draft {
  return {
    ...(s ? (JSON.parse(JSON.stringify(s)) as Omit<Draft, 'disks'>) : {}),
    disks: { ...s?.disks },
    replacing: { ...s?.replacing },
    draining: { ...s?.draining },
    notRunningSince: { ...s?.notRunningSince },
    alerts: { ...s?.alerts },
    resurrectedAt: { ...s?.resurrectedAt },
  };
}

/** The status to store: empty maps left out. */
export function statusOf(d: Draft): ClusterStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (v === undefined) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as ClusterStatus;
}

/** Side effects a step may ask for. */
export interface Ops {
  createVm(vm: VirtualMachine): Promise<void>;
  deleteVm(name: string): Promise<void>;
  setDrainMarks(vm: VirtualMachine, on: boolean): Promise<void>;
  /** Pods bound to the node and not finished. */
  podsOn(cluster: string, node: string): number;
  deleteDisk(diskId: string): Promise<void>;
}

export interface Work {
  readonly cluster: Cluster;
  readonly plan: PlanSpec;
  readonly now: number;
  readonly nowIso: string;
  readonly st: Draft;
  /** The cluster's VMs by name. */
  readonly vms: ReadonlyMap<string, VirtualMachine>;
  readonly slots: readonly Slot[];
  /** What the spec asks every node to run. */
  readonly target: NodeVersion;
  /** What the cluster runs now (the last successful create or upgrade); the target before that. */
  readonly current: NodeVersion;
  readonly tenantSensitivity: Sensitivity | undefined;
  /** Zones the tenant may use; undefined means any. */
  readonly tenantZones?: readonly string[];
  readonly ops: Ops;
  /** Events to record once the status is saved. */
  readonly events: [EventType, string, string][];
}

export const elapsed = (w: Work, iso: string | undefined): number => (iso ? w.now - Date.parse(iso) : 0);
