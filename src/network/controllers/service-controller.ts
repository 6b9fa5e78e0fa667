/**
 * Services on the load balancer (NSX-T LB / kube-proxy role): each Service is compiled, given its
 * addresses (the ClusterIP the API allocated; for a LoadBalancer Service an external VIP from the
 * platform pool, reported in `status.loadBalancer.ingress`), and installed in the Service proxy
 * with its endpoints: the ready pods its selector picks, with named target ports resolved per pod.
 * Deleted Services leave the proxy, give their VIP back, and lose any IPAddress left behind (the
 * ClusterIP repair loop).
 *
 * Keys: `<cluster>/<ns>/<name>` (the Service's informer key).
 */
import type { Logger } from 'pino';
import { isBulkheadError, getCondition, setCondition, type Pod, type Service } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import { compileService, type CompiledService, type EndpointPod, type ServiceAddresses, type ServiceKey, type ServiceSpecInput, computeEndpoints } from '../services/index.js';
import { IP_ADDRESS_KIND, releaseIfOwned, type IpAddressObject } from './cluster-ips.js';
import type { NetworkInformers } from './informers.js';
import { splitStoreNs } from './names.js';
import type { NetworkState } from './network-state.js';
import { isNetworked, podPorts } from './pod-endpoint.js';
import { retryOnConflict, writeStatus } from './write-status.js';

/** Service condition for LoadBalancer Services. */
export const LB_CONDITION = 'LoadBalancerReady';

function isReady(p: Pod): boolean {
  return p.status?.phase === 'Running' && getCondition(p.status.conditions, 'Ready')?.status === 'True';
}

/** A pod as endpoint selection needs it. */
export function endpointPod(p: Pod): EndpointPod {
  return {
    namespace: splitStoreNs(p.metadata.namespace).namespace,
    name: p.metadata.name,
    labels: p.metadata.labels ?? {},
    ...(p.status?.podIP ? { ip: p.status.podIP } : {}),
    ports: podPorts(p),
    ready: isReady(p),
    terminating: !isNetworked(p),
  };
}

function index(m: Map<string, Set<string>>, o: { metadata: { namespace?: string; name: string } }, add: boolean): void {
  const ns = o.metadata.namespace ?? '';
  let set = m.get(ns);
  if (!set) m.set(ns, (set = new Set()));
  if (add) set.add(o.metadata.name);
  else set.delete(o.metadata.name);
  if (set.size === 0) m.delete(ns);
}

export class ServiceController implements Reconciler {
  readonly name = 'network-services';
  /** Store namespace → Service names, to find the Services a pod change concerns. */
  private readonly byNamespace = new Map<string, Set<string>>();
  /** Store namespace → pod names, so a Service's endpoints are computed from its namespace only. */
  private readonly podsByNamespace = new Map<string, Set<string>>();

  constructor(
    private readonly store: Store,
    /** Control-plane time, for condition timestamps. */
    private readonly clock: Clock,
    /** The data path's clock (the simulated datacenter's): affinity and health times. */
    private readonly dataClock: Clock,
    private readonly state: NetworkState,
    private readonly inf: NetworkInformers,
    enqueue: (key: string) => void,
    private readonly log: Logger,
    private readonly onChange: () => void,
  ) {
    const k = (s: Service) => `${s.metadata.namespace ?? ''}/${s.metadata.name}`;
    inf.services.addHandlers({
      onAdd: (s) => {
        index(this.byNamespace, s, true);
        enqueue(k(s));
      },
      onUpdate: (_o, s) => enqueue(k(s)),
      onDelete: (s) => {
        index(this.byNamespace, s, false);
        enqueue(k(s));
      },
    });
    const podEvent = (p: Pod) => {
      for (const name of this.byNamespace.get(p.metadata.namespace ?? '') ?? []) enqueue(`${p.metadata.namespace ?? ''}/${name}`);
    };
    inf.pods.addHandlers({
      onAdd: (p) => {
        index(this.podsByNamespace, p, true);
        podEvent(p);
      },
      onUpdate: (o, p) => {
        if (isReady(o) !== isReady(p) || o.status?.podIP !== p.status?.podIP || isNetworked(o) !== isNetworked(p) || JSON.stringify(o.metadata.labels) !== JSON.stringify(p.metadata.labels)) podEvent(p);
      },
      onDelete: (p) => {
        index(this.podsByNamespace, p, false);
        podEvent(p);
      },
    });
  }

  /** Re-takes the VIPs Services recorded before a restart, before anything new is handed out. */
  rebuild(): void {
    for (const svc of this.inf.services.list()) {
      const vip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      const compiled = this.compiled(svc);
      if (!vip || !compiled || compiled.type !== 'LoadBalancer') continue;
      try {
        this.state.vips.addCluster(compiled.key.cluster, this.state.config.serviceCidr);
        this.state.vips.ensure({ ...compiled, requestedLoadBalancerIP: compiled.requestedLoadBalancerIP ?? vip });
      } catch (e) {
        this.log.error({ service: svc.metadata.name, err: (e as Error).message }, 'network: cannot restore a Service VIP');
      }
    }
  }

  reconcile(key: string): Promise<ReconcileResult | void> {
    return retryOnConflict(() => this.sync(key));
  }

  private async sync(key: string): Promise<ReconcileResult | void> {
    const i = key.lastIndexOf('/');
    const storeNamespace = key.slice(0, i);
    const name = key.slice(i + 1);
    const { cluster, namespace } = splitStoreNs(storeNamespace);
    const ref: ServiceKey = { cluster, namespace, name };
    const svc = this.inf.services.get(name, storeNamespace);
    const now = this.dataClock.now();
    if (!svc) {
      this.state.proxy.deleteService(ref);
      this.state.vips.release(ref);
      await this.repairClusterIps(cluster, namespace, name);
      this.onChange();
      return;
    }
    const compiled = this.compiled(svc);
    if (!compiled) return;
    const { addresses, problem } = this.addresses(svc, compiled);
    if (!compiled.headless && !addresses.clusterIP) return; // created without the network's allocator: no frontend to install
    this.state.proxy.upsertService(compiled, addresses, now);
    const pods = [...(this.podsByNamespace.get(storeNamespace) ?? [])].flatMap((n) => {
      const p = this.inf.pods.get(n, storeNamespace);
      return p ? [endpointPod(p)] : [];
    });
    this.state.proxy.setEndpoints(computeEndpoints(compiled, pods), now);
    this.onChange();
    await this.writeLbStatus(svc, compiled, addresses, problem);
  }

  private compiled(svc: Service): CompiledService | undefined {
    const { cluster, namespace } = splitStoreNs(svc.metadata.namespace);
    try {
      return compileService({ cluster, namespace, name: svc.metadata.name }, (svc.spec ?? { ports: [] }) as ServiceSpecInput);
    } catch (e) {
      if (!isBulkheadError(e)) throw e;
      this.log.warn({ service: `${cluster}/${namespace}/${svc.metadata.name}`, err: e.message }, 'network: Service not installed');
      return undefined;
    }
  }

  /** The ClusterIP the API allocated (mirrored into ServiceVips) and, for a LoadBalancer, a VIP. */
  private addresses(svc: Service, compiled: CompiledService): { addresses: ServiceAddresses; problem?: string } {
    const clusterIP = svc.spec?.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined;
    const previous = svc.status?.loadBalancer?.ingress?.[0]?.ip;
    const request: CompiledService = {
      ...compiled,
      ...(clusterIP ? { requestedClusterIP: clusterIP } : {}),
      ...(compiled.type === 'LoadBalancer' && !compiled.requestedLoadBalancerIP && previous ? { requestedLoadBalancerIP: previous } : {}),
    };
    this.state.vips.addCluster(compiled.key.cluster, this.state.config.serviceCidr);
    if (!clusterIP && !compiled.headless) return { addresses: {} };
    try {
      return { addresses: this.state.vips.ensure(request) };
    } catch (e) {
      if (!isBulkheadError(e)) throw e;
      return { addresses: clusterIP ? { clusterIP } : {}, problem: e.message };
    }
  }

  private async writeLbStatus(svc: Service, compiled: CompiledService, addresses: ServiceAddresses, problem: string | undefined): Promise<void> {
    const isLb = compiled.type === 'LoadBalancer';
    const now = new Date(this.clock.now()).toISOString();
    const { loadBalancer: _lb, conditions: _c, ...rest } = svc.status ?? {};
    const vip = addresses.loadBalancerIP;
    const conditions = isLb
      ? setCondition(
          svc.status?.conditions,
          vip
            ? { type: LB_CONDITION, status: 'True', reason: 'VipAllocated', message: `external VIP ${vip} from the platform pool ${this.state.config.vipPool}` }
            : { type: LB_CONDITION, status: 'False', reason: 'VipUnavailable', message: problem ?? 'no VIP allocated' },
          now,
        )
      : (svc.status?.conditions ?? []).filter((c) => c.type !== LB_CONDITION);
    const status = {
      ...rest,
      ...(vip ? { loadBalancer: { ingress: [{ ip: vip }] } } : {}),
      ...(conditions.length > 0 ? { conditions } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(svc.status ?? {})) await writeStatus(this.store, svc, status);
  }

  /** Deletes IPAddress objects left by a deleted Service (normally the API deleted them with it). */
  private async repairClusterIps(cluster: string, namespace: string, name: string): Promise<void> {
    const held = (await this.store.list<IpAddressObject>(IP_ADDRESS_KIND, { namespace: cluster })).items;
    for (const o of held) {
      if (o.spec?.parentRef.namespace !== namespace || o.spec.parentRef.name !== name) continue;
      if (this.inf.services.get(name, `${cluster}/${namespace}`)) continue;
      await releaseIfOwned(this.store, cluster, o.metadata.name, namespace, name);
    }
  }
}
