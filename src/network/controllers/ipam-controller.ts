/**
 * IPAM as a controller (NSX NCP's role): a cluster gets a node segment from its tenant's block
 * (the block is carved from the platform pool with the tenant's first cluster), a namespace gets a
 * pod subnet, a node VM an address on its cluster's segment, and a bound pod an address from its
 * namespace's subnet, written to `status.podIP` (the CNI's ADD). Blocks and subnets are recorded
 * as Segment objects before they are used; pod addresses are recorded in the pods themselves. At
 * start `rebuild` reloads all of it from the store, so no address is handed out twice across a
 * restart. What cannot be allocated says why: a Namespace's `NetworkReady` condition, a pod's
 * `PodReadyToStartContainers` condition.
 *
 * Keys: `Cluster|name`, `Namespace|<cluster>/<ns>`, `Pod|<cluster>/<ns>/<name>`, `VM|name`,
 * `Status|<segment>`.
 */
import { BulkheadError, NotFoundError, setCondition, type Namespace, type Pod, type VirtualMachine } from '../../api/index.js';
import type { SegmentObject } from '../../api/kinds/network-kinds.js';
import type { Clock } from '../../clock/index.js';
import type { Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import type { Logger } from 'pino';
import { IP_ADDRESS_KIND } from './cluster-ips.js';
import type { NetworkInformers } from './informers.js';
import { segmentNames, splitStoreNs, storeNs } from './names.js';
import type { NetworkState } from './network-state.js';
import { isNetworked } from './pod-endpoint.js';
import { PodAddressBook } from './pod-address-book.js';
import { segmentCapacity, SegmentWriter } from './segments.js';
import { subnetAnnotationCauses, subnetRequest } from './subnet-request.js';
import { retryOnConflict, writeStatus } from './write-status.js';

/** The label cluster node VMs carry (set by the cluster lifecycle controller). */
export const CLUSTER_LABEL = 'bulkhead.dev/cluster';
/** Pod condition the network sets (Kubernetes' name for "sandbox and network ready"). */
export const POD_NETWORK_CONDITION = 'PodReadyToStartContainers';
/** Namespace condition the network sets. */
export const NAMESPACE_NETWORK_CONDITION = 'NetworkReady';

const RETRY_MS = 30_000;

export class IpamController implements Reconciler {
  readonly name = 'network-ipam';
  private readonly segments: SegmentWriter;
  /** Addresses held by pods, per namespace. */
  private readonly podIps = new PodAddressBook();
  /** Cluster → VM → address held. */
  private readonly vmIps = new Map<string, Map<string, string>>();
  /** Pods waiting for an address, per `cluster/ns`. */
  private readonly waiting = new Map<string, Set<string>>();
  /** Why a cluster has no node segment. */
  private readonly clusterErrors = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly state: NetworkState,
    private readonly inf: NetworkInformers,
    private readonly enqueue: (key: string) => void,
    private readonly log: Logger,
  ) {
    this.segments = new SegmentWriter(store, inf.segments);
    inf.clusters.addHandlers({ onAdd: (c) => enqueue(`Cluster|${c.metadata.name}`), onUpdate: (_o, c) => enqueue(`Cluster|${c.metadata.name}`), onDelete: (c) => enqueue(`Cluster|${c.metadata.name}`) });
    const nsKey = (n: Namespace) => `Namespace|${n.metadata.namespace ?? ''}/${n.metadata.name}`;
    inf.namespaces.addHandlers({ onAdd: (n) => enqueue(nsKey(n)), onUpdate: (_o, n) => enqueue(nsKey(n)), onDelete: (n) => enqueue(nsKey(n)) });
    const podKey = (p: Pod) => `Pod|${p.metadata.namespace ?? ''}/${p.metadata.name}`;
    inf.pods.addHandlers({
      onAdd: (p) => enqueue(podKey(p)),
      onUpdate: (o, p) => {
        if (o.spec?.nodeName !== p.spec?.nodeName || o.status?.podIP !== p.status?.podIP || isNetworked(o) !== isNetworked(p)) enqueue(podKey(p));
      },
      onDelete: (p) => enqueue(podKey(p)),
    });
    const vmEvent = (vm: VirtualMachine) => {
      if (vm.metadata.labels?.[CLUSTER_LABEL]) enqueue(`VM|${vm.metadata.name}`);
    };
    inf.vms.addHandlers({ onAdd: vmEvent, onUpdate: (_o, vm) => vmEvent(vm), onDelete: vmEvent });
    inf.segments.addHandlers({ onAdd: (s) => enqueue(`Status|${s.metadata.name}`) });
  }

  // ── start ────────────────────────────────────────────────────────────────

  /**
   * Reloads every allocation the store records, before any controller allocates: Segments (tenant
   * blocks, node segments with their VM ports, pod subnets) and the addresses in pods' status.
   * A record that contradicts another (two pods claiming one address) is logged and skipped.
   */
  rebuild(): void {
    const ipam = this.state.ipam;
    const segs = this.inf.segments.list();
    const by = (role: string) => segs.filter((s) => s.spec?.role === role).map((s) => s.spec as NonNullable<SegmentObject['spec']>);
    const attempt = (what: string, fn: () => void) => {
      try {
        fn();
      } catch (e) {
        this.log.error({ err: (e as Error).message }, `network: cannot restore ${what}`);
      }
    };
    for (const s of by('TenantBlock')) attempt(`tenant block ${s.cidr} of ${s.tenant}`, () => ipam.allocateTenantBlock(s.tenant, { cidr: s.cidr }));
    for (const s of by('NodeSegment')) attempt(`node segment ${s.cidr} of cluster ${s.cluster ?? ''}`, () => ipam.allocateNodeSegment(s.tenant, s.cluster ?? '', { cidr: s.cidr }));
    for (const s of by('PodSubnet')) attempt(`pod subnet ${s.cidr} of ${s.cluster ?? ''}/${s.namespace ?? ''}`, () => ipam.allocateNamespaceSubnet(s.cluster ?? '', s.namespace ?? '', { cidr: s.cidr }));
    for (const seg of segs.filter((s) => s.spec?.role === 'NodeSegment')) {
      const cluster = seg.spec?.cluster ?? '';
      for (const [vm, address] of Object.entries(seg.status?.ports ?? {})) attempt(`address ${address} of VM ${vm}`, () => this.holdVm(cluster, vm, ipam.allocateVmAddress(cluster, vm, { address }).address));
    }
    for (const pod of this.inf.pods.list()) {
      const ip = pod.status?.podIP;
      if (!ip || !isNetworked(pod)) continue;
      const { cluster, namespace } = splitStoreNs(pod.metadata.namespace);
      if (!ipam.namespaceSubnet(cluster, namespace)) continue;
      attempt(`address ${ip} of pod ${cluster}/${namespace}/${pod.metadata.name}`, () => {
        ipam.allocatePodAddress(cluster, namespace, pod.metadata.name, { address: ip });
        this.podIps.set(storeNs(cluster, namespace), pod.metadata.name, ip);
      });
    }
  }

  reconcile(key: string): Promise<ReconcileResult | void> {
    return retryOnConflict(() => this.sync(key));
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const bar = key.indexOf('|');
    const kind = key.slice(0, bar);
    const rest = key.slice(bar + 1);
    try {
      switch (kind) {
        case 'Cluster':
          return await this.syncCluster(rest);
        case 'Namespace': {
          const { cluster, namespace } = splitStoreNs(rest);
          return await this.syncNamespace(cluster, namespace);
        }
        case 'Pod': {
          const i = rest.lastIndexOf('/');
          return await this.syncPod(rest.slice(0, i), rest.slice(i + 1));
        }
        case 'VM':
          return this.syncVm(rest);
        case 'Status':
          return await this.syncStatus(rest);
      }
    } catch (e) {
      if (e instanceof BulkheadError && !e.retryable) this.log.warn({ key, err: e.message }, 'network ipam');
      throw e;
    }
  }

  // ── clusters ─────────────────────────────────────────────────────────────

  private async syncCluster(name: string): Promise<ReconcileResult | void> {
    const ipam = this.state.ipam;
    const c = this.inf.clusters.get(name);
    const tenant = c?.spec?.tenant;
    const held = ipam.tenantOf(name);
    if (held !== undefined && held !== tenant) await this.releaseCluster(name, held);
    if (!c || !tenant) {
      await this.forgetCluster(name);
      return;
    }
    try {
      const block = ipam.allocateTenantBlock(tenant);
      await this.segments.ensure({ role: 'TenantBlock', tenant, cidr: block });
      const seg = ipam.allocateNodeSegment(tenant, name);
      await this.segments.ensure({ role: 'NodeSegment', tenant, cluster: name, cidr: seg.cidr, gateway: seg.gateway });
      this.clusterErrors.delete(name);
    } catch (e) {
      if (!(e instanceof BulkheadError) || e.retryable) throw e;
      this.clusterErrors.set(name, `cluster ${name} has no node segment: ${e.message}`);
      this.forNamespacesOf(name, (k) => this.enqueue(k));
      return { requeueAfter: RETRY_MS };
    }
    this.forNamespacesOf(name, (k) => this.enqueue(k));
    for (const vm of this.inf.vms.list()) if (vm.metadata.labels?.[CLUSTER_LABEL] === name) this.enqueue(`VM|${vm.metadata.name}`);
    this.enqueue(`Status|${segmentNames.tenantBlock(tenant)}`);
  }

  /** A cluster went (or changed hands): its segments and every address in them are released. */
  private async releaseCluster(name: string, tenant: string): Promise<void> {
    const ipam = this.state.ipam;
    ipam.releaseNodeSegment(name, { cascade: true });
    this.podIps.forgetCluster(name);
    this.vmIps.delete(name);
    for (const s of this.segments.ofCluster(name)) await this.segments.remove(s.metadata.name);
    const stillUsed = this.inf.clusters.list().some((c) => c.spec?.tenant === tenant && ipam.tenantOf(c.metadata.name) === tenant);
    if (!stillUsed) {
      ipam.releaseTenantBlock(tenant, { cascade: true });
      await this.segments.remove(segmentNames.tenantBlock(tenant));
    } else this.enqueue(`Status|${segmentNames.tenantBlock(tenant)}`);
  }

  /**
   * A deleted cluster's network objects go with it: its NetworkPolicies and ClusterIP records
   * (the cluster teardown deletes its workloads), so a later cluster of the same name, possibly
   * another tenant's, inherits no policy and no address.
   */
  private async forgetCluster(name: string): Promise<void> {
    const gone = (e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    };
    for (const np of this.inf.networkPolicies.list()) {
      if (splitStoreNs(np.metadata.namespace).cluster === name) await this.store.delete('NetworkPolicy', np.metadata.namespace ?? '', np.metadata.name).catch(gone);
    }
    for (const ip of (await this.store.list(IP_ADDRESS_KIND, { namespace: name })).items) await this.store.delete(IP_ADDRESS_KIND, name, ip.metadata.name).catch(gone);
  }

  private forNamespacesOf(cluster: string, fn: (key: string) => void): void {
    for (const n of this.inf.namespaces.list()) if (n.metadata.namespace === cluster) fn(`Namespace|${cluster}/${n.metadata.name}`);
  }

  // ── namespaces ───────────────────────────────────────────────────────────

  private async syncNamespace(cluster: string, name: string): Promise<ReconcileResult | void> {
    const ipam = this.state.ipam;
    const ns = this.inf.namespaces.get(name, cluster);
    if (!ns || ns.metadata.deletionTimestamp) {
      ipam.releaseNamespaceSubnet(cluster, name, { cascade: true });
      this.podIps.forgetNamespace(storeNs(cluster, name));
      await this.segments.remove(segmentNames.podSubnet(cluster, name));
      if (ipam.tenantOf(cluster)) this.enqueue(`Status|${segmentNames.tenantBlock(ipam.tenantOf(cluster) ?? '')}`);
      return;
    }
    const tenant = ipam.tenantOf(cluster);
    if (!tenant) return this.namespaceCondition(ns, false, 'ClusterNetworkPending', this.clusterErrors.get(cluster) ?? `waiting for cluster ${cluster}'s node segment`);
    const causes = subnetAnnotationCauses(ns.metadata.annotations, ipam.config.tenantBlockPrefix);
    if (causes.length > 0) return this.namespaceCondition(ns, false, 'InvalidAnnotation', causes.map((c) => `${c.field}: ${c.message}`).join('; '));
    const existing = ipam.namespaceSubnet(cluster, name);
    const request = subnetRequest(ns.metadata.annotations);
    if (existing && request.cidr !== undefined && request.cidr !== existing.cidr)
      return this.namespaceCondition(ns, false, 'SubnetImmutable', `the namespace holds ${existing.cidr}; a subnet cannot change while the namespace exists`);
    let seg;
    try {
      seg = existing ?? ipam.allocateNamespaceSubnet(cluster, name, request);
      await this.segments.ensure({ role: 'PodSubnet', tenant, cluster, namespace: name, cidr: seg.cidr, gateway: seg.gateway });
    } catch (e) {
      if (!(e instanceof BulkheadError) || e.retryable) throw e;
      await this.namespaceCondition(ns, false, e.reason === 'Conflict' ? 'PoolExhausted' : 'SubnetUnavailable', e.message);
      return { requeueAfter: RETRY_MS };
    }
    await this.namespaceCondition(ns, true, 'SubnetAllocated', `pod subnet ${seg.cidr} (gateway ${seg.gateway}) from tenant ${tenant}'s block`, seg);
    for (const k of this.waiting.get(storeNs(cluster, name)) ?? []) this.enqueue(k);
    this.enqueue(`Status|${segmentNames.tenantBlock(tenant)}`);
  }

  private async namespaceCondition(ns: Namespace, ok: boolean, reason: string, message: string, seg?: { cidr: string; gateway: string }): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const conditions = setCondition(ns.status?.conditions, { type: NAMESPACE_NETWORK_CONDITION, status: ok ? 'True' : 'False', reason, message }, now);
    const status = { ...ns.status, ...(seg ? { subnet: seg.cidr, gateway: seg.gateway } : {}), conditions };
    if (JSON.stringify(status) !== JSON.stringify(ns.status)) await writeStatus(this.store, ns, status);
  }

  // ── pods ─────────────────────────────────────────────────────────────────

  private async syncPod(storeNamespace: string, name: string): Promise<ReconcileResult | void> {
    const ipam = this.state.ipam;
    const { cluster, namespace } = splitStoreNs(storeNamespace);
    const waitKey = `Pod|${storeNamespace}/${name}`;
    const pod = this.inf.pods.get(name, storeNamespace);
    if (!pod || !isNetworked(pod)) {
      this.unwait(storeNamespace, waitKey);
      if (this.podIps.delete(storeNamespace, name)) {
        ipam.releasePodAddress(cluster, namespace, name);
        for (const k of this.waiting.get(storeNamespace) ?? []) this.enqueue(k);
        this.enqueue(`Status|${segmentNames.podSubnet(cluster, namespace)}`);
      }
      return;
    }
    if (!pod.spec?.nodeName) return;
    const recorded = pod.status?.podIP;
    if (recorded) {
      if (this.podIps.get(storeNamespace, name) === recorded) return;
      try {
        ipam.allocatePodAddress(cluster, namespace, name, { address: recorded });
        this.podIps.set(storeNamespace, name, recorded);
      } catch (e) {
        // A recorded address another pod holds: never hand it out twice; say so and leave it.
        if (!(e instanceof BulkheadError)) throw e;
        this.log.error({ pod: `${storeNamespace}/${name}`, err: e.message }, 'network: pod records an address IPAM cannot give it');
      }
      return;
    }
    if (!ipam.namespaceSubnet(cluster, namespace)) {
      this.wait(storeNamespace, waitKey);
      const nsCond = this.inf.namespaces.get(namespace, cluster)?.status?.conditions?.find((c) => c.type === NAMESPACE_NETWORK_CONDITION && c.status === 'False');
      if (nsCond) await this.podCondition(pod, false, 'NetworkNotReady', `namespace ${namespace} has no pod subnet: ${nsCond.message}`);
      return;
    }
    let address: string;
    try {
      address = ipam.allocatePodAddress(cluster, namespace, name).address;
    } catch (e) {
      if (!(e instanceof BulkheadError) || e.retryable) throw e;
      this.wait(storeNamespace, waitKey);
      await this.podCondition(pod, false, 'IPAddressUnavailable', e.message);
      return { requeueAfter: RETRY_MS };
    }
    this.unwait(storeNamespace, waitKey);
    this.podIps.set(storeNamespace, name, address);
    const now = new Date(this.clock.now()).toISOString();
    const conditions = setCondition(pod.status?.conditions, { type: POD_NETWORK_CONDITION, status: 'True', reason: 'AddressAssigned', message: `${address} on segment ${segmentNames.podSubnet(cluster, namespace)}` }, now);
    if (!(await writeStatus(this.store, pod, { ...pod.status, podIP: address, conditions }))) {
      this.podIps.delete(storeNamespace, name);
      ipam.releasePodAddress(cluster, namespace, name);
    }
    this.enqueue(`Status|${segmentNames.podSubnet(cluster, namespace)}`);
  }

  private async podCondition(pod: Pod, ok: boolean, reason: string, message: string): Promise<void> {
    const prev = pod.status?.conditions?.find((c) => c.type === POD_NETWORK_CONDITION);
    if (prev && prev.status === (ok ? 'True' : 'False') && prev.reason === reason && prev.message === message) return;
    const now = new Date(this.clock.now()).toISOString();
    await writeStatus(this.store, pod, { ...pod.status, conditions: setCondition(pod.status?.conditions, { type: POD_NETWORK_CONDITION, status: ok ? 'True' : 'False', reason, message }, now) });
  }

  private wait(storeNamespace: string, key: string): void {
    let s = this.waiting.get(storeNamespace);
    if (!s) this.waiting.set(storeNamespace, (s = new Set()));
    s.add(key);
  }

  private unwait(storeNamespace: string, key: string): void {
    const s = this.waiting.get(storeNamespace);
    s?.delete(key);
    if (s?.size === 0) this.waiting.delete(storeNamespace);
  }

  // ── node VMs ─────────────────────────────────────────────────────────────

  private syncVm(name: string): void {
    const ipam = this.state.ipam;
    const vm = this.inf.vms.get(name);
    const cluster = vm?.metadata.labels?.[CLUSTER_LABEL];
    for (const [c, vms] of this.vmIps) {
      if (c !== cluster && vms.delete(name)) {
        ipam.releaseVmAddress(c, name);
        this.enqueue(`Status|${segmentNames.nodeSegment(c)}`);
      }
    }
    if (!vm || !cluster || vm.metadata.deletionTimestamp) {
      if (cluster && this.vmIps.get(cluster)?.delete(name)) {
        ipam.releaseVmAddress(cluster, name);
        this.enqueue(`Status|${segmentNames.nodeSegment(cluster)}`);
      }
      return;
    }
    if (!ipam.nodeSegment(cluster)) return; // the cluster's reconcile enqueues its VMs
    this.holdVm(cluster, name, ipam.allocateVmAddress(cluster, name).address);
    this.enqueue(`Status|${segmentNames.nodeSegment(cluster)}`);
  }

  private holdVm(cluster: string, vm: string, address: string): void {
    let m = this.vmIps.get(cluster);
    if (!m) this.vmIps.set(cluster, (m = new Map()));
    m.set(vm, address);
  }

  /** A node VM's address, for traceflow. */
  vmAddress(cluster: string, vm: string): string | undefined {
    return this.vmIps.get(cluster)?.get(vm);
  }

  // ── Segment status ───────────────────────────────────────────────────────

  private async syncStatus(name: string): Promise<ReconcileResult | void> {
    const seg = this.inf.segments.get(name);
    const spec = seg?.spec;
    if (!spec) return;
    const capacity = segmentCapacity(spec.cidr);
    let status;
    if (spec.role === 'PodSubnet') {
      status = { allocated: this.podIps.count(storeNs(spec.cluster ?? '', spec.namespace ?? '')), capacity };
    } else if (spec.role === 'NodeSegment') {
      const ports = Object.fromEntries([...(this.vmIps.get(spec.cluster ?? '') ?? new Map<string, string>())].sort(([a], [b]) => a.localeCompare(b)));
      status = { allocated: Object.keys(ports).length, capacity, ports };
    } else {
      const segments = this.inf.segments.list().filter((s) => s.spec?.tenant === spec.tenant && s.spec.role !== 'TenantBlock').length;
      status = { allocated: segments, capacity: 2 ** (this.state.ipam.config.namespaceSubnetPrefix - this.state.ipam.config.tenantBlockPrefix) };
    }
    if (!(await this.segments.status(name, status))) return { requeueAfter: 200 };
  }
}
