/**
 * The noisy-neighbour experiment, end to end through the real model: tenant A runs four steady
 * pods (each requests 1 CPU, uses 2, limit 4); tenant B runs four bursty pods (each requests 2
 * CPUs, idles at 0.5, bursts to its limit of 8, all on one seed: a batch job waking up). One host
 * of 16 cores. Measured when B is quiet and during a burst, in two layouts:
 *
 *   vm boundary         A in an 8-vCPU VM reserving its 8 cores, B in a 12-vCPU VM: the hypervisor
 *                       divides the host by reservation and shares, B is held to its vCPUs.
 *   container boundary  A and B in one 16-vCPU VM (a bare-metal node): CFS divides by requests,
 *                       and A, above its request, loses CPU to B's burst.
 *
 * Returns the figures of both so a report can show the difference.
 */
import type { Pod } from '../api/index.js';
import { divideVmCpu, podCpu, type PodCpu } from './cfs.js';
import { ResourceModelError } from './errors.js';
import { DEFAULT_CORE_MHZ, zoneCapacities, type HostCapacity } from './capacity.js';
import { burstsBetween, inBurst, type BurstyProfile, type ConstantProfile, type DemandProfile } from './demand-profile.js';
import { computeEntitlements, type VmEntitlement } from './entitlements.js';
import { DEMAND_PROFILE_ANNOTATION, containerLoads, podDemandProfile, vmDemand, type ContainerLoad } from './pod-demand.js';
import type { VmResourceAllocation } from './pool-schema.js';
import { rootPoolName } from './pool-tree.js';
import { admitReservation } from './reservations.js';
import { validatePoolTree } from './validate-pool-tree.js';
import type { VmLoad } from './vm-load.js';

/** Knobs of the experiment; the layout itself is fixed. */
export interface NoisyNeighbourOptions {
  readonly coreMHz?: number;
  /** Seed of tenant B's bursts. */
  readonly seed?: number;
  /** Virtual time to start looking for a quiet moment and a burst from. */
  readonly startMs?: number;
}

/** A tenant's CPU over its pods, in milli-CPU (ready in ms per 20 s sample). */
export interface TenantCpu {
  readonly demandMillis: number;
  readonly gotMillis: number;
  readonly readyMs: number;
}

/** The figures at one instant. */
export interface NoisyNeighbourPhase {
  readonly atMs: number;
  readonly tenantA: TenantCpu;
  readonly tenantB: TenantCpu;
  readonly pods: readonly PodCpu[];
  readonly vms: readonly VmEntitlement[];
}

/** One layout, quiet and under B's burst. */
export interface NoisyNeighbourCase {
  readonly boundary: 'vm' | 'container';
  readonly description: string;
  readonly quiet: NoisyNeighbourPhase;
  readonly burst: NoisyNeighbourPhase;
  /** How much of what A got when B was quiet it lost during the burst, in percent. */
  readonly tenantALossPercent: number;
}

/** Both layouts. */
export interface NoisyNeighbourReport {
  readonly host: HostCapacity;
  readonly vmBoundary: NoisyNeighbourCase;
  readonly containerBoundary: NoisyNeighbourCase;
}

const HOST_CORES = 16;
const PODS_PER_TENANT = 4;
const ZONE = 'noisy';

function pod(name: string, tenant: string, request: string, limit: string, profile: DemandProfile): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: tenant, annotations: { [DEMAND_PROFILE_ANNOTATION]: JSON.stringify(profile) } },
    spec: { containers: [{ name: 'app', image: 'app:1', resources: { requests: { cpu: request, memory: '1Gi' }, limits: { cpu: limit, memory: '2Gi' } } }] },
  };
}

interface VmLayout {
  readonly name: string;
  readonly tenant: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly allocation?: VmResourceAllocation;
  readonly pods: readonly Pod[];
}

function tenantCpu(pods: readonly PodCpu[], tenant: string): TenantCpu {
  const mine = pods.filter((p) => p.tenant === tenant);
  const sum = (f: (p: PodCpu) => number): number => mine.reduce((a, p) => a + f(p), 0);
  return { demandMillis: sum((p) => p.demandMillis), gotMillis: sum((p) => p.gotMillis), readyMs: sum((p) => p.readyMs) };
}

function phase(host: HostCapacity, layout: readonly VmLayout[], atMs: number): NoisyNeighbourPhase {
  let tree = (() => {
    const r = validatePoolTree([], zoneCapacities([host]));
    if (!r.ok) throw new ResourceModelError('noisy-neighbour', `empty pool tree invalid: ${r.causes.map((c) => c.message).join('; ')}`);
    return r.tree;
  })();
  const loads = new Map<string, ContainerLoad[]>();
  const vms: VmLoad[] = [];
  for (const vm of layout) {
    const reservation = vm.allocation?.cpu?.reservationMHz ?? 0;
    const admitted = admitReservation(tree, rootPoolName(ZONE), { cpuMHz: reservation, memoryMiB: 0 });
    if (!admitted.ok) throw new ResourceModelError('noisy-neighbour', admitted.refusal.message);
    tree = admitted.tree;
    const containers = vm.pods.flatMap((p) => {
      const profile = podDemandProfile(p);
      if (!profile.ok) throw new ResourceModelError('noisy-neighbour', `bad demand profile on pod ${p.metadata.name}`);
      return containerLoads(p, profile.profile, atMs, p.metadata.namespace);
    });
    loads.set(vm.name, containers);
    const demand = vmDemand(containers, vm, host.coreMHz);
    vms.push({ name: vm.name, host: host.name, tenant: vm.tenant, vcpus: vm.vcpus, memoryMiB: vm.memoryMiB, ...demand, ...(vm.allocation ? { allocation: vm.allocation } : {}) });
  }
  const result = computeEntitlements({ hosts: [host], tree, vms });
  const shares = result.vms.flatMap((v) => divideVmCpu(loads.get(v.name) ?? [], v.cpu.usageMHz, host.coreMHz));
  const pods = podCpu(shares);
  return { atMs, tenantA: tenantCpu(pods, 'tenant-a'), tenantB: tenantCpu(pods, 'tenant-b'), pods, vms: result.vms };
}

function runCase(boundary: 'vm' | 'container', description: string, host: HostCapacity, layout: readonly VmLayout[], quietAt: number, burstAt: number): NoisyNeighbourCase {
  const quiet = phase(host, layout, quietAt);
  const burst = phase(host, layout, burstAt);
  const before = quiet.tenantA.gotMillis;
  const tenantALossPercent = before > 0 ? (Math.max(0, before - burst.tenantA.gotMillis) / before) * 100 : 0;
  return { boundary, description, quiet, burst, tenantALossPercent };
}

/** Runs the experiment; deterministic for given options. */
export function noisyNeighbour(options: NoisyNeighbourOptions = {}): NoisyNeighbourReport {
  const coreMHz = options.coreMHz ?? DEFAULT_CORE_MHZ;
  const startMs = options.startMs ?? Date.UTC(2026, 0, 1);
  const host: HostCapacity = { name: 'host-1', zone: ZONE, cores: HOST_CORES, coreMHz, memoryMiB: 256 * 1024 };
  const steady: ConstantProfile = { kind: 'constant', cpuMillis: 2000, memoryMiB: 1024 };
  const bursty: BurstyProfile = {
    kind: 'bursty',
    cpuMillis: 500,
    memoryMiB: 1024,
    burstCpuMillis: 8000,
    meanIntervalSeconds: 600,
    meanDurationSeconds: 120,
    seed: options.seed ?? 7,
  };
  const range = (prefix: string, tenant: string, request: string, limit: string, profile: DemandProfile): Pod[] =>
    Array.from({ length: PODS_PER_TENANT }, (_, i) => pod(`${prefix}-${i}`, tenant, request, limit, profile));
  const podsA = range('a', 'tenant-a', '1', '4', steady);
  const podsB = range('b', 'tenant-b', '2', '8', bursty);

  // The first burst after the start, and a moment with no burst (after that burst if need be).
  const first = burstsBetween(bursty, startMs, startMs + 7 * 86_400_000)[0];
  if (first === undefined) throw new ResourceModelError('noisy-neighbour', 'no burst within a week of the start');
  const burstAt = first.startMs;
  let quietAt = startMs;
  while (inBurst(bursty, quietAt)) quietAt = (burstsBetween(bursty, quietAt, quietAt + 1).at(-1) as { endMs: number }).endMs;

  const vmLayout: VmLayout[] = [
    { name: 'tenant-a-vm', tenant: 'tenant-a', vcpus: HOST_CORES / 2, memoryMiB: 16 * 1024, allocation: { cpu: { reservationMHz: (HOST_CORES / 2) * coreMHz } }, pods: podsA },
    { name: 'tenant-b-vm', tenant: 'tenant-b', vcpus: (HOST_CORES * 3) / 4, memoryMiB: 16 * 1024, pods: podsB },
  ];
  const sharedLayout: VmLayout[] = [{ name: 'shared-node', tenant: 'shared', vcpus: HOST_CORES, memoryMiB: 64 * 1024, pods: [...podsA, ...podsB] }];
  return {
    host,
    vmBoundary: runCase('vm', "A and B in their own VMs; A's VM reserves its 8 cores, B's VM has 12 vCPUs", host, vmLayout, quietAt, burstAt),
    containerBoundary: runCase('container', 'A and B as containers in one 16-vCPU VM (a bare-metal node); CFS shares by requests', host, sharedLayout, quietAt, burstAt),
  };
}
