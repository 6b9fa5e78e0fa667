/**
 * The Service model the load balancer works on: Kubernetes' Service fields (core/v1) plus the
 * NSX-T pool settings Kubernetes has no field for (algorithm, active health monitor). The input
 * shape is a superset of the API's ServiceSpec; `compileService` turns it into a `CompiledService`
 * with every default filled in, which is all the rest of this folder accepts.
 */
import type { Protocol } from '../types.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const SESSION_AFFINITY_TYPES = ['None', 'ClientIP'] as const;
export type SessionAffinityType = (typeof SESSION_AFFINITY_TYPES)[number];

/** NSX-T pool algorithms we implement (ROUND_ROBIN is NSX's default). */
export const LB_ALGORITHMS = ['ROUND_ROBIN', 'LEAST_CONNECTION', 'IP_HASH'] as const;
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];

/** NSX-T active monitor kinds; the probe itself is run by whoever drives the monitor. */
export const MONITOR_TYPES = ['TCP', 'UDP', 'HTTP', 'HTTPS', 'ICMP'] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];

/** Kubernetes' sessionAffinityConfig.clientIP.timeoutSeconds default (3 h) and maximum (1 day). */
export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10_800;
export const MAX_CLIENT_IP_TIMEOUT_SECONDS = 86_400;

/** NSX-T active monitor defaults (LBActiveMonitor; the same in terraform-provider-nsxt). */
export const DEFAULT_MONITOR = Object.freeze({ intervalSeconds: 5, timeoutSeconds: 15, fallCount: 3, riseCount: 3 });

/** A Service's identity. Cluster names are platform-unique; namespace and name as in Kubernetes. */
export interface ServiceKey {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
}

/** `cluster/namespace/name`, the key used in state maps and messages. */
export function serviceKeyString(key: ServiceKey): string {
  return `${key.cluster}/${key.namespace}/${key.name}`;
}

// ── input (Kubernetes-shaped) ────────────────────────────────────────────

export interface ServicePortInput {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: Protocol;
  readonly nodePort?: number;
}

/** NSX-T active monitor settings (`interval`, `timeout`, `fall_count`, `rise_count`, `monitor_port`). */
export interface HealthMonitorInput {
  readonly type?: MonitorType;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly fallCount?: number;
  readonly riseCount?: number;
  /** Probe this port instead of the member's port. */
  readonly port?: number;
}

export interface ServiceSpecInput {
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortInput[];
  readonly type?: ServiceType;
  /** Empty or absent: allocate one. `None`: headless (no virtual IP, no load balancing). */
  readonly clusterIP?: string;
  readonly loadBalancerIP?: string;
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly sessionAffinity?: SessionAffinityType;
  readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } };
  readonly publishNotReadyAddresses?: boolean;
  /** Bulkhead extension: the NSX-T pool settings for this Service. */
  readonly loadBalancing?: { readonly algorithm?: LbAlgorithm; readonly healthMonitor?: HealthMonitorInput };
}

// ── compiled ─────────────────────────────────────────────────────────────

export interface ServicePort {
  /** Empty for the single unnamed port a Service may have. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** A number, or a container port name resolved per pod. */
  readonly targetPort: number | string;
}

export interface HealthMonitorConfig {
  readonly type: MonitorType;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly fallCount: number;
  readonly riseCount: number;
  readonly port?: number;
}

export type SessionAffinity = { readonly type: 'None' } | { readonly type: 'ClientIP'; readonly timeoutSeconds: number };

/** A validated Service with every default filled in; JSON-safe. */
export interface CompiledService {
  readonly key: ServiceKey;
  readonly type: ServiceType;
  readonly selector?: Readonly<Record<string, string>>;
  readonly headless: boolean;
  readonly ports: readonly ServicePort[];
  readonly requestedClusterIP?: string;
  readonly requestedLoadBalancerIP?: string;
  /** Canonical CIDRs; empty allows every client. Applies to the LoadBalancer VIP only. */
  readonly sourceRanges: readonly string[];
  readonly sessionAffinity: SessionAffinity;
  readonly algorithm: LbAlgorithm;
  /** Absent: no active checks (NSX: off until a monitor is bound); kubelet readiness still applies. */
  readonly healthMonitor?: HealthMonitorConfig;
  readonly publishNotReadyAddresses: boolean;
}

/** The name shown for a port in messages: its name, or `port/protocol` for an unnamed one. */
export function portLabel(p: ServicePort): string {
  return p.name || `${p.port}/${p.protocol}`;
}
