/**
 * One pass of the resource model over the whole datacenter at one instant, through the pure
 * layer: pods' demand from their profiles (`containerLoads`), each machine's demand from its
 * containers held to their limits and to its vCPUs (`vmDemand`), reservations admitted into the
 * zone pool trees, `computeEntitlements` (hypervisor shares, CPU ready), then `divideVmCpu`
 * inside every node (Linux CFS by requests). A bare-metal node is a machine as big as its host.
 */
import {
  admitReservations,
  computeEntitlements,
  containerLoads,
  demandAt,
  divideVmCpu,
  rootPoolName,
  validatePoolTree,
  vmDemand,
  zoneCapacities,
  type ConstantProfile,
  type ContainerLoad,
  type HostCapacity,
  type VmLoad,
} from '../../resources/index.js';
import type { Machine, PodState, WorkloadState } from '../engine/world.js';
import { SimulationError } from '../errors.js';

export interface MachineFigures {
  readonly cpuDemandMHz: number;
  readonly cpuUsageMHz: number;
  readonly cpuEntitlementMHz: number;
  readonly memoryUsageMiB: number;
  readonly memoryEntitlementMiB: number;
  readonly readyPercent: number;
}

export interface PodFigures {
  readonly pod: PodState;
  readonly demandMillis: number;
  readonly gotMillis: number;
}

export interface ContentionResult {
  /** Aligned with the input machines. */
  readonly machines: readonly MachineFigures[];
  readonly pods: readonly PodFigures[];
  readonly hostCpuMHz: ReadonlyMap<string, number>;
  readonly hostMemoryMiB: ReadonlyMap<string, number>;
  /** Machines whose CPU reservation the zone could not admit (run unreserved). */
  readonly reservationsRefused: number;
}

export interface ContentionInput {
  /** Hosts that are up. */
  readonly hosts: readonly HostCapacity[];
  /** Running machines on those hosts. */
  readonly machines: readonly Machine[];
  readonly atMs: number;
  readonly coreMHz: number;
}

/** The demand of one workload's pods at `atMs`, with its timeline load factor applied. */
function workloadProfile(w: WorkloadState, atMs: number): ConstantProfile {
  const d = demandAt(w.spec.demand, atMs);
  const f = w.loadPercent / 100;
  return { kind: 'constant', cpuMillis: d.cpuMillis * f, memoryMiB: d.memoryMiB * f };
}

/**
 * A pod's containers with their requests and limits, parsed once (quantities are strings in the
 * Pod object), and each container's share of the pod's demand: `containerLoads` at a unit demand.
 */
interface PodTemplate {
  readonly loads: readonly ContainerLoad[];
  readonly cpuShare: readonly number[];
  readonly memoryShare: readonly number[];
}

const UNIT: ConstantProfile = { kind: 'constant', cpuMillis: 1, memoryMiB: 1 };
const templates = new WeakMap<PodState, PodTemplate>();

function templateOf(pod: PodState): PodTemplate {
  let t = templates.get(pod);
  if (t === undefined) {
    const loads = containerLoads(pod.object, UNIT, 0, pod.workload.spec.tenant);
    t = { loads, cpuShare: loads.map((c) => c.demandMillis), memoryShare: loads.map((c) => c.memoryDemandMiB) };
    templates.set(pod, t);
  }
  return t;
}

/** `containerLoads` for the pod at the workload's current demand, without re-parsing its quantities. */
function podLoads(pod: PodState, demand: ConstantProfile, out: ContainerLoad[], owners: PodState[]): void {
  const t = templateOf(pod);
  t.loads.forEach((c, i) => {
    out.push({ ...c, demandMillis: (t.cpuShare[i] as number) * demand.cpuMillis, memoryDemandMiB: (t.memoryShare[i] as number) * demand.memoryMiB });
    owners.push(pod);
  });
}

export function computeContention(input: ContentionInput): ContentionResult {
  const { hosts, machines, atMs, coreMHz } = input;
  const zoneOf = new Map(hosts.map((h) => [h.name, h.zone]));
  const tree0 = validatePoolTree([], zoneCapacities(hosts));
  if (!tree0.ok) throw new SimulationError(`zone capacities are invalid: ${tree0.causes.map((c) => c.message).join('; ')}`);
  const profiles = new Map<WorkloadState, ConstantProfile>();
  const profileOf = (w: WorkloadState): ConstantProfile => {
    let p = profiles.get(w);
    if (p === undefined) profiles.set(w, (p = workloadProfile(w, atMs)));
    return p;
  };

  const containers: ContainerLoad[][] = [];
  const podsOf: PodState[][] = [];
  const reserving: number[] = [];
  const requests: { pool: string; cpuMHz: number; memoryMiB: number }[] = [];
  const loads: VmLoad[] = machines.map((m, i) => {
    const mine: ContainerLoad[] = [];
    const pods: PodState[] = [];
    for (const pod of m.node?.pods ?? []) if (pod.running) podLoads(pod, profileOf(pod.workload), mine, pods);
    containers.push(mine);
    podsOf.push(pods);
    const d = vmDemand(mine, { vcpus: m.cpus, memoryMiB: m.memoryMiB }, coreMHz);
    const fixedCpu = (m.fixedDemand?.cpuFraction ?? 0) * m.cpus * coreMHz;
    const fixedMem = (m.fixedDemand?.memoryFraction ?? 0) * m.memoryMiB;
    const reservationMHz = Math.round((m.cpuReservationPercent / 100) * m.cpus * coreMHz);
    if (reservationMHz > 0) {
      reserving.push(i);
      requests.push({ pool: rootPoolName(zoneOf.get(m.host ?? '') ?? ''), cpuMHz: reservationMHz, memoryMiB: 0 });
    }
    return {
      name: m.key,
      host: m.host ?? '',
      tenant: m.tenant,
      vcpus: m.cpus,
      memoryMiB: m.memoryMiB,
      cpuDemandMHz: Math.min(d.cpuDemandMHz + fixedCpu, m.cpus * coreMHz),
      memoryDemandMiB: Math.min(d.memoryDemandMiB + fixedMem, m.memoryMiB),
      ...(reservationMHz > 0 ? { allocation: { cpu: { reservationMHz } } } : {}),
    };
  });
  const admitted = admitReservations(tree0.tree, requests);
  for (const r of admitted.refused) {
    const i = reserving[r.index] as number;
    const { allocation: _dropped, ...rest } = loads[i] as VmLoad;
    loads[i] = rest;
  }

  const result = computeEntitlements({ hosts, tree: admitted.tree, vms: loads });
  const hostCpuMHz = new Map<string, number>();
  const hostMemoryMiB = new Map<string, number>();
  const pods: PodFigures[] = [];
  const figures = result.vms.map((v, i) => {
    hostCpuMHz.set(v.host, (hostCpuMHz.get(v.host) ?? 0) + v.cpu.usageMHz);
    hostMemoryMiB.set(v.host, (hostMemoryMiB.get(v.host) ?? 0) + v.memory.usageMiB);
    const mine = containers[i] as ContainerLoad[];
    if (mine.length > 0) {
      const owners = podsOf[i] as PodState[];
      divideVmCpu(mine, v.cpu.usageMHz, coreMHz).forEach((s, j) => pods.push({ pod: owners[j] as PodState, demandMillis: s.demandMillis, gotMillis: s.gotMillis }));
    }
    return {
      cpuDemandMHz: v.cpu.demandMHz,
      cpuUsageMHz: v.cpu.usageMHz,
      cpuEntitlementMHz: v.cpu.entitlementMHz,
      memoryUsageMiB: v.memory.usageMiB,
      memoryEntitlementMiB: v.memory.entitlementMiB,
      readyPercent: v.cpu.readyPercent,
    };
  });
  return { machines: figures, pods, hostCpuMHz, hostMemoryMiB, reservationsRefused: admitted.refused.length };
}
