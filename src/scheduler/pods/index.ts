/** The second-level scheduler: pods onto the worker VMs of their cluster. */
export { PodScheduler, podFailureMessage, type PodPlacement, type PodSchedulerOptions } from './scheduler.js';
export { PodSnapshot, CLUSTER_LABEL, ROLE_LABEL, SCHEDULABLE_LABEL, DRAIN_ANNOTATION, DEFAULT_MAX_PODS, isNodeVm, isDraining } from './snapshot.js';
export { compilePodRequest, clusterOfNamespace, ownerOf, podKey, type PodRequest } from './request.js';
export { allocatable, cpuReserveMillis, memoryReserveMiB, type Allocatable } from './allocatable.js';
export { TAINTS_ANNOTATION, parseTaints, tolerates, untolerated } from './taints.js';
export { POD_REASONS } from './reasons.js';
export { defaultPodProfile } from './profile.js';
export { PodCycleState, type PodFilterPlugin, type PodProfile, type PodScorePlugin } from './plugin.js';
export type { NodeInfo, Taint } from './node-info.js';
