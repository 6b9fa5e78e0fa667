/**
 * Keeps the one platform-wide policy engine equal to the store: pods of every cluster (with their
 * tenant's sensitivity), namespaces' labels, tenants' NetworkPolicies, administrators' policies and
 * groups, and each tenant's built-in isolation policy. Every reconcile is one `engine.update`
 * batch, which the engine validates in full before applying synchronously: a decision sees the
 * state before or after a change, never a half-applied one, so a policy change never opens a
 * window in which traffic it denies is allowed. A batch the engine refuses changes nothing (the
 * last good version keeps being enforced) and an admin policy says why in `status.conditions`.
 *
 * Keys are `<Kind>|<informer key>`.
 */
import type { Logger } from 'pino';
import { isBulkheadError, setCondition, type Pod } from '../../api/index.js';
import type { AdminNetworkPolicyObject } from '../../api/kinds/network-kinds.js';
import type { Clock } from '../../clock/index.js';
import type { Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import { compile, type AdminPolicy, type AdminPolicySpec, type GroupSpec, type NetworkPolicySpec, type PolicyChange, type PolicyEngine } from '../policy/index.js';
import type { PodEndpoint } from '../types.js';
import { ownerOfCluster, type NetworkInformers } from './informers.js';
import { podKeyOf, splitStoreNs } from './names.js';
import type { NetworkState } from './network-state.js';
import { isNetworked, podEndpoint } from './pod-endpoint.js';
import { ISOLATION_PREFIX, isolationPolicy, isolationPolicyName } from './tenant-isolation.js';
import { retryOnConflict, writeStatus } from './write-status.js';

const RETRY_MS = 5_000;

export function key(kind: string, o: { metadata: { namespace?: string; name: string } }): string {
  return `${kind}|${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function splitKey(k: string): { kind: string; namespace: string; name: string } {
  const bar = k.indexOf('|');
  const rest = k.slice(bar + 1);
  const slash = rest.lastIndexOf('/');
  return { kind: k.slice(0, bar), namespace: slash < 0 ? '' : rest.slice(0, slash), name: rest.slice(slash + 1) };
}

export class PolicyController implements Reconciler {
  readonly name = 'network-policy';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly state: NetworkState,
    private readonly inf: NetworkInformers,
    private readonly enqueue: (key: string) => void,
    private readonly log: Logger,
  ) {
    const watch = <T extends { metadata: { namespace?: string; name: string } }>(kind: string, i: { addHandlers(h: { onAdd(o: T): void; onUpdate(o: T, n: T): void; onDelete(o: T): void }): void }) =>
      i.addHandlers({ onAdd: (o) => enqueue(key(kind, o)), onUpdate: (_o, n) => enqueue(key(kind, n)), onDelete: (o) => enqueue(key(kind, o)) });
    watch('Pod', inf.pods);
    watch('Namespace', inf.namespaces);
    watch('NetworkPolicy', inf.networkPolicies);
    watch('AdminNetworkPolicy', inf.adminPolicies);
    watch('NetworkGroup', inf.groups);
    watch('Tenant', inf.tenants);
    watch('Cluster', inf.clusters);
  }

  /**
   * Builds the whole engine from the informers' caches before anything is served: namespaces,
   * groups, every tenant's isolation and the pods in one compile, then each policy on its own (a
   * stored policy the engine refuses is left out and reported by its reconcile, not fatal).
   */
  rebuild(): void {
    const pods: PodEndpoint[] = [];
    const tenants = new Set(this.inf.tenants.list().map((t) => t.metadata.name));
    for (const p of this.inf.pods.list()) {
      const { cluster, namespace } = splitStoreNs(p.metadata.namespace);
      const owner = ownerOfCluster(this.inf, cluster);
      if (!owner || !isNetworked(p)) continue;
      tenants.add(owner.tenant);
      pods.push(podEndpoint(p, owner, this.inf.namespaces.get(namespace, cluster)?.metadata.labels ?? {}));
    }
    const namespaces = this.inf.namespaces.list().map((n) => ({ cluster: n.metadata.namespace ?? '', name: n.metadata.name, labels: n.metadata.labels ?? {} }));
    const builtins = new Map([...tenants].map((t) => [t, isolationPolicyName(t)] as const));
    let engine: PolicyEngine;
    try {
      engine = compile({ namespaces, pods, adminPolicies: [...tenants].map(isolationPolicy) });
    } catch (e) {
      if (!isBulkheadError(e)) throw e;
      this.log.error({ err: e.message }, 'network: compiling every pod at once failed; adding them one by one');
      engine = compile({ namespaces, adminPolicies: [...tenants].map(isolationPolicy) });
      for (const pod of pods) this.tryUpdate(engine, [{ op: 'upsertPod', pod }], `pod ${pod.cluster}/${pod.namespace}/${pod.name}`);
    }
    for (const g of this.inf.groups.list()) if (g.spec) this.tryUpdate(engine, [{ op: 'upsertGroup', group: { name: g.metadata.name, spec: g.spec as unknown as GroupSpec } }], `group ${g.metadata.name}`);
    for (const np of this.inf.networkPolicies.list()) {
      const { cluster, namespace } = splitStoreNs(np.metadata.namespace);
      if (np.spec) this.tryUpdate(engine, [{ op: 'upsertNetworkPolicy', policy: { cluster, namespace, name: np.metadata.name, spec: np.spec as unknown as NetworkPolicySpec } }], `NetworkPolicy ${cluster}/${namespace}/${np.metadata.name}`);
    }
    for (const ap of this.inf.adminPolicies.list()) {
      if (ap.spec && !ap.metadata.name.startsWith(ISOLATION_PREFIX)) this.tryUpdate(engine, [{ op: 'upsertAdminPolicy', policy: { name: ap.metadata.name, spec: ap.spec as unknown as AdminPolicySpec } }], `admin policy ${ap.metadata.name}`);
    }
    this.state.replaceEngine(engine, builtins);
    for (const p of this.inf.pods.list()) {
      const { cluster, namespace } = splitStoreNs(p.metadata.namespace);
      if (engine.pod({ cluster, namespace, name: p.metadata.name })) this.attach(p, cluster, namespace);
    }
  }

  private tryUpdate(engine: PolicyEngine, changes: readonly PolicyChange[], what: string): void {
    try {
      engine.update(changes);
    } catch (e) {
      if (!isBulkheadError(e)) throw e;
      this.log.warn({ err: e.message }, `network: ${what} is not enforced`);
    }
  }

  private attach(pod: Pod, cluster: string, namespace: string): void {
    this.state.attach({ cluster, namespace, name: pod.metadata.name, ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}) });
  }

  reconcile(k: string): Promise<ReconcileResult | void> {
    return retryOnConflict(() => this.sync(k));
  }

  private async sync(k: string): Promise<ReconcileResult | void> {
    const { kind, namespace, name } = splitKey(k);
    switch (kind) {
      case 'Pod':
        return this.syncPod(namespace, name);
      case 'Namespace':
        return this.syncNamespace(namespace, name);
      case 'NetworkPolicy':
        return this.syncNetworkPolicy(namespace, name);
      case 'AdminNetworkPolicy':
        return this.syncAdminPolicy(name);
      case 'NetworkGroup':
        return this.syncGroup(name);
      case 'Tenant':
        return this.syncTenant(name);
      case 'Cluster':
        return this.requeuePodsOf((p) => splitStoreNs(p.metadata.namespace).cluster === name);
    }
  }

  /** The changes that put a pod in the engine (with its tenant's isolation, when new), or take it out. */
  podChanges(pod: Pod | undefined, storeNamespace: string, name: string): PolicyChange[] {
    const { cluster, namespace } = splitStoreNs(storeNamespace);
    const ref = { cluster, namespace, name };
    const owner = ownerOfCluster(this.inf, cluster);
    if (!pod || !isNetworked(pod) || !owner) return [{ op: 'removePod', pod: ref }];
    const nsLabels = this.inf.namespaces.get(namespace, cluster)?.metadata.labels ?? {};
    const changes: PolicyChange[] = [];
    if (!this.state.isIsolated(owner.tenant)) changes.push({ op: 'upsertAdminPolicy', policy: isolationPolicy(owner.tenant) });
    changes.push({ op: 'upsertPod', pod: podEndpoint(pod, owner, nsLabels) });
    return changes;
  }

  private apply(changes: readonly PolicyChange[]): void {
    this.state.applyPolicy(changes);
  }

  private syncPod(storeNamespace: string, name: string): void {
    const pod = this.inf.pods.get(name, storeNamespace);
    const { cluster, namespace } = splitStoreNs(storeNamespace);
    const changes = this.podChanges(pod, storeNamespace, name);
    this.apply(changes);
    const k = podKeyOf(cluster, namespace, name);
    if (changes.some((c) => c.op === 'upsertPod') && pod) this.attach(pod, cluster, namespace);
    else this.state.detach(k);
  }

  private syncNamespace(cluster: string, name: string): void {
    const ns = this.inf.namespaces.get(name, cluster);
    this.apply([ns ? { op: 'upsertNamespace', namespace: { cluster, name, labels: ns.metadata.labels ?? {} } } : { op: 'removeNamespace', namespace: { cluster, name } }]);
  }

  private syncNetworkPolicy(storeNamespace: string, name: string): ReconcileResult | void {
    const { cluster, namespace } = splitStoreNs(storeNamespace);
    const np = this.inf.networkPolicies.get(name, storeNamespace);
    try {
      this.apply([np?.spec ? { op: 'upsertNetworkPolicy', policy: { cluster, namespace, name, spec: np.spec as unknown as NetworkPolicySpec } } : { op: 'removeNetworkPolicy', policy: { cluster, namespace, name } }]);
    } catch (e) {
      // Validated at the API; a stored object the engine refuses keeps its last good version enforced.
      if (!isBulkheadError(e)) throw e;
      return { requeueAfter: RETRY_MS };
    }
  }

  private async syncAdminPolicy(name: string): Promise<ReconcileResult | void> {
    const obj = this.inf.adminPolicies.get(name);
    if (!obj?.spec) {
      this.apply([{ op: 'removeAdminPolicy', name }]);
      return;
    }
    if (name.startsWith(ISOLATION_PREFIX)) return this.realized(obj, false, 'ReservedName', `names starting with "${ISOLATION_PREFIX}" belong to the built-in tenant isolation`);
    const policy: AdminPolicy = { name, spec: obj.spec as unknown as AdminPolicySpec };
    try {
      this.apply([{ op: 'upsertAdminPolicy', policy }]);
    } catch (e) {
      if (!isBulkheadError(e)) throw e;
      await this.realized(obj, false, 'Invalid', `${e.message}; the previous version (if any) is still enforced`);
      return { requeueAfter: RETRY_MS };
    }
    return this.realized(obj, true, 'Enforced', `enforced by the distributed firewall (tier ${policy.spec.tier}, priority ${policy.spec.priority})`);
  }

  private async realized(obj: AdminNetworkPolicyObject, ok: boolean, reason: string, message: string): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const conditions = setCondition(obj.status?.conditions, { type: 'Realized', status: ok ? 'True' : 'False', reason, message, observedGeneration: obj.metadata.generation ?? 1 }, now);
    const next = { ...obj.status, conditions, observedGeneration: obj.metadata.generation ?? 1 };
    if (JSON.stringify(next) === JSON.stringify(obj.status)) return;
    await writeStatus(this.store, obj, next);
  }

  private syncGroup(name: string): ReconcileResult | void {
    const g = this.inf.groups.get(name);
    try {
      this.apply([g?.spec ? { op: 'upsertGroup', group: { name, spec: g.spec as unknown as GroupSpec } } : { op: 'removeGroup', name }]);
    } catch (e) {
      // e.g. removing a group a policy still references: keep it until the policy lets go.
      if (!isBulkheadError(e)) throw e;
      return { requeueAfter: RETRY_MS };
    }
    // Policies that referenced a group that was missing may now be realizable.
    for (const p of this.inf.adminPolicies.list()) this.enqueue(key('AdminNetworkPolicy', p));
  }

  private syncTenant(name: string): void {
    const tenant = this.inf.tenants.get(name);
    if (tenant) this.apply([{ op: 'upsertAdminPolicy', policy: isolationPolicy(name) }]);
    else if (!this.state.engine.pods().some((p) => p.tenant === name)) this.apply([{ op: 'removeAdminPolicy', name: isolationPolicyName(name) }]);
    const clusters = new Set(this.inf.clusters.list().filter((c) => c.spec?.tenant === name).map((c) => c.metadata.name));
    this.requeuePodsOf((p) => clusters.has(splitStoreNs(p.metadata.namespace).cluster));
  }

  private requeuePodsOf(match: (p: Pod) => boolean): void {
    for (const p of this.inf.pods.list()) if (match(p)) this.enqueue(key('Pod', p));
  }
}
