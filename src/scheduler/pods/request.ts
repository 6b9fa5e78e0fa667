/**
 * A pod compiled once for scheduling: its cluster (from the store namespace `<cluster>/<ns>`),
 * tenant, summed requests, node selector, tolerations and owner (for topology spread).
 */
import { podRequests, type Pod, type Toleration } from '../../api/index.js';

export interface PodRequest {
  /** `<cluster>/<ns>/<name>`, the informer key. */
  readonly key: string;
  readonly cluster: string;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly nodeSelector: readonly (readonly [string, string])[];
  readonly tolerations: readonly Toleration[];
  /** The controlling owner (`ReplicaSet/<uid>`), for spreading replicas. */
  readonly owner: string | undefined;
}

/** The cluster part of a workload store namespace (`web/shop` -> `web`). */
export function clusterOfNamespace(ns: string | undefined): string {
  const s = ns ?? '';
  const i = s.indexOf('/');
  return i < 0 ? s : s.slice(0, i);
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
}

export function ownerOf(pod: Pod): string | undefined {
  const o = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  return o ? `${o.kind}/${o.uid}` : undefined;
}

export function compilePodRequest(pod: Pod): PodRequest {
  const spec = pod.spec ?? { containers: [] };
  const r = podRequests(spec);
  return {
    key: podKey(pod),
    cluster: clusterOfNamespace(pod.metadata.namespace),
    cpuMillis: r.cpuMillis,
    memoryMiB: r.memoryMiB,
    nodeSelector: Object.entries(spec.nodeSelector ?? {}),
    tolerations: spec.tolerations ?? [],
    owner: ownerOf(pod),
  };
}
