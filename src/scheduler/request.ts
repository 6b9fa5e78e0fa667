/**
 * The scheduler's compiled view of a VM: what it asks for, resolved once per decision so plugins
 * read plain fields instead of walking the API object for every host.
 */
import { SENSITIVITY_LEVELS, ValidationError, type Sensitivity, type VirtualMachine } from '../api/index.js';

/** Index of a sensitivity level in `SENSITIVITY_LEVELS` (low 0, moderate 1, high 2). */
export function sensitivityIndex(level: Sensitivity): number {
  return SENSITIVITY_LEVELS.indexOf(level);
}

/**
 * Sensitivity used when neither the VM nor its tenant states one: the strictest level, so an
 * unlabelled VM is never co-located with low-sensitivity workloads by accident.
 */
export const FALLBACK_SENSITIVITY: Sensitivity = 'high';

/** The snapshot key of a VM: `namespace/name`, or the bare name for VMs without a namespace. */
export function vmKey(vm: { readonly metadata: { readonly name: string; readonly namespace?: string } }): string {
  const ns = vm.metadata.namespace;
  return ns === undefined || ns === '' ? vm.metadata.name : `${ns}/${vm.metadata.name}`;
}

/** What one VM asks of a host. */
export interface PlacementRequest {
  readonly key: string;
  readonly tenant: string;
  readonly sensitivity: Sensitivity;
  /** `sensitivityIndex(sensitivity)`, precomputed for the isolation counters. */
  readonly sensitivityIdx: number;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** The zone the VM pins itself to, if any. */
  readonly zone?: string;
  /** Host features the VM needs: `requiredFeatures`, plus `sev-es` for encrypted memory. */
  readonly features: readonly string[];
  /**
   * Spread group: VMs of one group prefer different hosts (the nodes of one cluster, so that a
   * host failure takes as few of them as possible). From the `bulkhead.dev/spread-group` label,
   * else the `bulkhead.dev/cluster` label.
   */
  readonly group?: string;
}

export const SPREAD_GROUP_LABEL = 'bulkhead.dev/spread-group';
export const CLUSTER_GROUP_LABEL = 'bulkhead.dev/cluster';

/** The feature a host needs to run VMs with encrypted memory (AMD SEV-ES). */
export const ENCRYPTED_MEMORY_FEATURE = 'sev-es';

/**
 * Compiles a VM into a request. `tenantSensitivity` is the tenant's level, used when admission
 * did not stamp one on the VM.
 */
export function compileRequest(vm: VirtualMachine, tenantSensitivity?: Sensitivity): PlacementRequest {
  const spec = vm.spec;
  if (spec === undefined) throw new ValidationError([{ field: 'spec', message: 'required' }], { kind: 'VirtualMachine', name: vm.metadata.name });
  const sensitivity = spec.sensitivity ?? tenantSensitivity ?? FALLBACK_SENSITIVITY;
  const features: string[] = [];
  if (spec.encryptedMemory === true) features.push(ENCRYPTED_MEMORY_FEATURE);
  for (const f of spec.requiredFeatures ?? []) if (!features.includes(f)) features.push(f);
  const labels = vm.metadata.labels;
  const group = labels?.[SPREAD_GROUP_LABEL] ?? labels?.[CLUSTER_GROUP_LABEL];
  return {
    key: vmKey(vm),
    tenant: spec.tenant,
    sensitivity,
    sensitivityIdx: sensitivityIndex(sensitivity),
    cpus: spec.cpus,
    memoryMiB: spec.memoryMiB,
    ...(spec.zone !== undefined ? { zone: spec.zone } : {}),
    features,
    ...(group !== undefined ? { group } : {}),
  };
}

/** Tells a compiled request from a VirtualMachine (requests carry `key`, VMs carry `metadata`). */
export function isPlacementRequest(x: VirtualMachine | PlacementRequest): x is PlacementRequest {
  return !('metadata' in x);
}
