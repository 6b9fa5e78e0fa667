/**
 * A Service's endpoints: the pods its selector picks in its namespace, per Service port, with the
 * targetPort resolved for each pod. Only ready pods serve (unless publishNotReadyAddresses); a
 * named targetPort is looked up in each pod's container ports by name and protocol, and a pod
 * that does not expose it is no endpoint for that port (Kubernetes' FindPort). Every pod left out
 * is listed with the reason, for `describe`.
 */
import { tryParseIpv4 } from '../ipam/index.js';
import type { NamedPort } from '../types.js';
import { portLabel, type CompiledService, type ServiceKey, type ServicePort } from './service.js';

/** A pod as endpoint selection needs it; a `PodEndpoint` plus readiness fits. */
export interface EndpointPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Absent until the pod has an address. */
  readonly ip?: string;
  readonly ports: readonly NamedPort[];
  /** Kubelet readiness (all containers ready, readiness probes passing). */
  readonly ready: boolean;
  /** Being deleted: never an endpoint, as kube-proxy drops terminating endpoints for new flows. */
  readonly terminating?: boolean;
}

/** One pod serving one Service port. */
export interface Backend {
  readonly pod: string;
  readonly ip: string;
  readonly port: number;
}

export interface PortEndpoints {
  readonly port: ServicePort;
  /** Sorted by address then port, so every consumer sees the same order. */
  readonly backends: readonly Backend[];
}

export const EXCLUSION_REASONS = ['NotReady', 'Terminating', 'NoAddress', 'NamedPortNotFound'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** A selected pod that is not an endpoint (for one port, or for all when `port` is absent). */
export interface Exclusion {
  readonly pod: string;
  readonly port?: string;
  readonly reason: ExclusionReason;
  readonly message: string;
}

export interface EndpointSet {
  readonly service: ServiceKey;
  readonly ports: readonly PortEndpoints[];
  readonly excluded: readonly Exclusion[];
}

/** `ip:port`, a backend's identity in health, affinity and connection tables. */
export function backendKey(b: { readonly ip: string; readonly port: number }): string {
  return `${b.ip}:${b.port}`;
}

/** Orders backends by numeric address, then port. */
export function compareBackends(a: { readonly ip: string; readonly port: number }, b: { readonly ip: string; readonly port: number }): number {
  return (tryParseIpv4(a.ip) ?? 0) - (tryParseIpv4(b.ip) ?? 0) || a.port - b.port;
}

/** Orders `ip:port` backend keys as `compareBackends` orders backends. */
export function compareBackendKeys(a: string, b: string): number {
  return compareBackends(splitKey(a), splitKey(b));
}

function splitKey(key: string): { ip: string; port: number } {
  const colon = key.lastIndexOf(':');
  return { ip: key.slice(0, colon), port: Number(key.slice(colon + 1)) };
}

/** Whether every selector label matches (a Service selector is equality-only). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The port a pod serves `port` on, or undefined when a named targetPort is not exposed. */
export function resolveTargetPort(port: ServicePort, pod: Pick<EndpointPod, 'ports'>): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return pod.ports.find((p) => p.name === port.targetPort && p.protocol === port.protocol)?.port;
}

/** Computes the endpoints of `service` from the pods of its cluster (other namespaces are ignored). */
export function computeEndpoints(service: CompiledService, pods: Iterable<EndpointPod>): EndpointSet {
  const excluded: Exclusion[] = [];
  const serving: EndpointPod[] = [];
  if (service.selector && Object.keys(service.selector).length > 0) {
    for (const pod of pods) {
      if (pod.namespace !== service.key.namespace || !selects(service.selector, pod.labels)) continue;
      if (pod.terminating) excluded.push({ pod: pod.name, reason: 'Terminating', message: 'pod is terminating' });
      else if (!pod.ip) excluded.push({ pod: pod.name, reason: 'NoAddress', message: 'pod has no IP address yet' });
      else if (!pod.ready && !service.publishNotReadyAddresses) excluded.push({ pod: pod.name, reason: 'NotReady', message: 'pod is not ready' });
      else serving.push(pod);
    }
  }
  const ports = service.ports.map((port) => {
    const backends: Backend[] = [];
    for (const pod of serving) {
      const target = resolveTargetPort(port, pod);
      if (target === undefined) {
        excluded.push({
          pod: pod.name,
          port: portLabel(port),
          reason: 'NamedPortNotFound',
          message: `pod exposes no ${port.protocol} container port named "${String(port.targetPort)}"`,
        });
      } else backends.push({ pod: pod.name, ip: pod.ip as string, port: target });
    }
    return { port, backends: backends.sort(compareBackends) };
  });
  excluded.sort((a, b) => a.pod.localeCompare(b.pod) || (a.port ?? '').localeCompare(b.port ?? ''));
  return { service: service.key, ports, excluded };
}
