/** Controllers: the reconcile framework and the platform's controllers, wired by the manager. */
export * from './framework/index.js';
export { HostController, ALLOCATING_PHASES } from './hosts/host-controller.js';
export { ZoneController } from './hosts/zone-controller.js';
export { syncInventory } from './hosts/inventory.js';
export { VmController, VM_FINALIZER } from './vms/vm-controller.js';
export { PlacementController, UNSCHEDULABLE_RETRY_MS, schedulingView } from './placement/placement-controller.js';
export { HA_RESTART_CONDITION, HA_RESTART_REASONS, haOwnsRestart, haProtects, type HaRestartReason } from './vms/ha-restart.js';
export { ControllerManager, type ManagerOptions, type ManagerHooks } from './manager.js';
