/**
 * What the data path is asked and what it answers: a new connection from a pod to a pod or an
 * address (a Service's ClusterIP, a LoadBalancer VIP, another pod's IP, anything outside), and the
 * ordered hops it took, Antrea Traceflow style, ending in Delivered, Dropped or Rejected with the
 * load balancer refusal or firewall rule that decided it.
 */
import type { Protocol, RuleRef } from '../types.js';
import type { Translation } from '../services/index.js';

export interface PodTarget {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
}

export interface FlowRequest {
  readonly from: PodTarget;
  /** A pod by name, or a destination address (VIP, ClusterIP in the source's cluster, pod IP, external). */
  readonly to: { readonly pod: PodTarget } | { readonly ip: string };
  readonly port: number;
  readonly protocol: Protocol;
  /** The client's ephemeral port, shown in the destination NAT; default 40000. */
  readonly sourcePort?: number;
}

export const HOP_COMPONENTS = ['Source', 'LoadBalancer', 'Firewall', 'Destination'] as const;
export type HopComponent = (typeof HOP_COMPONENTS)[number];

export const HOP_ACTIONS = ['Forwarded', 'Translated', 'Allowed', 'Dropped', 'Rejected', 'Delivered'] as const;
export type HopAction = (typeof HOP_ACTIONS)[number];

/** A pod as a hop names it. */
export interface HopPod {
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly ip?: string;
  readonly node?: string;
  /** The pod subnet's Segment (CIDR). */
  readonly segment?: string;
  readonly tenant: string;
}

export interface Hop {
  readonly component: HopComponent;
  readonly action: HopAction;
  /** One line a person reads. */
  readonly detail: string;
  /** The pod at this hop: the source, the side's pod for a firewall hop, the destination. */
  readonly pod?: HopPod;
  /** Firewall hops: which side of the connection. */
  readonly direction?: 'Egress' | 'Ingress';
  /** Firewall hops: the tier, policy and rule that decided this side. */
  readonly rule?: RuleRef;
  /** LoadBalancer hops: the destination NAT applied. */
  readonly translation?: Translation;
  /** LoadBalancer hops: the Service, `cluster/ns/name`. */
  readonly service?: string;
}

export const VERDICTS = ['Delivered', 'Dropped', 'Rejected'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface FlowResult {
  readonly verdict: Verdict;
  readonly hops: readonly Hop[];
  /** The sentence that explains the verdict (the deciding rule or refusal). */
  readonly reason: string;
  /** The firewall rule (per the engine) or the load balancer refusal that decided. */
  readonly decidedBy: RuleRef | { readonly tier: 'loadbalancer'; readonly action: 'Drop' | 'Reject'; readonly rule: string };
}
