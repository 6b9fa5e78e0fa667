/**
 * The network's in-memory state for one platform: the IPAM allocator, the Service VIPs, the
 * Service proxy (load balancer), the policy engine, and where each pod is attached (node, address).
 * Controllers keep it current from the store; the data path and traceflow read it. Nothing here is
 * the source of truth: every piece is rebuilt from store objects at start (see rebuild.ts).
 */
import { compileIpamConfig, DEFAULT_IPAM_CONFIG, Ipam, type IpamConfig } from '../ipam/index.js';
import { compile, type PolicyChange, type PolicyEngine } from '../policy/index.js';
import { DEFAULT_SERVICE_CIDR, ServiceProxy, ServiceVips } from '../services/index.js';
import { podKeyOf } from './names.js';
import { ISOLATION_PREFIX } from './tenant-isolation.js';

/** The platform's address plan. */
export interface NetworkConfig {
  readonly ipam: IpamConfig;
  /** Every cluster's ClusterIP range (ClusterIPs only mean something inside their cluster). */
  readonly serviceCidr: string;
  /** External VIPs of LoadBalancer Services (the NSX Tier-0 / MetalLB pool). */
  readonly vipPool: string;
}

/** RFC 2544's benchmarking range: routable-looking, never anyone's real address, outside 10/8. */
export const DEFAULT_VIP_POOL = '198.18.0.0/15';

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = Object.freeze({
  ipam: DEFAULT_IPAM_CONFIG,
  serviceCidr: DEFAULT_SERVICE_CIDR,
  vipPool: DEFAULT_VIP_POOL,
});

/** Where a pod sits on the network, for traceflow's hops. */
export interface PodAttachment {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeName?: string;
  readonly ip?: string;
}

export class NetworkState {
  readonly config: NetworkConfig;
  readonly ipam: Ipam;
  readonly vips: ServiceVips;
  readonly proxy = new ServiceProxy();
  /** Replaced once at start by a full compile; updated incrementally afterwards. */
  engine: PolicyEngine = compile({});
  /** Tenants whose built-in isolation policy the engine holds. */
  private readonly isolated = new Map<string, string>();
  private readonly attachments = new Map<string, PodAttachment>();
  private readonly byIp = new Map<string, string>();

  constructor(config: Partial<NetworkConfig> = {}) {
    this.config = { ...DEFAULT_NETWORK_CONFIG, ...config, ipam: compileIpamConfig(config.ipam ?? DEFAULT_IPAM_CONFIG) };
    this.ipam = new Ipam(this.config.ipam);
    this.vips = new ServiceVips({ vipPool: this.config.vipPool });
  }

  /** Applies a batch to the engine atomically (all or nothing) and tracks the built-in policies it holds. */
  applyPolicy(changes: readonly PolicyChange[]): void {
    this.engine.update(changes);
    for (const c of changes) {
      if (c.op === 'upsertAdminPolicy' && c.policy.name.startsWith(ISOLATION_PREFIX)) for (const t of c.policy.spec.appliedTo.tenants ?? []) this.isolated.set(t, c.policy.name);
      if (c.op === 'removeAdminPolicy') for (const [t, n] of this.isolated) if (n === c.name) this.isolated.delete(t);
    }
  }

  /** Replaces the engine (at start, after a full compile) and what it holds of the built-ins. */
  replaceEngine(engine: PolicyEngine, builtins: ReadonlyMap<string, string>): void {
    this.engine = engine;
    this.isolated.clear();
    for (const [tenant, policy] of builtins) this.isolated.set(tenant, policy);
  }

  /** Tenant → name of its built-in isolation policy, for every built-in the engine holds. */
  builtins(): ReadonlyMap<string, string> {
    return this.isolated;
  }

  isIsolated(tenant: string): boolean {
    return this.isolated.has(tenant);
  }

  attach(a: PodAttachment): void {
    const key = podKeyOf(a.cluster, a.namespace, a.name);
    this.detach(key);
    this.attachments.set(key, a);
    if (a.ip) this.byIp.set(a.ip, key);
  }

  detach(key: string): void {
    const old = this.attachments.get(key);
    if (!old) return;
    this.attachments.delete(key);
    if (old.ip && this.byIp.get(old.ip) === key) this.byIp.delete(old.ip);
  }

  attachment(key: string): PodAttachment | undefined {
    return this.attachments.get(key);
  }

  /** The pod holding `ip`, if any. */
  podAt(ip: string): PodAttachment | undefined {
    const key = this.byIp.get(ip);
    return key === undefined ? undefined : this.attachments.get(key);
  }
}
