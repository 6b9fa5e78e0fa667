/**
 * Builders of hosts, zones, tenants and VMs for scheduler tests and for callers' tests: small,
 * valid objects with the fields the scheduler reads, everything else defaulted.
 */
import {
  API_VERSION,
  type Host,
  type HostState,
  type IsolationMode,
  type Sensitivity,
  type Tenant,
  type VirtualMachine,
  type Zone,
} from '../api/index.js';

export interface HostOptions {
  readonly zone?: string;
  readonly state?: HostState;
  readonly unschedulable?: boolean;
  readonly features?: readonly string[];
  /** Cores and MiB per NUMA node; default two nodes of 16 cores and 256 GiB. */
  readonly nodes?: readonly (readonly [number, number])[];
}

export function makeHost(name: string, o: HostOptions = {}): Host {
  const nodes = o.nodes ?? [
    [16, 256 * 1024],
    [16, 256 * 1024],
  ];
  return {
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name },
    spec: {
      zone: o.zone ?? 'z1',
      sockets: nodes.length,
      cores: nodes.reduce((a, [c]) => a + c, 0),
      memoryMiB: nodes.reduce((a, [, m]) => a + m, 0),
      numaNodes: nodes.map(([cores, memoryMiB], id) => ({ id, socket: id, cores, memoryMiB })),
      nicMbps: 10_000,
      ...(o.features !== undefined ? { features: [...o.features] } : {}),
      ...(o.unschedulable !== undefined ? { unschedulable: o.unschedulable } : {}),
    },
    status: { state: o.state ?? 'Ready' },
  };
}

export function makeZone(name: string, isolation: IsolationMode, cpuOvercommitPercent = 100, memoryOvercommitPercent = 100): Zone {
  return {
    apiVersion: API_VERSION,
    kind: 'Zone',
    metadata: { name },
    spec: { isolation, cpuOvercommitPercent, memoryOvercommitPercent },
  };
}

export function makeTenant(name: string, sensitivity: Sensitivity, zones?: readonly string[]): Tenant {
  return {
    apiVersion: API_VERSION,
    kind: 'Tenant',
    metadata: { name },
    spec: { sensitivity, ...(zones !== undefined ? { zones: [...zones] } : {}) },
  };
}

export interface VmOptions {
  readonly tenant?: string;
  readonly cpus?: number;
  readonly memoryMiB?: number;
  readonly sensitivity?: Sensitivity;
  readonly zone?: string;
  readonly encryptedMemory?: boolean;
  readonly requiredFeatures?: readonly string[];
  readonly host?: string;
  readonly numaNodes?: readonly number[];
}

export function makeVm(name: string, o: VmOptions = {}): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name, namespace: o.tenant ?? 't1' },
    spec: {
      tenant: o.tenant ?? 't1',
      cpus: o.cpus ?? 2,
      memoryMiB: o.memoryMiB ?? 4096,
      ...(o.sensitivity !== undefined ? { sensitivity: o.sensitivity } : {}),
      ...(o.zone !== undefined ? { zone: o.zone } : {}),
      ...(o.encryptedMemory !== undefined ? { encryptedMemory: o.encryptedMemory } : {}),
      ...(o.requiredFeatures !== undefined ? { requiredFeatures: [...o.requiredFeatures] } : {}),
    },
    ...(o.host !== undefined ? { status: { host: o.host, ...(o.numaNodes ? { numaNodes: [...o.numaNodes] } : {}) } } : {}),
  };
}
