/**
 * The pod scheduler's incremental snapshot: the worker nodes of every cluster (from node VMs, in a
 * seeded candidate order), what the bound pods of each node request, and per owner how many of
 * its pods run on each host and zone (for spreading). Watch events update it in place; nothing is
 * rebuilt per decision.
 */
import { allocatable } from './allocatable.js';
import { Random } from '../../clock/index.js';
import type { Pod, VirtualMachine } from '../../api/index.js';
import type { NodeInfo, NodeRole } from './node-info.js';
import { compilePodRequest, podKey, type PodRequest } from './request.js';
import { TAINTS_ANNOTATION, parseTaints } from './taints.js';

export const CLUSTER_LABEL = 'bulkhead.dev/cluster';
export const ROLE_LABEL = 'bulkhead.dev/role';
export const SCHEDULABLE_LABEL = 'bulkhead.dev/node-schedulable';
export const DRAIN_ANNOTATION = 'bulkhead.dev/drain';
export const DEFAULT_MAX_PODS = 110;

interface ClusterNodes {
  readonly nodes: NodeInfo[];
  nextStart: number;
}

interface PlacedPod {
  readonly node: string;
  readonly cpu: number;
  readonly mem: number;
  readonly owner: string | undefined;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** Whether a VM is the node of a cluster (it carries the cluster label). */
export function isNodeVm(vm: VirtualMachine): boolean {
  return Boolean(vm.metadata.labels?.[CLUSTER_LABEL]);
}

/** Whether the node is draining (its pods must be evicted). */
export function isDraining(vm: VirtualMachine): boolean {
  return vm.metadata.annotations?.[DRAIN_ANNOTATION] === 'requested';
}

export class PodSnapshot {
  private readonly clusters = new Map<string, ClusterNodes>();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PlacedPod>();
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly ownerHost = new Map<string, Map<string, number>>();
  private readonly ownerZone = new Map<string, Map<string, number>>();
  private readonly maxPods = new Map<string, number>();
  private readonly tenants = new Map<string, string>();
  private readonly rng: Random;

  constructor(seed: number) {
    this.rng = new Random(seed).fork('pod-candidates');
  }

  /** The cluster's candidate nodes (workers and control plane), in candidate order. */
  clusterNodes(cluster: string): readonly NodeInfo[] {
    return this.clusters.get(cluster)?.nodes ?? [];
  }

  /** Where the next decision in `cluster` starts, and moves it on. */
  takeStart(cluster: string, evaluated: number): number {
    const c = this.clusters.get(cluster);
    if (!c || c.nodes.length === 0) return 0;
    const s = c.nextStart % c.nodes.length;
    c.nextStart = (s + evaluated) % c.nodes.length;
    return s;
  }

  peekStart(cluster: string): number {
    const c = this.clusters.get(cluster);
    return c && c.nodes.length ? c.nextStart % c.nodes.length : 0;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** The node a pod is accounted on (bound or assumed). */
  placement(key: string): string | undefined {
    return this.pods.get(key)?.node;
  }

  ownerCounts(owner: string | undefined): { perHost: ReadonlyMap<string, number>; perZone: ReadonlyMap<string, number> } {
    const none = new Map<string, number>();
    if (!owner) return { perHost: none, perZone: none };
    return { perHost: this.ownerHost.get(owner) ?? none, perZone: this.ownerZone.get(owner) ?? none };
  }

  /** Sets a cluster's max pods per node (from its Plan). */
  setMaxPods(cluster: string, maxPods: number): void {
    this.maxPods.set(cluster, maxPods);
    for (const n of this.clusterNodes(cluster)) n.maxPods = maxPods;
  }

  /** Records the tenant a cluster belongs to (from the Cluster object); its nodes must be that tenant's. */
  setClusterTenant(cluster: string, tenant: string | undefined): void {
    if (tenant === undefined) this.tenants.delete(cluster);
    else this.tenants.set(cluster, tenant);
    for (const n of this.clusterNodes(cluster)) n.clusterTenant = tenant;
  }

  upsertNode(vm: VirtualMachine): void {
    const name = vm.metadata.name;
    const cluster = vm.metadata.labels?.[CLUSTER_LABEL];
    if (!cluster || !vm.spec) return this.removeNode(name);
    const labels = vm.metadata.labels ?? {};
    const role = labels[ROLE_LABEL];
    const alloc = allocatable(vm.spec.cpus, vm.spec.memoryMiB);
    const host = vm.status?.host ?? '';
    const zone = vm.status?.zone ?? '';
    let n = this.nodes.get(name);
    if (n && n.cluster !== cluster) {
      this.removeNode(name);
      n = undefined;
    }
    if (n && (n.host !== host || n.zone !== zone)) this.recount(name, -1);
    const fresh = n === undefined;
    n ??= { slot: -1, name, cluster, tenant: '', clusterTenant: undefined, role: 'unknown', ready: false, unschedulable: false, labels: {}, taints: [], host, zone, allocCpu: 0, allocMem: 0, maxPods: DEFAULT_MAX_PODS, reqCpu: 0, reqMem: 0, pods: 0 };
    const moved = n.host !== host || n.zone !== zone;
    n.tenant = vm.spec.tenant;
    n.role = role === 'worker' || role === 'control-plane' ? (role as NodeRole) : 'unknown';
    n.ready = vm.status?.phase === 'Running' && !vm.metadata.deletionTimestamp;
    n.unschedulable = labels[SCHEDULABLE_LABEL] === 'false' || isDraining(vm);
    n.labels = labels;
    n.taints = parseTaints(vm.metadata.annotations?.[TAINTS_ANNOTATION]);
    n.host = host;
    n.zone = zone;
    n.allocCpu = alloc.cpuMillis;
    n.allocMem = alloc.memoryMiB;
    n.maxPods = this.maxPods.get(cluster) ?? DEFAULT_MAX_PODS;
    n.clusterTenant = this.tenants.get(cluster);
    if (fresh) {
      this.nodes.set(name, n);
      let c = this.clusters.get(cluster);
      if (!c) this.clusters.set(cluster, (c = { nodes: [], nextStart: 0 }));
      // Incremental seeded shuffle: the new node swaps with a random position.
      const j = this.rng.int(0, c.nodes.length);
      const other = c.nodes[j];
      if (other) {
        other.slot = c.nodes.length;
        c.nodes.push(other);
        c.nodes[j] = n;
        n.slot = j;
      } else {
        n.slot = c.nodes.length;
        c.nodes.push(n);
      }
      this.resum(n);
    } else if (moved) this.recount(name, +1);
  }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    this.recount(name, -1);
    this.nodes.delete(name);
    const c = this.clusters.get(n.cluster);
    if (!c) return;
    const last = c.nodes.pop();
    if (last && last !== n) {
      c.nodes[n.slot] = last;
      last.slot = n.slot;
    }
    if (c.nodes.length === 0) this.clusters.delete(n.cluster);
  }

  /** Accounts a pod from a watch event: bound and not terminal -> on its node; otherwise forgotten. */
  observePod(pod: Pod): void {
    const key = podKey(pod);
    const node = pod.spec?.nodeName;
    if (!node || TERMINAL.has(pod.status?.phase ?? '') || pod.metadata.deletionTimestamp) {
      this.forget(key);
      return;
    }
    const prev = this.pods.get(key);
    if (prev?.node === node) return;
    this.assume(compilePodRequest(pod), node);
  }

  /** Reserves a decision (kube's assume), so the next decision sees it before the write lands. */
  assume(req: PodRequest, nodeName: string): void {
    this.forget(req.key);
    const p: PlacedPod = { node: nodeName, cpu: req.cpuMillis, mem: req.memoryMiB, owner: req.owner };
    this.pods.set(req.key, p);
    let set = this.podsByNode.get(nodeName);
    if (!set) this.podsByNode.set(nodeName, (set = new Set()));
    set.add(req.key);
    const n = this.nodes.get(nodeName);
    if (n) this.account(n, p, +1);
  }

  /** Drops a pod's accounting; true when it was accounted. */
  forget(key: string): boolean {
    const p = this.pods.get(key);
    if (!p) return false;
    this.pods.delete(key);
    this.podsByNode.get(p.node)?.delete(key);
    const n = this.nodes.get(p.node);
    if (n) this.account(n, p, -1);
    return true;
  }

  /** Pods accounted on a node. */
  podsOn(nodeName: string): ReadonlySet<string> {
    return this.podsByNode.get(nodeName) ?? new Set();
  }

  private account(n: NodeInfo, p: PlacedPod, sign: 1 | -1): void {
    n.reqCpu += sign * p.cpu;
    n.reqMem += sign * p.mem;
    n.pods += sign;
    if (p.owner) {
      bump(this.ownerHost, p.owner, n.host, sign);
      bump(this.ownerZone, p.owner, n.zone, sign);
    }
  }

  // A node seen after its pods: sum them.
  private resum(n: NodeInfo): void {
    for (const key of this.podsOn(n.name)) {
      const p = this.pods.get(key);
      if (p) this.account(n, p, +1);
    }
  }

  // A node that moved host/zone: take its pods out of (-1) or into (+1) the owner counts.
  private recount(name: string, sign: 1 | -1): void {
    const n = this.nodes.get(name);
    if (!n) return;
    for (const key of this.podsOn(name)) {
      const p = this.pods.get(key);
      if (!p?.owner) continue;
      bump(this.ownerHost, p.owner, n.host, sign);
      bump(this.ownerZone, p.owner, n.zone, sign);
    }
  }
}

function bump(m: Map<string, Map<string, number>>, owner: string, at: string, by: number): void {
  let inner = m.get(owner);
  if (!inner) m.set(owner, (inner = new Map()));
  const v = (inner.get(at) ?? 0) + by;
  if (v <= 0) inner.delete(at);
  else inner.set(at, v);
  if (inner.size === 0) m.delete(owner);
}
