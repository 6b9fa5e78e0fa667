/**
 * What the pod scheduler knows about one node (a worker VM of a cluster): readiness, labels,
 * taints, allocatable and what its pods request. Mutable, owned by the PodSnapshot, updated in
 * place as VMs and pods change (no rebuild per decision).
 */
import type { TaintEffect } from '../../api/index.js';

/** A node taint, read from the VM annotation `bulkhead.dev/taints` (see taints.ts). */
export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

export const NODE_ROLES = ['worker', 'control-plane'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export interface NodeInfo {
  /** Index in its cluster's candidate array. */
  slot: number;
  readonly name: string;
  cluster: string;
  tenant: string;
  /** The tenant of the node's cluster (from the Cluster object), when known. */
  clusterTenant: string | undefined;
  role: NodeRole | 'unknown';
  /** VM phase Running. */
  ready: boolean;
  /** Cordoned (`bulkhead.dev/node-schedulable=false`) or being drained. */
  unschedulable: boolean;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  host: string;
  zone: string;
  allocCpu: number;
  allocMem: number;
  maxPods: number;
  reqCpu: number;
  reqMem: number;
  pods: number;
}
