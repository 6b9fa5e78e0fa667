/**
 * The pure DRS layer's view of one zone, from a usage snapshot: hosts with their capacity and
 * mode (NotReady and cordoned hosts keep their VMs and take none), and every running VM with its
 * entitlement under contention. Hosts in maintenance mode and their VMs are left out: evacuating
 * them is maintenance mode's job (src/availability), and two planners moving the same VMs would
 * fight. Failed hosts are HA's business and left out too.
 */
import type { Host } from '../../api/index.js';
import type { DrsHost, DrsHostMode, DrsState, DrsVm } from '../../drs/index.js';
import { hostCpuMHz } from '../../resources/index.js';
import type { UsageSnapshot } from '../model/usage-snapshot.js';

function modeOf(h: Host): DrsHostMode | undefined {
  if ((h.spec as { maintenance?: boolean } | undefined)?.maintenance === true) return undefined;
  switch (h.status?.state) {
    case 'Failed':
    case 'Maintenance':
      return undefined;
    case 'NotReady':
      return 'cordoned';
    default:
      return h.spec?.unschedulable === true ? 'cordoned' : 'active';
  }
}

/** VMs DRS must not move: an unfinished migration, or DRS disabled for the VM. */
export interface Immovable {
  has(vm: string): boolean;
}

/** The zone's DRS state; `immovable` VMs are kept where they are. */
export function drsStateOf(zone: string, snapshot: UsageSnapshot, hosts: readonly Host[], immovable: Immovable): DrsState {
  const caps = new Map(snapshot.hosts.map((h) => [h.name, h]));
  const drsHosts: DrsHost[] = [];
  for (const h of hosts) {
    if (h.spec?.zone !== zone) continue;
    const mode = modeOf(h);
    const cap = caps.get(h.metadata.name);
    if (mode === undefined || cap === undefined) continue;
    drsHosts.push({ name: h.metadata.name, cpuMHz: hostCpuMHz(cap), memoryMiB: cap.memoryMiB, nicMbps: h.spec.nicMbps, mode });
  }
  const vms: DrsVm[] = [];
  const inState = new Set(drsHosts.map((h) => h.name));
  snapshot.result.vms.forEach((vm, i) => {
    if (vm.zone !== zone || !inState.has(vm.host)) return;
    const info = snapshot.vmInfo[i];
    vms.push({
      name: vm.name,
      host: vm.host,
      cpuMHz: vm.cpu.entitlementMHz,
      memoryMiB: vm.memory.entitlementMiB,
      ...(info !== undefined ? { sizeMiB: info.memoryMiB, demandStability: info.stability } : {}),
      movable: !immovable.has(vm.name),
    });
  });
  return { hosts: drsHosts, vms };
}
