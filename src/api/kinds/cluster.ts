/**
 * Cluster: a tenant's Kubernetes-style cluster made of VirtualMachines (control-plane and worker
 * instance groups). The spec says what the tenant wants; the cluster controller (the BOSH role)
 * converges to it and reports the last action, per-node health and conditions in status.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../meta.js';

/** Longest cluster name: node VM names (`<cluster>-worker-NNNN`) must stay DNS labels. */
export const CLUSTER_NAME_MAX = 50;
export const DEFAULT_STEMCELL = 'bulkhead-ubuntu-jammy';

export const ClusterSpecSchema = Type.Object(
  {
    tenant: Type.String({ minLength: 1 }),
    plan: Type.String({ minLength: 1 }),
    /** Worker count; the plan's default when absent. */
    workers: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The plan's default version when absent; a change is an upgrade. */
    kubernetesVersion: Type.Optional(Type.String({ minLength: 1 })),
    /** Node OS image; a change is an upgrade. */
    stemcell: Type.Optional(Type.String({ minLength: 1, pattern: '^[a-z0-9][-a-z0-9.]*$' })),
  },
  { additionalProperties: false },
);
export type ClusterSpec = Static<typeof ClusterSpecSchema>;

export const CLUSTER_ACTIONS = ['create', 'update', 'upgrade', 'delete'] as const;
export type ClusterActionType = (typeof CLUSTER_ACTIONS)[number];
export const ACTION_STATES = ['in progress', 'succeeded', 'failed'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** The PKS task model: every mutation is an action polled through its state. */
export interface LastAction {
  readonly type: ClusterActionType;
  readonly state: ActionState;
  readonly description: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

export const NODE_ROLES = ['control-plane', 'worker'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
export const NODE_HEALTH = ['Healthy', 'Unhealthy', 'Unknown'] as const;
export type NodeHealth = (typeof NODE_HEALTH)[number];

export interface ClusterNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly vm: string;
  readonly host?: string;
  readonly phase?: string;
  readonly health: NodeHealth;
  readonly version?: string;
  readonly diskId?: string;
}

/** A node slot being recreated (upgrade, resurrection), step by step. */
export interface NodeReplacement {
  readonly reason: 'upgrade' | 'resurrect';
  readonly step: 'draining' | 'deleting' | 'creating' | 'watching';
  readonly startedAt: string;
  readonly stepSince: string;
  readonly canary?: boolean;
}

export interface ClusterStatus {
  readonly lastAction?: LastAction;
  /** Version and stemcell every node runs after the last successful create or upgrade. */
  readonly kubernetesVersion?: string;
  readonly stemcell?: string;
  readonly nodes?: readonly ClusterNode[];
  readonly workersReady?: string;
  /** Persistent disk id per node slot (VM name); kept across recreation. */
  readonly disks?: Readonly<Record<string, string>>;
  /** Slots being recreated, by VM name. */
  readonly replacing?: Readonly<Record<string, NodeReplacement>>;
  /** Workers being drained before removal, by VM name, with the drain start. */
  readonly draining?: Readonly<Record<string, string>>;
  /** Health monitor: when a node was first seen not Running (for the grace period), by VM name. */
  readonly notRunningSince?: Readonly<Record<string, string>>;
  /** Health monitor: time of each node's last critical alert (the meltdown window), by VM name. */
  readonly alerts?: Readonly<Record<string, string>>;
  /** Resurrector: when each node was last recreated, so a node that keeps failing is retried at most once per interval. */
  readonly resurrectedAt?: Readonly<Record<string, string>>;
  readonly conditions?: readonly Condition[];
  readonly observedGeneration?: number;
}

export type Cluster = Resource<ClusterSpec, ClusterStatus>;
