/**
 * The infrastructure driver contract, modeled on the BOSH Cloud Provider Interface. Everything
 * above it (controllers, scheduler, API) is real; below it is either the simulated datacenter
 * (sim/, the default) or a real hypervisor driver. Every implementation passes
 * driver.conformance.ts.
 */
import { BulkheadError } from '../api/index.js';

/** What the driver reports about one physical host (becomes a Host object's spec). */
export interface HostInventory {
  readonly name: string;
  readonly zone: string;
  readonly sockets: number;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly numaNodes: readonly { readonly id: number; readonly socket: number; readonly cores: number; readonly memoryMiB: number }[];
  readonly nicMbps: number;
  readonly features: readonly string[];
}

export interface ZoneInventory {
  readonly name: string;
  readonly description?: string;
}

export interface DriverInfo {
  readonly name: string;
  readonly version: string;
  /** CPI api_version. */
  readonly apiVersion: number;
  readonly stemcellFormats: readonly string[];
}

export interface VmResources {
  readonly cpus: number;
  readonly memoryMiB: number;
  /** NUMA nodes of the host to pin to (decided by the scheduler). */
  readonly numaNodes: readonly number[];
  readonly encryptedMemory?: boolean;
}

export interface CreateVmRequest {
  /** Our identity for the VM (BOSH agent_id); the driver returns its own id (the VM CID). */
  readonly agentId: string;
  /** Host chosen by the scheduler. */
  readonly host: string;
  /** Image / stemcell name. */
  readonly stemcell: string;
  readonly resources: VmResources;
  readonly networks?: Readonly<Record<string, unknown>>;
  /** Disks the VM should be able to attach (placement hint). */
  readonly diskHints?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export const VM_POWER = ['running', 'stopped', 'crashed'] as const;
export type VmPower = (typeof VM_POWER)[number];

export interface VmInfo {
  readonly vmId: string;
  readonly agentId: string;
  readonly host: string;
  readonly power: VmPower;
  readonly resources: VmResources;
  readonly metadata: Readonly<Record<string, string>>;
  readonly disks: readonly string[];
}

export interface MigrationResult {
  readonly vmId: string;
  readonly from: string;
  readonly to: string;
  readonly rounds: number;
  readonly totalMs: number;
  readonly stunMs: number;
  readonly transferredMiB: number;
  /** True when the guest was slowed (SDPS) so that pre-copy could converge. */
  readonly throttled?: boolean;
}

/**
 * Events from the infrastructure: heartbeats (batched), host and VM state changes. A Heartbeats
 * event lists the hosts heard on the management network; `datastore`, when the driver has
 * heartbeat datastores, lists the hosts whose datastore heartbeat was seen (vSphere HA's second
 * channel): a host in `datastore` but not in `hosts` is alive but isolated.
 */
export type InfraEvent =
  | { readonly type: 'Heartbeats'; readonly time: number; readonly hosts: readonly string[]; readonly datastore?: readonly string[] }
  | { readonly type: 'HostFailed'; readonly time: number; readonly host: string; readonly reason: string }
  | { readonly type: 'HostRecovered'; readonly time: number; readonly host: string }
  | { readonly type: 'VmPowerChanged'; readonly time: number; readonly vmId: string; readonly host: string; readonly power: VmPower; readonly reason: string };

export const DRIVER_ERROR_CODES = ['NotFound', 'HostUnavailable', 'NoCapacity', 'InvalidRequest', 'Busy', 'Internal'] as const;
export type DriverErrorCode = (typeof DRIVER_ERROR_CODES)[number];

/** A driver call failed; `retryable` says whether repeating it may succeed. */
export class DriverError extends BulkheadError {
  constructor(
    readonly driverCode: DriverErrorCode,
    message: string,
    retryable: boolean,
  ) {
    super(driverCode === 'NotFound' ? 404 : driverCode === 'InvalidRequest' ? 422 : 503, driverCode === 'NotFound' ? 'NotFound' : driverCode === 'InvalidRequest' ? 'Invalid' : 'ServiceUnavailable', message, { retryable });
  }
}

export interface Driver {
  info(): Promise<DriverInfo>;
  /** Zones and hosts the infrastructure has. */
  inventory(): Promise<{ zones: ZoneInventory[]; hosts: HostInventory[] }>;
  /** Creates and boots a VM on the given host; resolves once it runs (after the modeled duration). */
  createVm(req: CreateVmRequest): Promise<{ vmId: string }>;
  /** Idempotent: deleting a VM that does not exist succeeds. */
  deleteVm(vmId: string): Promise<void>;
  hasVm(vmId: string): Promise<boolean>;
  getVm(vmId: string): Promise<VmInfo>;
  listVms(): Promise<VmInfo[]>;
  rebootVm(vmId: string): Promise<void>;
  setVmPower(vmId: string, on: boolean): Promise<void>;
  setVmMetadata(vmId: string, metadata: Readonly<Record<string, string>>): Promise<void>;
  createDisk(sizeMiB: number, hostHint?: string): Promise<{ diskId: string }>;
  deleteDisk(diskId: string): Promise<void>;
  hasDisk(diskId: string): Promise<boolean>;
  attachDisk(vmId: string, diskId: string): Promise<void>;
  detachDisk(vmId: string, diskId: string): Promise<void>;
  snapshotDisk(diskId: string): Promise<{ snapshotId: string }>;
  /**
   * Live migration; resolves when the VM runs on `toHost`. `numaNodes` pins it on the destination
   * (chosen by the scheduler, as for createVm); by default the driver keeps or picks nodes.
   */
  migrateVm(vmId: string, toHost: string, options?: { readonly numaNodes?: readonly number[] }): Promise<MigrationResult>;
  /** Subscribes to infrastructure events; returns the unsubscribe function. */
  subscribe(listener: (event: InfraEvent) => void): () => void;
  /** Stops timers and releases resources. */
  close(): Promise<void>;
}

/** Optional capability of simulated drivers: fault injection. */
export interface FaultInjector {
  /** Crash: the host and its VMs stop; no heartbeat of any kind. */
  failHost(name: string, reason?: string): Promise<void>;
  /** Brings a failed host back (empty of running VMs), or reconnects an isolated one. */
  recoverHost(name: string): Promise<void>;
  /**
   * Network isolation (vSphere HA's "isolated host"): the management network goes silent, the
   * host and its VMs keep running and datastore heartbeats continue; management operations on it
   * (create, power, migrate) fail as HostUnavailable until `recoverHost`.
   */
  isolateHost(name: string, reason?: string): Promise<void>;
}

export function hasFaultInjection(d: Driver): d is Driver & { faults: FaultInjector } {
  return typeof (d as { faults?: unknown }).faults === 'object' && (d as { faults?: unknown }).faults !== null;
}
