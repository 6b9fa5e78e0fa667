/** A pod as the engine stores it: its slot in every bitset, identity keys and parsed address. */
import type { PodEndpoint } from '../types.js';
import type { IpAddress } from './cidr.js';

/** The label every namespace carries with its own name (immutable since Kubernetes 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface PodRecord {
  /** Index of the pod's bit in every membership set; -1 for a pod the engine does not hold. */
  readonly slot: number;
  /** `cluster/namespace/name`. */
  readonly key: string;
  /** `cluster/namespace`. */
  readonly nsKey: string;
  /** The pod with its effective namespace labels (the declared namespace's, when there is one). */
  readonly endpoint: PodEndpoint;
  /** The pod as the caller gave it (its own `namespaceLabels`, used when no namespace is declared). */
  readonly source: PodEndpoint;
  /** Undefined when the pod has no address yet (`ip: ''`): ipBlocks never match it. */
  readonly ip: IpAddress | undefined;
}

export function namespaceKey(cluster: string, namespace: string): string {
  return `${cluster}/${namespace}`;
}

export function podKey(p: { readonly cluster: string; readonly namespace: string; readonly name: string }): string {
  return `${p.cluster}/${p.namespace}/${p.name}`;
}
