/**
 * Resource pools, entitlements and contention: the pure layer. Controllers, the API and the CLI
 * drive it with plain data (pools, hosts, VMs and pods with their demand) and get plain data back.
 */
export {
  CPU_SHARES_PER_VCPU,
  MAX_CUSTOM_SHARES,
  MEMORY_SHARES_PER_MIB,
  NORMAL_SHARES,
  POOL_EQUIVALENT,
  SHARES_LEVELS,
  cpuShares,
  isSharesLevel,
  memoryShares,
  sharesProblem,
  type Shares,
  type SharesLevel,
} from './shares.js';
export { DEFAULT_CORE_MHZ, hostCapacityOf, hostCpuMHz, zoneCapacities, type Capacity, type HostCapacity } from './capacity.js';
export {
  PoolCpuAllocationSchema,
  PoolMemoryAllocationSchema,
  ResourcePoolSpecSchema,
  SharesSchema,
  VmCpuAllocationSchema,
  VmMemoryAllocationSchema,
  VmResourceAllocationSchema,
  defaultResourcePoolSpec,
  type PoolCpuAllocation,
  type PoolMemoryAllocation,
  type ResourcePool,
  type ResourcePoolSpec,
  type ResourcePoolStatus,
  type SharesSpec,
  type VmCpuAllocation,
  type VmMemoryAllocation,
  type VmResourceAllocation,
} from './pool-schema.js';
export {
  RESOURCE_KINDS,
  RESOURCE_UNITS,
  ancestorsOf,
  parentNodeName,
  reservedOf,
  rootPoolName,
  type Allocation,
  type PoolDef,
  type PoolNode,
  type PoolTree,
  type ReservationLedger,
  type ResourceKind,
} from './pool-tree.js';
export { poolTreeError, validatePoolTree, type PoolCause, type PoolTreeResult } from './validate-pool-tree.js';
export {
  admitAmount,
  admitReservation,
  admitReservations,
  availableReservation,
  releaseReservation,
  unreservedOf,
  type AdmissionOutcome,
  type ReservationRefusal,
  type ReservationRequest,
} from './reservations.js';
export { waterFill } from './water-fill.js';
export { type VmLoad } from './vm-load.js';
export {
  computeEntitlements,
  type EntitlementInput,
  type EntitlementResult,
  type PoolEntitlement,
  type VmCpuFigures,
  type VmEntitlement,
  type VmMemoryFigures,
} from './entitlements.js';
export { BALLOON_MAX_FRACTION, READY_SAMPLE_MS, cpuReadyMs, cpuReadyPercent, memoryPressure, type MemoryPressure } from './host-contention.js';
export {
  BurstyProfileSchema,
  ConstantProfileSchema,
  DEMAND_PROFILE_KINDS,
  DemandProfileSchema,
  DiurnalProfileSchema,
  MAX_BURST_FACTOR,
  burstsBetween,
  demandAt,
  inBurst,
  parseDemandProfile,
  type Burst,
  type BurstyProfile,
  type ConstantProfile,
  type Demand,
  type DemandProfile,
  type DemandProfileKind,
  type DiurnalProfile,
  type ProfileResult,
} from './demand-profile.js';
export { DEMAND_PROFILE_ANNOTATION, containerLoads, podDemandProfile, podKey, vmDemand, type ContainerLoad, type VmSize } from './pod-demand.js';
export { CFS_MIN_SHARES, cfsShares, divideVmCpu, podCpu, type ContainerShare, type PodCpu } from './cfs.js';
export {
  noisyNeighbour,
  type NoisyNeighbourCase,
  type NoisyNeighbourOptions,
  type NoisyNeighbourPhase,
  type NoisyNeighbourReport,
  type TenantCpu,
} from './noisy-neighbour.js';
export { NO_TENANT, containerTotals, groupTotals, sumTotals, topReport, vmTotals, type TopReport, type TopRow, type UsageTotals } from './aggregate.js';
export { ResourceModelError } from './errors.js';
