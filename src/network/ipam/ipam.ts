/**
 * The platform's IPAM, NSX's per-namespace design: the platform pool gives each tenant a block;
 * the tenant block gives each cluster a node segment and each namespace a pod subnet; VMs get
 * addresses from their cluster's segment, pods from their namespace's subnet. Pure state and
 * operations, no I/O: a controller calls an operation, then persists `toState()`; after a restart
 * `Ipam.fromState` rebuilds the same allocator (every allocation re-checked).
 *
 *   platform pool 10.0.0.0/8 ──▶ tenant block 10.16.0.0/12 ─┬─▶ node segment 10.16.0.0/24 ──▶ VM .2, .3 …
 *                                                            └─▶ pod subnet   10.16.1.0/24 ──▶ pod .2, .3 …
 */
import { NotFoundError, ValidationError } from '../../api/index.js';
import { AddressPool, type AddressPoolState } from './address-pool.js';
import { formatCidr, parseIpv4 } from './cidr.js';
import { compileIpamConfig, DEFAULT_IPAM_CONFIG, MAX_SEGMENT_PREFIX, type IpamConfig } from './config.js';
import { PoolInUseError } from './errors.js';
import { SubnetPool, type SubnetPoolState } from './subnet-pool.js';

/** Everything the Ipam knows, JSON-safe; persist it and pass it to `Ipam.fromState`. */
export interface IpamState {
  readonly config: IpamConfig;
  /** Tenant blocks carved from the platform pool (owner = tenant name). */
  readonly tenantBlocks: SubnetPoolState;
  /** Per tenant: segments carved from its block (owners `cluster <c>` and `namespace <c>/<ns>`). */
  readonly tenants: Readonly<Record<string, SubnetPoolState>>;
  /** Per cluster: its tenant and its node segment's addresses (owner = VM name). */
  readonly clusters: Readonly<Record<string, { readonly tenant: string; readonly nodes: AddressPoolState }>>;
  /** Per `<cluster>/<namespace>`: the pod subnet's addresses (owner = pod name). */
  readonly namespaces: Readonly<Record<string, AddressPoolState>>;
}

/** A segment as a router sees it. */
export interface SegmentAssignment {
  readonly cidr: string;
  readonly gateway: string;
}

/** What a NIC is configured with. */
export interface AddressAssignment {
  readonly address: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly subnet: string;
}

/** An explicit block request; without one the configured size is used. */
export interface BlockRequest {
  readonly cidr?: string;
  readonly prefix?: number;
}

/** An explicit address request (e.g. a VM's static IP). */
export interface IpRequest {
  readonly address?: string;
}

/** Release refuses while children hold addresses, unless `cascade` releases them too. */
export interface ReleaseOptions {
  readonly cascade?: boolean;
}

/** Who an address belongs to, for traceflow and `describe`. */
export interface AddressLookup {
  readonly tenant: string;
  readonly cluster: string;
  /** Set for a pod subnet. */
  readonly namespace?: string;
  readonly subnet: string;
  readonly kind: 'vm' | 'pod' | 'gateway' | 'network' | 'broadcast' | 'free';
  /** The VM or pod name when `kind` is vm or pod. */
  readonly name?: string;
}

interface ClusterEntry {
  readonly tenant: string;
  readonly nodes: AddressPool;
}

const clusterOwner = (cluster: string) => `cluster ${cluster}`;
const namespaceOwner = (key: string) => `namespace ${key}`;
const nsKey = (cluster: string, namespace: string) => `${cluster}/${namespace}`;

/** See the module comment. */
export class Ipam {
  readonly config: IpamConfig;
  private tenantBlocks: SubnetPool;
  private readonly tenants = new Map<string, SubnetPool>();
  private readonly clusters = new Map<string, ClusterEntry>();
  private readonly namespaces = new Map<string, AddressPool>();

  constructor(config: Partial<IpamConfig> = DEFAULT_IPAM_CONFIG) {
    this.config = compileIpamConfig(config);
    this.tenantBlocks = new SubnetPool({ name: 'platform', cidr: this.config.platformPool, excluded: this.config.excluded });
  }

  /** Rebuilds the allocator from persisted state; a ValidationError if the state is inconsistent. */
  static fromState(state: IpamState): Ipam {
    const ipam = new Ipam(state.config);
    if (state.tenantBlocks.cidr !== ipam.config.platformPool) {
      throw ValidationError.field('tenantBlocks.cidr', `${state.tenantBlocks.cidr} is not the configured platform pool ${ipam.config.platformPool}`);
    }
    ipam.tenantBlocks = SubnetPool.fromState(state.tenantBlocks);
    for (const [tenant, pool] of Object.entries(state.tenants)) {
      if (ipam.tenantBlocks.subnetOf(tenant) !== pool.cidr) throw ValidationError.field(`tenants.${tenant}`, `${pool.cidr} is not the tenant's block`);
      ipam.tenants.set(tenant, SubnetPool.fromState(pool));
    }
    for (const [cluster, entry] of Object.entries(state.clusters)) {
      if (ipam.tenants.get(entry.tenant)?.subnetOf(clusterOwner(cluster)) !== entry.nodes.cidr) {
        throw ValidationError.field(`clusters.${cluster}`, `node segment ${entry.nodes.cidr} is not allocated in tenant ${entry.tenant}'s block`);
      }
      ipam.clusters.set(cluster, { tenant: entry.tenant, nodes: AddressPool.fromState(entry.nodes) });
    }
    for (const [key, pool] of Object.entries(state.namespaces)) {
      const tenant = ipam.clusters.get(key.slice(0, key.indexOf('/')))?.tenant;
      if (tenant === undefined || ipam.tenants.get(tenant)?.subnetOf(namespaceOwner(key)) !== pool.cidr) {
        throw ValidationError.field(`namespaces.${key}`, `pod subnet ${pool.cidr} is not allocated in its cluster's tenant block`);
      }
      ipam.namespaces.set(key, AddressPool.fromState(pool));
    }
    return ipam;
  }

  toState(): IpamState {
    const tenants: Record<string, SubnetPoolState> = {};
    for (const t of [...this.tenants.keys()].sort()) tenants[t] = (this.tenants.get(t) as SubnetPool).toState();
    const clusters: Record<string, { tenant: string; nodes: AddressPoolState }> = {};
    for (const c of [...this.clusters.keys()].sort()) {
      const e = this.clusters.get(c) as ClusterEntry;
      clusters[c] = { tenant: e.tenant, nodes: e.nodes.toState() };
    }
    const namespaces: Record<string, AddressPoolState> = {};
    for (const k of [...this.namespaces.keys()].sort()) namespaces[k] = (this.namespaces.get(k) as AddressPool).toState();
    return { config: this.config, tenantBlocks: this.tenantBlocks.toState(), tenants, clusters, namespaces };
  }

  // ── tenants ──────────────────────────────────────────────────────────────

  /** Gives `tenant` a block from the platform pool (idempotent); returns its CIDR. */
  allocateTenantBlock(tenant: string, request: BlockRequest = {}): string {
    const cidr = this.tenantBlocks.allocate(tenant, { prefix: request.prefix ?? this.config.tenantBlockPrefix, ...(request.cidr === undefined ? {} : { cidr: request.cidr }) });
    if (!this.tenants.has(tenant)) this.tenants.set(tenant, new SubnetPool({ name: `tenant ${tenant}`, cidr }));
    return cidr;
  }

  /** Frees a tenant's block; PoolInUseError while clusters remain, unless `cascade`. */
  releaseTenantBlock(tenant: string, options: ReleaseOptions = {}): string | undefined {
    const pool = this.tenants.get(tenant);
    if (pool && pool.allocated > 0) {
      if (!options.cascade) throw new PoolInUseError(`tenant ${tenant}`, pool.allocated);
      for (const [cluster, e] of this.clusters) if (e.tenant === tenant) this.releaseNodeSegment(cluster, { cascade: true });
    }
    this.tenants.delete(tenant);
    return this.tenantBlocks.release(tenant);
  }

  tenantBlock(tenant: string): string | undefined {
    return this.tenantBlocks.subnetOf(tenant);
  }

  // ── clusters (node segments) ─────────────────────────────────────────────

  /** Gives `cluster` a node segment from its tenant's block (idempotent). */
  allocateNodeSegment(tenant: string, cluster: string, request: BlockRequest = {}): SegmentAssignment {
    const existing = this.clusters.get(cluster);
    if (existing && existing.tenant !== tenant) throw ValidationError.field('tenant', `cluster ${cluster} belongs to tenant ${existing.tenant}, not ${tenant}`);
    if (existing && request.cidr === undefined) return segmentOf(existing.nodes);
    const cidr = this.carve(tenant, clusterOwner(cluster), request, this.config.nodeSegmentPrefix);
    if (!existing) this.clusters.set(cluster, { tenant, nodes: this.segmentPool(tenant, clusterOwner(cluster), `cluster ${cluster} nodes`, cidr) });
    return segmentOf((this.clusters.get(cluster) as ClusterEntry).nodes);
  }

  /** Frees a cluster's node segment; PoolInUseError while VMs or namespaces hold addresses, unless `cascade`. */
  releaseNodeSegment(cluster: string, options: ReleaseOptions = {}): string | undefined {
    const e = this.clusters.get(cluster);
    if (!e) return undefined;
    const namespaces = [...this.namespaces.keys()].filter((k) => k.startsWith(`${cluster}/`));
    const inUse = e.nodes.allocated + namespaces.length;
    if (inUse > 0 && !options.cascade) throw new PoolInUseError(`cluster ${cluster} nodes`, inUse);
    for (const k of namespaces) this.releaseNamespaceSubnet(cluster, k.slice(cluster.length + 1), { cascade: true });
    this.clusters.delete(cluster);
    return this.tenants.get(e.tenant)?.release(clusterOwner(cluster));
  }

  nodeSegment(cluster: string): SegmentAssignment | undefined {
    const e = this.clusters.get(cluster);
    return e ? segmentOf(e.nodes) : undefined;
  }

  /** Tenant of a cluster that has a node segment. */
  tenantOf(cluster: string): string | undefined {
    return this.clusters.get(cluster)?.tenant;
  }

  // ── namespaces (pod subnets) ─────────────────────────────────────────────

  /** Gives a namespace a pod subnet from its cluster's tenant block (idempotent). */
  allocateNamespaceSubnet(cluster: string, namespace: string, request: BlockRequest = {}): SegmentAssignment {
    const tenant = this.cluster(cluster).tenant;
    const key = nsKey(cluster, namespace);
    const existing = this.namespaces.get(key);
    if (existing && request.cidr === undefined) return segmentOf(existing);
    const cidr = this.carve(tenant, namespaceOwner(key), request, this.config.namespaceSubnetPrefix);
    if (!existing) this.namespaces.set(key, this.segmentPool(tenant, namespaceOwner(key), `namespace ${key}`, cidr));
    return segmentOf(this.namespaces.get(key) as AddressPool);
  }

  /** Frees a namespace's subnet; PoolInUseError while pods hold addresses, unless `cascade`. */
  releaseNamespaceSubnet(cluster: string, namespace: string, options: ReleaseOptions = {}): string | undefined {
    const key = nsKey(cluster, namespace);
    const pool = this.namespaces.get(key);
    if (!pool) return undefined;
    if (pool.allocated > 0 && !options.cascade) throw new PoolInUseError(`namespace ${key}`, pool.allocated);
    this.namespaces.delete(key);
    return this.tenants.get(this.cluster(cluster).tenant)?.release(namespaceOwner(key));
  }

  namespaceSubnet(cluster: string, namespace: string): SegmentAssignment | undefined {
    const pool = this.namespaces.get(nsKey(cluster, namespace));
    return pool ? segmentOf(pool) : undefined;
  }

  // ── addresses ────────────────────────────────────────────────────────────

  /** An address for a VM from its cluster's node segment (idempotent per VM). */
  allocateVmAddress(cluster: string, vm: string, request: IpRequest = {}): AddressAssignment {
    const pool = this.cluster(cluster).nodes;
    return assignment(pool, pool.allocate(vm, { ...request, field: 'address' }));
  }

  releaseVmAddress(cluster: string, vm: string): string | undefined {
    return this.clusters.get(cluster)?.nodes.release(vm);
  }

  /** An address for a pod from its namespace's subnet (idempotent per pod). */
  allocatePodAddress(cluster: string, namespace: string, pod: string, request: IpRequest = {}): AddressAssignment {
    const key = nsKey(cluster, namespace);
    const pool = this.namespaces.get(key);
    if (!pool) throw new NotFoundError('NamespaceSubnet', namespace, cluster);
    return assignment(pool, pool.allocate(pod, { ...request, field: 'address' }));
  }

  releasePodAddress(cluster: string, namespace: string, pod: string): string | undefined {
    return this.namespaces.get(nsKey(cluster, namespace))?.release(pod);
  }

  /** Who holds `ip`: which tenant, segment and VM or pod; undefined outside every segment. */
  lookup(ip: string): AddressLookup | undefined {
    const addr = parseIpv4(ip);
    const tenantBlock = this.tenantBlocks.blockContaining(addr);
    if (!tenantBlock) return undefined;
    const tenant = tenantBlock.owner;
    const segment = this.tenants.get(tenant)?.blockContaining(addr);
    if (!segment) return undefined;
    const isNodes = segment.owner.startsWith('cluster ');
    const key = segment.owner.slice(isNodes ? 'cluster '.length : 'namespace '.length);
    const cluster = isNodes ? key : key.slice(0, key.indexOf('/'));
    const pool = isNodes ? this.clusters.get(key)?.nodes : this.namespaces.get(key);
    const holder = pool?.holderOf(addr);
    const base = { tenant, cluster, subnet: segment.cidr, ...(isNodes ? {} : { namespace: key.slice(cluster.length + 1) }) };
    if (holder === undefined) return { ...base, kind: 'free' };
    if (holder === 'gateway' || holder === 'network' || holder === 'broadcast') return { ...base, kind: holder };
    return { ...base, kind: isNodes ? 'vm' : 'pod', name: holder };
  }

  // ── internals ────────────────────────────────────────────────────────────

  private cluster(cluster: string): ClusterEntry {
    const e = this.clusters.get(cluster);
    if (!e) throw new NotFoundError('NodeSegment', cluster);
    return e;
  }

  private carve(tenant: string, owner: string, request: BlockRequest, defaultPrefix: number): string {
    const pool = this.tenants.get(tenant);
    if (!pool) throw new NotFoundError('TenantAddressBlock', tenant);
    const prefix = request.prefix ?? defaultPrefix;
    if (prefix > MAX_SEGMENT_PREFIX) throw ValidationError.field('prefix', `a segment needs room for network, gateway, a host and broadcast (want /${MAX_SEGMENT_PREFIX} or larger, got /${prefix})`);
    return pool.allocate(owner, { prefix, ...(request.cidr === undefined ? {} : { cidr: request.cidr }) });
  }

  /** An address pool for a freshly carved segment; the carve is undone if the pool cannot be built. */
  private segmentPool(tenant: string, owner: string, name: string, cidr: string): AddressPool {
    try {
      return new AddressPool({ name, cidr, gateway: true });
    } catch (e) {
      this.tenants.get(tenant)?.release(owner);
      throw e;
    }
  }
}

function segmentOf(pool: AddressPool): SegmentAssignment {
  return { cidr: formatCidr(pool.cidr), gateway: pool.gateway as string };
}

function assignment(pool: AddressPool, address: string): AddressAssignment {
  const s = segmentOf(pool);
  return { address, prefixLength: pool.cidr.prefix, gateway: s.gateway, subnet: s.cidr };
}
