/**
 * Virtual IPs for Services: a ClusterIP from the cluster's service CIDR (kubeadm's 10.96.0.0/12
 * by default; ClusterIPs only mean something inside their cluster, so every cluster may use the
 * same range) and, for LoadBalancer Services, an external VIP from the platform's VIP pool (the
 * MetalLB IPAddressPool / NSX-T Tier-0 range). Both are address pools owned by the Service, so
 * allocation is idempotent, an explicitly requested address is honoured only if it is free and in
 * range, and delete releases both. Without a VIP pool a LoadBalancer Service stays pending, as it
 * does in Kubernetes with no load-balancer implementation.
 */
import { NotFoundError, ValidationError } from '../../api/index.js';
import { AddressPool, KUBEADM_SERVICE_CIDR, PoolInUseError, parseIpv4, type AddressPoolState } from '../ipam/index.js';
import { serviceKeyString, type CompiledService, type ServiceKey } from './service.js';

/** kubeadm's default `--service-cidr`. */
export const DEFAULT_SERVICE_CIDR = KUBEADM_SERVICE_CIDR;

/** The addresses a Service holds. */
export interface ServiceAddresses {
  /** Absent for a headless Service. */
  readonly clusterIP?: string;
  /** Absent unless a LoadBalancer Service got one (pending otherwise). */
  readonly loadBalancerIP?: string;
}

/** JSON-safe; rebuilt with `ServiceVips.fromState`. */
export interface ServiceVipsState {
  /** Per cluster: its service CIDR's allocations (owner `namespace/name`). */
  readonly clusters: Readonly<Record<string, AddressPoolState>>;
  /** The platform VIP pool (owner `cluster/namespace/name`), when one is configured. */
  readonly external?: AddressPoolState;
}

export interface ServiceVipsOptions {
  /** The platform's external VIP range; without one LoadBalancer Services stay pending. */
  readonly vipPool?: string;
}

const localOwner = (k: ServiceKey) => `${k.namespace}/${k.name}`;

/** ClusterIP and LoadBalancer VIP allocation; see the module comment. */
export class ServiceVips {
  private readonly clusters = new Map<string, AddressPool>();
  private external: AddressPool | undefined;

  constructor(options: ServiceVipsOptions = {}) {
    this.external = options.vipPool === undefined ? undefined : new AddressPool({ name: 'platform VIPs', cidr: options.vipPool });
  }

  static fromState(state: ServiceVipsState): ServiceVips {
    const vips = new ServiceVips();
    for (const [cluster, pool] of Object.entries(state.clusters)) vips.clusters.set(cluster, AddressPool.fromState(pool));
    if (state.external) vips.external = AddressPool.fromState(state.external);
    return vips;
  }

  toState(): ServiceVipsState {
    const clusters: Record<string, AddressPoolState> = {};
    for (const c of [...this.clusters.keys()].sort()) clusters[c] = (this.clusters.get(c) as AddressPool).toState();
    return this.external ? { clusters, external: this.external.toState() } : { clusters };
  }

  /** Registers a cluster's service CIDR (idempotent); returns it. */
  addCluster(cluster: string, serviceCidr: string = DEFAULT_SERVICE_CIDR): string {
    const existing = this.clusters.get(cluster);
    const pool = new AddressPool({ name: `cluster ${cluster} services`, cidr: serviceCidr });
    if (existing) {
      if (existing.cidr.network !== pool.cidr.network || existing.cidr.prefix !== pool.cidr.prefix) {
        throw ValidationError.field('serviceCidr', `cluster ${cluster} already uses service CIDR ${existing.toState().cidr}; it cannot change to ${serviceCidr}`);
      }
      return existing.toState().cidr;
    }
    this.clusters.set(cluster, pool);
    return pool.toState().cidr;
  }

  /** Forgets a cluster's service CIDR; PoolInUseError while Services hold addresses, unless `cascade`. */
  removeCluster(cluster: string, options: { readonly cascade?: boolean } = {}): void {
    const pool = this.clusters.get(cluster);
    if (!pool) return;
    if (pool.allocated > 0 && !options.cascade) throw new PoolInUseError(`cluster ${cluster} services`, pool.allocated);
    for (const [owner] of this.external?.entries() ?? []) if (owner.startsWith(`${cluster}/`)) this.external?.release(owner);
    this.clusters.delete(cluster);
  }

  /**
   * Allocates what the Service's spec calls for and releases what it no longer does (a VIP after
   * a change away from LoadBalancer). Idempotent. The ClusterIP is immutable once held, as in
   * Kubernetes; a changed loadBalancerIP moves the VIP. A failure leaves earlier steps in place
   * (call again after fixing the cause).
   */
  ensure(service: CompiledService): ServiceAddresses {
    const clusterIP = this.ensureClusterIP(service);
    const loadBalancerIP = this.ensureLoadBalancerIP(service);
    return { ...(clusterIP ? { clusterIP } : {}), ...(loadBalancerIP ? { loadBalancerIP } : {}) };
  }

  /** Releases both addresses of a deleted Service; returns what it held. */
  release(key: ServiceKey): ServiceAddresses {
    const clusterIP = this.clusters.get(key.cluster)?.release(localOwner(key));
    const loadBalancerIP = this.external?.release(serviceKeyString(key));
    return { ...(clusterIP ? { clusterIP } : {}), ...(loadBalancerIP ? { loadBalancerIP } : {}) };
  }

  addressesOf(key: ServiceKey): ServiceAddresses {
    const clusterIP = this.clusters.get(key.cluster)?.addressOf(localOwner(key));
    const loadBalancerIP = this.external?.addressOf(serviceKeyString(key));
    return { ...(clusterIP ? { clusterIP } : {}), ...(loadBalancerIP ? { loadBalancerIP } : {}) };
  }

  /** The Service holding an external VIP, or undefined. */
  serviceOfVip(ip: string): ServiceKey | undefined {
    const owner = this.external?.holderOf(parseIpv4(ip));
    if (!owner || !owner.includes('/')) return undefined;
    const [cluster, namespace, name] = owner.split('/') as [string, string, string];
    return { cluster, namespace, name };
  }

  private ensureClusterIP(service: CompiledService): string | undefined {
    const pool = this.clusters.get(service.key.cluster);
    if (!pool) throw new NotFoundError('ServiceCIDR', service.key.cluster);
    const owner = localOwner(service.key);
    const held = pool.addressOf(owner);
    if (service.headless) {
      if (held) throw ValidationError.field('spec.clusterIP', `field is immutable: the Service holds ${held}`);
      return undefined;
    }
    if (held && service.requestedClusterIP && service.requestedClusterIP !== held) {
      throw ValidationError.field('spec.clusterIP', `field is immutable: the Service holds ${held}`);
    }
    return pool.allocate(owner, service.requestedClusterIP ? { address: service.requestedClusterIP, field: 'spec.clusterIP' } : {});
  }

  private ensureLoadBalancerIP(service: CompiledService): string | undefined {
    const owner = serviceKeyString(service.key);
    if (service.type !== 'LoadBalancer') {
      this.external?.release(owner);
      return undefined;
    }
    if (!this.external) {
      if (service.requestedLoadBalancerIP) throw ValidationError.field('spec.loadBalancerIP', 'no VIP pool is configured on this platform');
      return undefined;
    }
    const held = this.external.addressOf(owner);
    const wanted = service.requestedLoadBalancerIP;
    if (held && wanted && held !== wanted) {
      this.external.release(owner);
      try {
        return this.external.allocate(owner, { address: wanted, field: 'spec.loadBalancerIP' });
      } catch (e) {
        this.external.allocate(owner, { address: held });
        throw e;
      }
    }
    return this.external.allocate(owner, wanted ? { address: wanted, field: 'spec.loadBalancerIP' } : {});
  }
}
