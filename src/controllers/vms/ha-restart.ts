/**
 * The `HaRestart` condition on a VirtualMachine: who owns bringing a lost VM back. While it is
 * True, vSphere-style HA (src/availability) restarts the VM and nobody else touches it (the
 * cluster resurrector waits, a rolling upgrade does not count it as failed). False means HA has
 * finished (`Restarted`), will not (`Disabled`), or gave up (`Abandoned`): the resurrector may act.
 */
import { getCondition, type VirtualMachine, type Zone } from '../../api/index.js';

export const HA_RESTART_CONDITION = 'HaRestart';

/** Reasons of the condition, in the order a restart goes through them. */
export const HA_RESTART_REASONS = ['WaitingForFailover', 'Restarting', 'WaitingForCapacity', 'Restarted', 'Disabled', 'Abandoned'] as const;
export type HaRestartReason = (typeof HA_RESTART_REASONS)[number];

/** True while HA owns the VM's restart. */
export function haOwnsRestart(vm: VirtualMachine): boolean {
  return getCondition(vm.status?.conditions, HA_RESTART_CONDITION)?.status === 'True';
}

/** Whether HA restarts this VM if its host fails: HA is on in its zone and its priority is not `disabled`. */
export function haProtects(vm: VirtualMachine, zone: Zone | undefined): boolean {
  return zone?.spec?.ha?.enabled === true && vm.spec?.restartPriority !== 'disabled' && vm.spec?.powerState !== 'Off';
}
