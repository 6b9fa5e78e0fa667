/** Host: a physical server with sockets, NUMA nodes, memory, NIC and features. */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../meta.js';

export const NumaNodeSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 0 }),
    socket: Type.Integer({ minimum: 0 }),
    cores: Type.Integer({ minimum: 1 }),
    memoryMiB: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type NumaNode = Static<typeof NumaNodeSchema>;

export const HostSpecSchema = Type.Object(
  {
    zone: Type.String({ minLength: 1 }),
    sockets: Type.Integer({ minimum: 1, maximum: 16 }),
    /** Physical cores in total. */
    cores: Type.Integer({ minimum: 1 }),
    memoryMiB: Type.Integer({ minimum: 1 }),
    numaNodes: Type.Array(NumaNodeSchema, { minItems: 1 }),
    nicMbps: Type.Integer({ minimum: 1 }),
    /** Capabilities a VM can require, e.g. `sev-es` for encrypted memory. */
    features: Type.Optional(Type.Array(Type.String())),
    /** Cordoned: no new placements (running VMs stay). */
    unschedulable: Type.Optional(Type.Boolean()),
    /**
     * Maintenance mode: no new placements, and the running VMs are evacuated by live migration;
     * the host is in maintenance (condition `Maintenance=True`) once none runs. False or absent:
     * in service.
     */
    maintenance: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HostSpec = Static<typeof HostSpecSchema>;

/** `Maintenance`: `spec.maintenance` is set (being evacuated, or empty and in maintenance mode). */
export const HOST_STATES = ['Ready', 'NotReady', 'Failed', 'Maintenance'] as const;
export type HostState = (typeof HOST_STATES)[number];

export interface NumaAllocation {
  readonly id: number;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export interface HostStatus {
  readonly state?: HostState;
  readonly lastHeartbeat?: string;
  /** Sum of vCPUs and memory of the VMs placed on it. */
  readonly allocatedVcpus?: number;
  readonly allocatedMemoryMiB?: number;
  readonly numa?: readonly NumaAllocation[];
  readonly vms?: number;
  readonly conditions?: readonly Condition[];
}

export type Host = Resource<HostSpec, HostStatus>;
