/**
 * Types shared by the network capability's parts: the policy engine (policy/), IPAM (ipam/),
 * services and load balancing (services/) and traceflow (traceflow/). The engine's verdict is what
 * both the simulated data path and traceflow report, so they can never disagree.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port a container exposes (for named ports in policies and Service targetPort). */
export interface NamedPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A pod as the network sees it: identity, labels, address, and the groups admin rules select on. */
export interface PodEndpoint {
  readonly kind: 'pod';
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the pod's namespace (including `kubernetes.io/metadata.name`). */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly tenant: string;
  /** The tenant's sensitivity level (e.g. low, moderate, high). */
  readonly sensitivity: string;
  readonly ports: readonly NamedPort[];
}

/** An address outside every cluster the engine knows (matched only by ipBlock rules). */
export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly ip: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

/** Admin tiers in evaluation order; tenant NetworkPolicies are evaluated at `application`. */
export const TIERS = ['emergency', 'platform', 'application', 'baseline'] as const;
export type Tier = (typeof TIERS)[number];

export type RuleAction = 'Allow' | 'Drop' | 'Reject' | 'Pass';

/** Which rule (or default) decided, for explanations and traceflow hops. */
export interface RuleRef {
  readonly tier: Tier | 'default';
  /** Policy name: `ns/name` for a NetworkPolicy, `name` for an admin policy. */
  readonly policy?: string;
  /** `ingress[0]`, `egress[1]`, or `isolation` when a policy isolated the pod without allowing. */
  readonly rule?: string;
  readonly action: RuleAction | 'Isolate' | 'DefaultAllow';
}

export interface Decision {
  readonly allowed: boolean;
  /** Drop is silent; Reject answers the client (TCP RST / ICMP unreachable). */
  readonly action: 'Allow' | 'Drop' | 'Reject';
  readonly decidedBy: RuleRef;
  /** One sentence a user can read: which policy and rule allowed it, or which isolation denied it. */
  readonly reason: string;
  /** The egress side's and ingress side's decisions when both were evaluated. */
  readonly egress?: RuleRef;
  readonly ingress?: RuleRef;
}
