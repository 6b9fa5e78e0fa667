/**
 * A Pod object as the network sees it: the engine's PodEndpoint (labels, namespace labels, address,
 * tenant and sensitivity, named container ports) and whether the pod is on the network at all
 * (not finished, not being deleted).
 */
import type { Pod } from '../../api/index.js';
import type { NamedPort, PodEndpoint } from '../types.js';
import { splitStoreNs } from './names.js';

/** Whether a pod takes part in the network: not Succeeded/Failed and not being deleted. */
export function isNetworked(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** The container ports a pod exposes (named ports resolve against these). */
export function podPorts(pod: Pod): NamedPort[] {
  return (pod.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p): NamedPort => ({ ...(p.name ? { name: p.name } : {}), port: p.containerPort, protocol: p.protocol ?? 'TCP' })),
  );
}

/** What the tenant lookup gives for a pod's cluster. */
export interface PodOwner {
  readonly tenant: string;
  readonly sensitivity: string;
}

export function podEndpoint(pod: Pod, owner: PodOwner, namespaceLabels: Readonly<Record<string, string>>): PodEndpoint {
  const { cluster, namespace } = splitStoreNs(pod.metadata.namespace);
  return {
    kind: 'pod',
    cluster,
    namespace,
    name: pod.metadata.name,
    labels: pod.metadata.labels ?? {},
    namespaceLabels,
    ip: pod.status?.podIP ?? '',
    tenant: owner.tenant,
    sensitivity: owner.sensitivity,
    ports: podPorts(pod),
  };
}
