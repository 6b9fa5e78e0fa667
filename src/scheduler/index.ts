/** The scheduler's one door: snapshot, scheduler, profile, plugin contracts and outcomes. */
export { ClusterSnapshot, type PlacedVm, type SnapshotInput, type TenantInfo } from './snapshot.js';
export { Scheduler, type ScheduleOptions, type SchedulerOptions } from './scheduler.js';
export { decide, type Decision, type DecideOptions, type PlacementResult } from './framework.js';
export { defaultProfile, type ProfileOptions } from './profile.js';
export {
  CycleState,
  type FilterPlugin,
  type Plugin,
  type PreFilterPlugin,
  type Profile,
  type ScorePlugin,
  type WeightedScorePlugin,
} from './plugin.js';
export { compileRequest, sensitivityIndex, vmKey, type PlacementRequest } from './request.js';
export type { HostInfo, ZoneInfo } from './host-info.js';
export { NUMA_POLICIES, isNumaPolicy, type NumaPolicy, type NumaShare } from './numa.js';
export { feasibleHostsToFind, type SamplingOptions } from './sampling.js';
export { failureMessage, reasonSummary, type SchedulerExplanation, type ScoredHost } from './explanation.js';
export {
  REASONS,
  STATUS_CODES,
  SUCCESS,
  isStatusCode,
  missingFeature,
  unresolvable,
  unschedulable,
  type FilterStatus,
  type Reason,
  type StatusCode,
} from './status.js';
export { BalancedAllocation } from './plugins/balanced-allocation.js';
export { CapacityFilter } from './plugins/capacity.js';
export { FeaturesFilter } from './plugins/features.js';
export { GroupSpread } from './plugins/group-spread.js';
export { HostStateFilter } from './plugins/host-state.js';
export { IsolationFilter } from './plugins/isolation.js';
export { LeastAllocated } from './plugins/least-allocated.js';
export { NumaFit } from './plugins/numa-fit.js';
export { ZoneAllowed } from './plugins/zone-allowed.js';
