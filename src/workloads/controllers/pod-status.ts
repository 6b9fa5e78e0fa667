/** Small pure helpers over pod status shared by the controllers: phase tests, readiness, templates. */
import { POD_TEMPLATE_HASH, getCondition, qosClass, type OwnerReference, type Pod, type PodTemplate, type ReplicaSet } from '../../api/index.js';

export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** Counts toward its owner's replicas: not terminal and not being deleted. */
export function isActive(p: Pod): boolean {
  return !isTerminal(p) && !p.metadata.deletionTimestamp;
}

export function isReady(p: Pod): boolean {
  return p.status?.phase === 'Running' && getCondition(p.status.conditions, 'Ready')?.status === 'True';
}

/** A new pod of a ReplicaSet from its template: generated name, labels, owner, Pending status. */
export function podFromTemplate(rs: ReplicaSet, template: PodTemplate, name: string): Pod {
  const owner: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid ?? '', controller: true };
  const labels = { ...(template.metadata?.labels ?? {}) };
  const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH];
  if (hash) labels[POD_TEMPLATE_HASH] = hash;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: rs.metadata.namespace ?? '',
      labels,
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [owner],
    },
    spec: template.spec,
    status: { phase: 'Pending', qosClass: qosClass(template.spec) },
  };
}

/** Deletion preference when scaling down (Kubernetes' ActivePods ordering): unbound, pending, not ready, newest first. */
export function deletionRank(p: Pod): number {
  if (!p.spec?.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  if (!isReady(p)) return 2;
  return 3;
}
