/**
 * Node slots of a cluster and the VirtualMachines that fill them: names (`<cluster>-cp-0`,
 * `<cluster>-worker-3`), labels, the image a slot runs, and the drain marks the workloads
 * controllers honour. Pure functions; the controller decides when to use them.
 */
import { API_VERSION, DEFAULT_STEMCELL, type Cluster, type NodeRole, type PlanSpec, type Sensitivity, type VirtualMachine } from '../../api/index.js';

export const CLUSTER_LABEL = 'bulkhead.dev/cluster';
export const ROLE_LABEL = 'bulkhead.dev/role';
export const INDEX_LABEL = 'bulkhead.dev/node-index';
export const VERSION_LABEL = 'bulkhead.dev/kubernetes-version';
export const STEMCELL_LABEL = 'bulkhead.dev/stemcell';
/** Cordon: `false` means no new pods may be scheduled on the node (agreed with the workloads scheduler). */
export const SCHEDULABLE_LABEL = 'bulkhead.dev/node-schedulable';
/** Also set while draining, for readers that look for one label. */
export const DRAINING_LABEL = 'bulkhead.dev/draining';
/** `requested`: evict the node's pods (agreed with the workloads controllers). */
export const DRAIN_ANNOTATION = 'bulkhead.dev/drain';
/** Held on a Cluster until its VMs and disks are released. */
export const CLUSTER_FINALIZER = 'bulkhead.dev/cluster-cleanup';

export interface Slot {
  /** The VM name, which is also the node name. */
  readonly name: string;
  readonly role: NodeRole;
  readonly index: number;
}

export function slotName(cluster: string, role: NodeRole, index: number): string {
  return `${cluster}-${role === 'control-plane' ? 'cp' : 'worker'}-${index}`;
}

/** The slots a spec asks for: control plane first, then workers, each by index. */
export function desiredSlots(cluster: Cluster, plan: PlanSpec): Slot[] {
  const name = cluster.metadata.name;
  const workers = cluster.spec?.workers ?? plan.defaultWorkers;
  const out: Slot[] = [];
  for (let i = 0; i < plan.controlPlaneNodes; i++) out.push({ name: slotName(name, 'control-plane', i), role: 'control-plane', index: i });
  for (let i = 0; i < workers; i++) out.push({ name: slotName(name, 'worker', i), role: 'worker', index: i });
  return out;
}

/** The slot a cluster VM fills, from its labels. */
export function slotOf(vm: VirtualMachine): Slot {
  const role: NodeRole = vm.metadata.labels?.[ROLE_LABEL] === 'control-plane' ? 'control-plane' : 'worker';
  return { name: vm.metadata.name, role, index: Number(vm.metadata.labels?.[INDEX_LABEL] ?? 0) };
}

/** What a node boots: the stemcell with the Kubernetes version baked in. */
export function imageFor(stemcell: string, version: string): string {
  return `${stemcell}/k8s-${version}`;
}

export interface NodeVersion {
  readonly version: string;
  readonly stemcell: string;
}

export function versionOf(vm: VirtualMachine): NodeVersion {
  return { version: vm.metadata.labels?.[VERSION_LABEL] ?? '', stemcell: vm.metadata.labels?.[STEMCELL_LABEL] ?? DEFAULT_STEMCELL };
}

export function sameVersion(a: NodeVersion, b: NodeVersion): boolean {
  return a.version === b.version && a.stemcell === b.stemcell;
}

/** The VM object of one slot: owned by the cluster, sized by the plan, with the slot's disk and the tenant's sensitivity. */
export function nodeVm(
  cluster: Cluster,
  plan: PlanSpec,
  slot: Slot,
  v: NodeVersion,
  diskId: string | undefined,
  sensitivity: Sensitivity | undefined,
  tenantZones?: readonly string[],
): VirtualMachine {
  const size = slot.role === 'control-plane' ? plan.controlPlaneVm : plan.workerVm;
  const zone = nodeZone(plan.zones, tenantZones, slot.index);
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: {
      name: slot.name,
      labels: {
        [CLUSTER_LABEL]: cluster.metadata.name,
        [ROLE_LABEL]: slot.role,
        [INDEX_LABEL]: String(slot.index),
        [VERSION_LABEL]: v.version,
        [STEMCELL_LABEL]: v.stemcell,
        'bulkhead.dev/tenant': cluster.spec?.tenant ?? '',
      },
      ownerReferences: [{ apiVersion: API_VERSION, kind: 'Cluster', name: cluster.metadata.name, uid: cluster.metadata.uid ?? '', controller: true }],
      finalizers: ['bulkhead.dev/vm-cleanup'],
    },
    spec: {
      tenant: cluster.spec?.tenant ?? '',
      cpus: size.cpus,
      memoryMiB: size.memoryMiB,
      image: imageFor(v.stemcell, v.version),
      powerState: 'On',
      ...(sensitivity ? { sensitivity } : {}),
      ...(zone ? { zone } : {}),
      ...(diskId ? { persistentDisks: [{ diskId }] } : {}),
    },
  };
}

/**
 * The zone a node slot is pinned to: the plan's zones that the tenant may use, round-robin by slot
 * index (BOSH spreads instances over AZs this way). No pin when the plan names no zones; when it
 * names only zones the tenant may not use, admission has refused the cluster already.
 */
export function nodeZone(planZones: readonly string[] | undefined, tenantZones: readonly string[] | undefined, index: number): string | undefined {
  const usable = (planZones ?? []).filter((z) => !tenantZones || tenantZones.includes(z));
  return usable.length ? usable[index % usable.length] : undefined;
}

/** True when the VM carries the cordon and drain marks. */
export function isDrainMarked(vm: VirtualMachine): boolean {
  return vm.metadata.annotations?.[DRAIN_ANNOTATION] === 'requested';
}

/** The VM with the cordon and drain marks set (`on`) or removed. */
export function withDrainMarks(vm: VirtualMachine, on: boolean): VirtualMachine {
  const labels = { ...vm.metadata.labels };
  const annotations = { ...vm.metadata.annotations };
  if (on) {
    labels[SCHEDULABLE_LABEL] = 'false';
    labels[DRAINING_LABEL] = 'true';
    annotations[DRAIN_ANNOTATION] = 'requested';
  } else {
    delete labels[SCHEDULABLE_LABEL];
    delete labels[DRAINING_LABEL];
    delete annotations[DRAIN_ANNOTATION];
  }
  return { ...vm, metadata: { ...vm.metadata, labels, annotations } };
}
