/**
 * The availability capability (vSphere HA, vMotion, maintenance mode): its one door. See
 * README.md in this folder for how the pieces fit.
 */
export { availabilityExtension } from './extension.js';
export { addAvailabilityControllers, type AvailabilityControllers } from './controllers.js';
export { admitAvailability } from './admission/index.js';
export { HA_STATE_CONDITION } from './ha/host-condition-controller.js';
export { HA_TICK_MS, type HealthChange } from './ha/host-health.js';
export type { PassReport } from './ha/restart-controller.js';
export { MAINTENANCE_CONDITION, MAINTENANCE_HOST_LABEL, MIGRATING_CONDITION, TENANT_LABEL, VM_LABEL } from './model/names.js';
export { admissionPolicy, deadAfterMs, failoverHosts, haEnabled } from './model/ha-config.js';
export { zoneHaSummary, type ZoneHaSummary } from './http/zone-summary.js';
