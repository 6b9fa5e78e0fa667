/**
 * How the resurrector and vSphere-style HA share lost node VMs. HA acts first and faster (it
 * restarts the same VM on a surviving host about 15-18 s after the host goes silent; the
 * resurrector waits 60 s and then recreates the node): while a VM carries `HaRestart=True`, HA
 * owns it, the health monitor neither counts it as down (no alert, no meltdown) nor recreates it,
 * and a rolling upgrade waits for it instead of failing. Once HA is done (`Restarted`), will not
 * act (`Disabled`, or HA off in the zone: no condition) or gives up (`Abandoned` after its retries),
 * the resurrector's own rules apply again, counting from then.
 */
import type { VirtualMachine } from '../../api/index.js';
import { haOwnsRestart } from '../vms/ha-restart.js';

/** True when HA is restarting the VM and the resurrector must leave it alone. */
export function deferToHa(vm: VirtualMachine | undefined): boolean {
  return vm !== undefined && haOwnsRestart(vm);
}
