/** VirtualMachine: a tenant's VM, placed on a host by the scheduler and run by the driver. */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../meta.js';
import { SENSITIVITY_LEVELS, type Sensitivity } from './tenant.js';
import { VmResourceAllocationSchema } from '../../resources/pool-schema.js';

/** vSphere HA restart priorities, highest first; `disabled` VMs are not restarted. */
export const RESTART_PRIORITIES = ['highest', 'high', 'medium', 'low', 'lowest', 'disabled'] as const;
export type RestartPriority = (typeof RESTART_PRIORITIES)[number];

export const POWER_STATES = ['On', 'Off'] as const;
export type PowerState = (typeof POWER_STATES)[number];

export const VirtualMachineSpecSchema = Type.Object(
  {
    tenant: Type.String({ minLength: 1 }),
    cpus: Type.Integer({ minimum: 1, maximum: 768 }),
    memoryMiB: Type.Integer({ minimum: 128, maximum: 24 * 1024 * 1024 }),
    /** Restrict placement to one zone; otherwise any zone the tenant may use. */
    zone: Type.Optional(Type.String({ minLength: 1 })),
    /** Stamped from the tenant at admission; users may not lower it. */
    sensitivity: Type.Optional(Type.Union(SENSITIVITY_LEVELS.map((s) => Type.Literal(s)))),
    /** Encrypted memory (AMD SEV-ES): needs a host with the `sev-es` feature. */
    encryptedMemory: Type.Optional(Type.Boolean()),
    /** Further host features the VM needs. */
    requiredFeatures: Type.Optional(Type.Array(Type.String())),
    image: Type.Optional(Type.String()),
    powerState: Type.Optional(Type.Union(POWER_STATES.map((s) => Type.Literal(s)))),
    /** Persistent disks (driver disk ids) the VM controller attaches after create; they outlive the VM. */
    persistentDisks: Type.Optional(Type.Array(Type.Object({ diskId: Type.String({ minLength: 1 }) }, { additionalProperties: false }))),
    /** HA restart order after a host failure (default medium). */
    restartPriority: Type.Optional(Type.Union(RESTART_PRIORITIES.map((p) => Type.Literal(p)))),
    /** Resource pool, shares, reservations and limits (vSphere resource allocation). */
    resources: Type.Optional(VmResourceAllocationSchema),
  },
  { additionalProperties: false },
);
export type VirtualMachineSpec = Static<typeof VirtualMachineSpecSchema> & { readonly sensitivity?: Sensitivity };

export const VM_PHASES = ['Pending', 'Provisioning', 'Running', 'Stopped', 'Lost', 'Failed', 'Deleting'] as const;
export type VmPhase = (typeof VM_PHASES)[number];

/** Why a host was or was not chosen: the scheduler's explanation, kept on the VM. */
export interface PlacementExplanation {
  readonly evaluated: number;
  readonly feasible: number;
  /** Hosts filtered out, counted by named reason. */
  readonly filtered: Readonly<Record<string, number>>;
  readonly topScores: readonly { readonly host: string; readonly score: number; readonly scores: Readonly<Record<string, number>> }[];
  readonly chosen?: string;
  readonly durationMicros: number;
  readonly seed?: number;
  readonly message: string;
}

export interface VirtualMachineStatus {
  readonly phase?: VmPhase;
  readonly host?: string;
  readonly zone?: string;
  /** NUMA nodes of the host the VM's vCPUs and memory were placed on. */
  readonly numaNodes?: readonly number[];
  /** The driver's id for the VM (BOSH's VM CID). */
  readonly vmId?: string;
  readonly placement?: PlacementExplanation;
  readonly bootedAt?: string;
  readonly conditions?: readonly Condition[];
  readonly observedGeneration?: number;
}

export type VirtualMachine = Resource<VirtualMachineSpec, VirtualMachineStatus>;
