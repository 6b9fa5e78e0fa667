/**
 * What `resolve` answers for a flow to a Service address: the endpoint chosen and the DNAT that
 * sends it there, or a refusal the data path enforces (Drop or Reject) and traceflow reports as
 * an `LB` observation. Expected outcomes are values, never exceptions.
 */
import type { Protocol } from '../types.js';
import type { Backend } from './endpoints.js';
import type { LbAlgorithm, ServiceKey } from './service.js';

/** Where a flow is headed: a Service by name (its ClusterIP), or a packet's destination address. */
export type ResolveTarget =
  | { readonly service: ServiceKey }
  /** A LoadBalancer VIP (platform-wide), or a ClusterIP inside `cluster` (the client's cluster). */
  | { readonly ip: string; readonly cluster?: string };

/** A new flow: the `resolve(service/VIP, client ip, client port, port, protocol, now)` of the design. */
export interface ResolveRequest {
  readonly target: ResolveTarget;
  readonly port: number;
  readonly protocol: Protocol;
  readonly clientIp: string;
  readonly clientPort: number;
}

/** The Service address a flow arrived on. */
export interface Frontend {
  readonly kind: 'ClusterIP' | 'LoadBalancer';
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** The destination NAT applied to the flow. */
export interface Translation {
  readonly client: { readonly ip: string; readonly port: number };
  readonly original: { readonly ip: string; readonly port: number };
  readonly translated: { readonly ip: string; readonly port: number };
  readonly protocol: Protocol;
  /** `10.0.1.9:40000 → 10.96.0.10:80/TCP DNAT to 10.0.2.5:8080 (pod web-0)`. */
  readonly text: string;
}

/** How the endpoint was chosen. */
export type PickedBy = 'ClientIPAffinity' | LbAlgorithm;

export interface Translated {
  readonly outcome: 'Translated';
  readonly service: ServiceKey;
  /** The Service port's label (name, or `port/protocol` when unnamed). */
  readonly servicePort: string;
  readonly frontend: Frontend;
  readonly endpoint: Backend;
  readonly translation: Translation;
  readonly pickedBy: PickedBy;
  /** Eligible endpoints the choice was made among. */
  readonly candidates: number;
  /** One sentence a user can read. */
  readonly reason: string;
}

/**
 * Why a flow to a Service address is not translated, and what the data path does about it:
 * - `ServiceNotFound`: no such Service (by name) — Drop.
 * - `PortNotExposed`: the Service has no such port/protocol — Drop (kube-proxy's iptables mode has
 *   no rule for it, so the packet goes nowhere) [derived].
 * - `SourceRangeDenied`: the client is outside loadBalancerSourceRanges — Drop (kube-proxy's
 *   firewall chain marks it for drop).
 * - `NoEndpoints`: no ready, healthy endpoint — Reject (kube-proxy installs a REJECT rule, so the
 *   client gets ICMP unreachable / TCP RST instead of a timeout).
 */
export const REFUSAL_CODES = ['ServiceNotFound', 'PortNotExposed', 'SourceRangeDenied', 'NoEndpoints'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refused {
  readonly outcome: 'Refused';
  readonly code: RefusalCode;
  readonly action: 'Drop' | 'Reject';
  readonly service?: ServiceKey;
  readonly frontend?: Frontend;
  readonly reason: string;
}

/** The destination is no Service address (route it as usual), or the Service is headless. */
export interface NotAService {
  readonly outcome: 'NotAService';
  readonly reason: string;
}

export type Resolution = Translated | Refused | NotAService;
