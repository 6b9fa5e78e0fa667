/**
 * One computation of the contention model over the whole platform at one simulated instant:
 * demand of every running VM (from its pods and its own profile), the pool tree, entitlements
 * under contention per VM and pool, what each host gives, CPU ready and memory pressure, what each
 * container gets inside its VM, and the `top` totals. Pure: store objects in, plain data out.
 *
 *   hosts ─▶ capacities ─▶ pool tree (pools in creation order)
 *   VMs + pods (at atMs) ─▶ vmDemandAt ─▶ VmLoad (pool assigned) ─▶ computeEntitlements
 *                                                  └─▶ divideVmCpu per VM ─▶ containers ─▶ topReport
 */
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import type { Host, Pod, VirtualMachine } from '../../api/index.js';
import {
  admitReservation,
  computeEntitlements,
  divideVmCpu,
  hostCapacityOf,
  rootPoolName,
  topReport,
  zoneCapacities,
  type ContainerLoad,
  type ContainerShare,
  type EntitlementResult,
  type HostCapacity,
  type PoolTree,
  type TopReport,
  type VmLoad,
} from '../../resources/index.js';
import { CLUSTER_LABEL } from './labels.js';
import { assignPool, indexPools, type PoolSource } from './pool-assignment.js';
import { buildPoolTree } from './pool-tree-builder.js';
import { SYSTEM_POD, vmDemandAt } from './vm-demand.js';

/** The store objects a computation reads. */
export interface UsageInputs {
  readonly hosts: readonly Host[];
  readonly vms: readonly VirtualMachine[];
  readonly pods: readonly Pod[];
  readonly pools: readonly ResourcePoolObject[];
}

/** What the computation knows about a VM besides its figures; index-aligned with `result.vms`. */
export interface VmInfo {
  readonly name: string;
  readonly tenant: string | undefined;
  readonly cluster: string | undefined;
  /** Pool it runs in; undefined: the zone's root. */
  readonly pool: string | undefined;
  readonly poolSource: PoolSource;
  /** Configured memory, MiB. */
  readonly memoryMiB: number;
  readonly stability: number;
  readonly pods: number;
}

/** One container inside a VM, with where it runs. */
export interface ContainerUsage {
  readonly share: ContainerShare;
  readonly vm: string;
  readonly host: string;
  readonly zone: string;
  readonly cluster: string | undefined;
  /** Kubernetes namespace (without the cluster). */
  readonly namespace: string;
  readonly pod: string;
}

export interface UsageSnapshot {
  /** Simulated time the demand was evaluated at. */
  readonly atMs: number;
  /** Hosts that are up (not Failed). */
  readonly hosts: readonly HostCapacity[];
  readonly tree: PoolTree;
  /** Pools left out of the tree, with why. */
  readonly invalidPools: ReadonlyMap<string, string>;
  readonly result: EntitlementResult;
  readonly vmInfo: readonly VmInfo[];
  readonly containers: readonly ContainerUsage[];
  readonly top: TopReport;
  /** Unusable annotations and pool references, one line each. */
  readonly problems: readonly string[];
}

/** Running pods by node (VM) name. */
function podsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (node === undefined || p.status?.phase !== 'Running' || p.metadata.deletionTimestamp !== undefined) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** `<cluster>/<namespace>/<name>` split into its parts. */
function podParts(podKey: string): { cluster: string; namespace: string; pod: string } {
  const parts = podKey.split('/');
  return { cluster: parts[0] ?? '', namespace: parts.slice(1, -1).join('/'), pod: parts[parts.length - 1] ?? '' };
}

/** Runs the contention model at `atMs` over the given objects. */
export function computeUsage(inputs: UsageInputs, atMs: number): UsageSnapshot {
  const all: HostCapacity[] = [];
  const up: HostCapacity[] = [];
  for (const h of inputs.hosts) {
    const cap = hostCapacityOf(h);
    if (cap === undefined) continue;
    all.push(cap);
    if (h.status?.state !== 'Failed') up.push(cap);
  }
  const built = buildPoolTree(inputs.pools, zoneCapacities(all));
  let tree = built.tree;
  const index = indexPools(inputs.pools);
  const hostByName = new Map(up.map((h) => [h.name, h]));
  const pods = podsByNode(inputs.pods);
  const problems: string[] = [];
  const loads: VmLoad[] = [];
  const info: VmInfo[] = [];
  const vmLoads: (readonly ContainerLoad[])[] = [];
  for (const vm of inputs.vms) {
    const hostName = vm.status?.host;
    const host = hostName === undefined ? undefined : hostByName.get(hostName);
    if (host === undefined || vm.status?.phase !== 'Running' || vm.spec === undefined || vm.spec.powerState === 'Off') continue;
    const onNode = pods.get(vm.metadata.name) ?? [];
    const d = vmDemandAt(vm, onNode, host.coreMHz, atMs);
    problems.push(...d.problems);
    const assigned = assignPool(index, tree, vm, host.zone);
    if (assigned.problem !== undefined) problems.push(`vm ${vm.metadata.name}: spec.resources.pool: ${assigned.problem}`);
    const { pool: _named, ...settings } = vm.spec.resources ?? {};
    // Reservations are admitted in VM order into the tree, so pools report what is reserved in them.
    const reserve = { cpuMHz: settings.cpu?.reservationMHz ?? 0, memoryMiB: settings.memory?.reservationMiB ?? 0 };
    if (reserve.cpuMHz > 0 || reserve.memoryMiB > 0) {
      const admitted = admitReservation(tree, assigned.pool ?? rootPoolName(host.zone), reserve);
      if (admitted.ok) tree = admitted.tree;
      else problems.push(`vm ${vm.metadata.name}: reservation not admitted: ${admitted.refusal.message}`);
    }
    loads.push({
      name: vm.metadata.name,
      host: host.name,
      ...(vm.spec.tenant !== undefined ? { tenant: vm.spec.tenant } : {}),
      vcpus: vm.spec.cpus,
      memoryMiB: vm.spec.memoryMiB,
      cpuDemandMHz: d.cpuDemandMHz,
      memoryDemandMiB: d.memoryDemandMiB,
      allocation: { ...settings, ...(assigned.pool !== undefined ? { pool: assigned.pool } : {}) },
    });
    info.push({
      name: vm.metadata.name,
      tenant: vm.spec.tenant,
      cluster: vm.metadata.labels?.[CLUSTER_LABEL],
      pool: assigned.pool,
      poolSource: assigned.source,
      memoryMiB: vm.spec.memoryMiB,
      stability: d.stability,
      pods: onNode.length,
    });
    vmLoads.push(d.loads);
  }
  const result = computeEntitlements({ hosts: up, tree, vms: loads });
  const containers: ContainerUsage[] = [];
  result.vms.forEach((vm, i) => {
    const l = vmLoads[i] ?? [];
    if (l.length < 2) return;
    const host = hostByName.get(vm.host);
    for (const share of divideVmCpu(l, vm.cpu.usageMHz, host?.coreMHz ?? 0)) {
      if (share.pod === SYSTEM_POD) continue;
      const p = podParts(share.pod);
      containers.push({ share, vm: vm.name, host: vm.host, zone: vm.zone, cluster: info[i]?.cluster ?? p.cluster, namespace: p.namespace, pod: p.pod });
    }
  });
  return {
    atMs,
    hosts: up,
    tree,
    invalidPools: built.invalid,
    result,
    vmInfo: info,
    containers,
    top: topReport(
      result,
      up,
      containers.map((c) => c.share),
    ),
    problems,
  };
}
