/**
 * A VM's demand at one instant, from what runs in it. A VM's demand is its own load (the guest
 * and, on a cluster node, the kubelet and runtime) plus its pods' containers, each container held
 * to its CPU and memory limit (a cgroup limit is hard), the sum held to the VM's size (vCPUs,
 * configured memory): soft limits inside the VM, hard limits at the VM.
 *
 * The VM's own load: its `bulkhead.dev/demand-profile` annotation when it has one; otherwise, on a
 * cluster node, the system reserve the node keeps from its pods (GKE's tiers, see
 * src/scheduler/pods/allocatable.ts); otherwise, on a VM without pods, 25 % of its vCPUs and 50 %
 * of its memory (an assumption: an idle-to-moderate guest, not a measurement).
 */
import type { Pod, VirtualMachine } from '../../api/index.js';
import {
  containerLoads,
  demandAt,
  parseDemandProfile,
  podDemandProfile,
  vmDemand,
  type ContainerLoad,
  type DemandProfile,
} from '../../resources/index.js';
import { cpuReserveMillis, memoryReserveMiB } from '../../scheduler/pods/index.js';
import { CLUSTER_LABEL, VM_DEMAND_ANNOTATION } from './labels.js';

/** A plain VM's default CPU demand, as a fraction of its vCPUs. */
export const DEFAULT_VM_CPU_FRACTION = 0.25;
/** A plain VM's default memory demand, as a fraction of its configured memory. */
export const DEFAULT_VM_MEMORY_FRACTION = 0.5;
/** Pod name the VM's own load is reported under (never a real pod key: those contain `/`). */
export const SYSTEM_POD = '(system)';

/** One VM's demand and where it comes from. */
export interface VmDemand {
  readonly cpuDemandMHz: number;
  readonly memoryDemandMiB: number;
  /** The VM's own load first, then its pods' containers. */
  readonly loads: readonly ContainerLoad[];
  /** How steady the demand is, 0..1 (1 = flat), weighted by CPU demand: DRS's cost-benefit reads it. */
  readonly stability: number;
  /** Unusable annotations (the default was used instead), as `<object>: <field>: <message>`. */
  readonly problems: readonly string[];
}

/** How much of a profile's gain lasts: flat 1, a full diurnal swing 0.5, bursty baseline / burst level. */
export function profileStability(p: DemandProfile): number {
  switch (p.kind) {
    case 'constant':
      return 1;
    case 'diurnal':
      return 1 - p.amplitudePercent / 200;
    case 'bursty':
      return p.burstCpuMillis <= p.cpuMillis ? 1 : Math.max(0.2, p.cpuMillis / p.burstCpuMillis);
  }
}

type OwnParse = ReturnType<typeof parseOwnProfile>;
/**
 * Parsed annotations per object: informer caches hand out the same frozen object until it changes,
 * so each VM's and pod's annotation is parsed once, not at every computation.
 */
const vmParses = new WeakMap<VirtualMachine, OwnParse>();
const podParses = new WeakMap<Pod, ReturnType<typeof podDemandProfile>>();

function cachedPodProfile(pod: Pod): ReturnType<typeof podDemandProfile> {
  let r = podParses.get(pod);
  if (r === undefined) {
    r = podDemandProfile(pod);
    podParses.set(pod, r);
  }
  return r;
}

function ownProfile(vm: VirtualMachine, hasPods: boolean, problems: string[]): DemandProfile {
  const raw = vm.metadata.annotations?.[VM_DEMAND_ANNOTATION];
  if (raw !== undefined) {
    let parsed = vmParses.get(vm);
    if (parsed === undefined) {
      parsed = parseOwnProfile(raw);
      vmParses.set(vm, parsed);
    }
    if (parsed.ok) return parsed.profile;
    problems.push(`vm ${vm.metadata.name}: ${parsed.message}`);
  }
  const cpus = vm.spec?.cpus ?? 0;
  const memoryMiB = vm.spec?.memoryMiB ?? 0;
  if (vm.metadata.labels?.[CLUSTER_LABEL] !== undefined || hasPods) {
    return { kind: 'constant', cpuMillis: cpuReserveMillis(cpus), memoryMiB: memoryReserveMiB(memoryMiB) };
  }
  return { kind: 'constant', cpuMillis: Math.round(cpus * 1000 * DEFAULT_VM_CPU_FRACTION), memoryMiB: Math.round(memoryMiB * DEFAULT_VM_MEMORY_FRACTION) };
}

/** Parses a VM's demand-profile annotation; the message names the annotation and field. */
export function parseOwnProfile(raw: string): { ok: true; profile: DemandProfile } | { ok: false; message: string; field: string } {
  const field = `metadata.annotations["${VM_DEMAND_ANNOTATION}"]`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { ok: false, field, message: `${field}: is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const r = parseDemandProfile(value, field);
  if (r.ok) return r;
  const first = r.causes[0];
  return { ok: false, field: first?.field ?? field, message: r.causes.map((c) => `${c.field}: ${c.message}`).join('; ') };
}

/**
 * The VM's demand at `atMs` from its own profile and its running pods. `coreMHz` turns milli-CPU
 * into MHz (one vCPU runs at most at one core's clock).
 */
export function vmDemandAt(vm: VirtualMachine, pods: readonly Pod[], coreMHz: number, atMs: number): VmDemand {
  const problems: string[] = [];
  const tenant = vm.spec?.tenant;
  const own = ownProfile(vm, pods.length > 0, problems);
  const ownNow = demandAt(own, atMs);
  const loads: ContainerLoad[] = [
    {
      pod: SYSTEM_POD,
      container: vm.metadata.name,
      tenant,
      requestMillis: ownNow.cpuMillis,
      limitMillis: undefined,
      demandMillis: ownNow.cpuMillis,
      memoryRequestMiB: ownNow.memoryMiB,
      memoryLimitMiB: undefined,
      memoryDemandMiB: ownNow.memoryMiB,
    },
  ];
  let weighted = profileStability(own) * ownNow.cpuMillis;
  let weight = ownNow.cpuMillis;
  for (const pod of pods) {
    let profile = cachedPodProfile(pod);
    if (!profile.ok) {
      const ns = pod.metadata.namespace ?? '';
      problems.push(`pod ${ns}/${pod.metadata.name}: ${profile.causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`);
      profile = podDemandProfile({ ...pod, metadata: { ...pod.metadata, annotations: {} } });
    }
    if (!profile.ok) continue;
    const podLoads = containerLoads(pod, profile.profile, atMs, tenant);
    const millis = podLoads.reduce((a, c) => a + c.demandMillis, 0);
    weighted += profileStability(profile.profile) * millis;
    weight += millis;
    loads.push(...podLoads);
  }
  const size = { vcpus: vm.spec?.cpus ?? 0, memoryMiB: vm.spec?.memoryMiB ?? 0 };
  const d = vmDemand(loads, size, coreMHz);
  return { ...d, loads, stability: weight > 0 ? weighted / weight : 1, problems };
}
