/**
 * vSphere-style HA, the pure layer: host state from heartbeats, admission control at power-on and
 * before maintenance, and restart plans after host failures with vSphere's retry spacing. A
 * controller builds `HaZone` from the store and calls these; they never act themselves.
 */
export { checkPowerOn, type AdmissionVerdict } from './admission.js';
export { checkMaintenance, type MaintenanceOptions, type MaintenanceVerdict } from './maintenance.js';
export { planRestarts, type AbandonedRestart, type PendingRestart, type RestartHistory, type RestartPlacement, type RestartPlan, type RestartPlanInput } from './restart-plan.js';
export { nextAttemptAt, retryOffsets, VSPHERE_RETRY, type RetryPolicy } from './retry.js';
export { assessHost, classifyHost, DATASTORE_GRACE_MS, DEAD_AFTER_MS, HOST_HEALTH_STATES, type HeartbeatObservation, type HostAssessment, type HostHealth } from './host-state.js';
export { checkPolicy, percentageForFailures } from './policy.js';
export { hostSlots, MIN_SLOT, slotFigures, slotSize, slotsOf, type SlotFigures, type SlotPolicy } from './slots.js';
export { formatMemory, formatResources, formatVcpus } from './format.js';
export {
  ADMISSION_POLICY_TYPES,
  DEFAULT_RESTART_PRIORITY,
  isRestartPriority,
  RESTART_PRIORITIES,
  type AdmissionPolicy,
  type AdmissionPolicyType,
  type HaHost,
  type HaVm,
  type HaZone,
  type Resources,
  type RestartPriority,
} from './types.js';
