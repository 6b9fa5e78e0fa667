/**
 * From pods to demand. A pod's demand profile comes from its `bulkhead.dev/demand-profile`
 * annotation (JSON, see demand-profile.ts), or, when it has none, is constant at its requests.
 * The pod's demand is split over its containers in proportion to their requests. A VM's demand is
 * the sum of its containers' demand, each held to its own limit (a CFS quota is hard), and held
 * to the VM's size (vCPUs, configured memory): the container/VM boundary.
 */
import { parseCpuMillis, parseMemoryMiB, podRequests, type Container, type Pod } from '../api/index.js';
import { parseDemandProfile, demandAt, type DemandProfile, type ProfileResult } from './demand-profile.js';

/** Annotation that carries a pod's demand profile as JSON. */
export const DEMAND_PROFILE_ANNOTATION = 'bulkhead.dev/demand-profile';

/** One container's load at one instant, in milli-CPU and MiB. */
export interface ContainerLoad {
  /** `<namespace>/<name>` of the pod (the name alone when it has no namespace). */
  readonly pod: string;
  readonly container: string;
  readonly tenant: string | undefined;
  readonly requestMillis: number;
  /** Undefined: no limit. */
  readonly limitMillis: number | undefined;
  readonly demandMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number | undefined;
  readonly memoryDemandMiB: number;
}

/** The key a pod is reported under. */
export function podKey(pod: Pod): string {
  return pod.metadata.namespace ? `${pod.metadata.namespace}/${pod.metadata.name}` : pod.metadata.name;
}

/** The pod's profile: its annotation parsed, or constant at its requests when it has none. */
export function podDemandProfile(pod: Pod): ProfileResult {
  const raw = pod.metadata.annotations?.[DEMAND_PROFILE_ANNOTATION];
  if (raw === undefined) {
    const req = pod.spec === undefined ? { cpuMillis: 0, memoryMiB: 0 } : podRequests(pod.spec);
    return { ok: true, profile: { kind: 'constant', cpuMillis: req.cpuMillis, memoryMiB: req.memoryMiB } };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const field = `metadata.annotations["${DEMAND_PROFILE_ANNOTATION}"]`;
    return { ok: false, causes: [{ field, message: `is not JSON: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  return parseDemandProfile(value, `metadata.annotations["${DEMAND_PROFILE_ANNOTATION}"]`);
}

function quantity(c: Container, kind: 'requests' | 'limits', res: 'cpu' | 'memory'): number | undefined {
  const v = c.resources?.[kind]?.[res];
  if (v === undefined) return undefined;
  const r = res === 'cpu' ? parseCpuMillis(v) : parseMemoryMiB(v);
  return r.ok ? r.value : undefined;
}

// Splits `total` in proportion to `weights`, evenly when they are all zero.
function split(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
}

/** The pod's containers' load at `atMs` under `profile` (from `podDemandProfile`). */
export function containerLoads(pod: Pod, profile: DemandProfile, atMs: number, tenant?: string): ContainerLoad[] {
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 0) return [];
  const demand = demandAt(profile, atMs);
  const cpuReq = containers.map((c) => quantity(c, 'requests', 'cpu') ?? quantity(c, 'limits', 'cpu') ?? 0);
  const memReq = containers.map((c) => quantity(c, 'requests', 'memory') ?? quantity(c, 'limits', 'memory') ?? 0);
  const cpu = split(demand.cpuMillis, cpuReq);
  const mem = split(demand.memoryMiB, memReq);
  const key = podKey(pod);
  return containers.map((c, i) => ({
    pod: key,
    container: c.name,
    tenant,
    requestMillis: cpuReq[i] as number,
    limitMillis: quantity(c, 'limits', 'cpu'),
    demandMillis: cpu[i] as number,
    memoryRequestMiB: memReq[i] as number,
    memoryLimitMiB: quantity(c, 'limits', 'memory'),
    memoryDemandMiB: mem[i] as number,
  }));
}

/** A VM's size as the demand model needs it. */
export interface VmSize {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/**
 * A VM's demand from the containers in it: each container held to its limit, the sum held to
 * the VM's vCPUs (at `coreMHz` each) and configured memory.
 */
export function vmDemand(containers: readonly ContainerLoad[], vm: VmSize, coreMHz: number): { readonly cpuDemandMHz: number; readonly memoryDemandMiB: number } {
  let millis = 0;
  let mib = 0;
  for (const c of containers) {
    millis += Math.min(c.demandMillis, c.limitMillis ?? Number.POSITIVE_INFINITY);
    mib += Math.min(c.memoryDemandMiB, c.memoryLimitMiB ?? Number.POSITIVE_INFINITY);
  }
  return { cpuDemandMHz: Math.min((millis / 1000) * coreMHz, vm.vcpus * coreMHz), memoryDemandMiB: Math.min(mib, vm.memoryMiB) };
}
