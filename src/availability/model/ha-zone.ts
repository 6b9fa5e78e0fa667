/**
 * Builds the pure HA layer's `HaZone` from API objects: hosts with their capacity under the
 * zone's overcommit (the scheduler's units), VMs with size, power and restart priority. A host is
 * "up" for HA when it is Ready, not in maintenance mode, and not declared dead or isolated.
 */
import { defaultZoneSpec, type Host, type VirtualMachine, type Zone } from '../../api/index.js';
import type { HaHost, HaVm, HaZone } from '../../ha/index.js';
import { vmKey } from '../../scheduler/index.js';

/** What HA knows about hosts beyond their status (dead or isolated hosts are not up). */
export type HostUp = (host: Host) => boolean;

/** Ready and in service (not in maintenance mode). */
export const inService: HostUp = (h) => h.status?.state === 'Ready' && h.spec?.maintenance !== true;

/** Capacity under the zone's overcommit, as the scheduler counts it. */
export function haHost(host: Host, zone: Zone | undefined, up: HostUp = inService): HaHost {
  const spec = defaultZoneSpec(zone?.spec ?? {});
  const cores = host.spec?.cores ?? 0;
  const mem = host.spec?.memoryMiB ?? 0;
  return {
    name: host.metadata.name,
    vcpus: Math.max(1, Math.floor((cores * (spec.cpuOvercommitPercent ?? 400)) / 100)),
    memoryMiB: Math.max(1, Math.floor((mem * (spec.memoryOvercommitPercent ?? 100)) / 100)),
    up: up(host),
  };
}

/** Whether a VM counts as powered on for HA: placed, meant to run, not stopped, failed or going away. */
export function poweredOn(vm: VirtualMachine): boolean {
  const phase = vm.status?.phase;
  return vm.spec?.powerState !== 'Off' && phase !== 'Stopped' && phase !== 'Failed' && phase !== 'Deleting' && vm.metadata.deletionTimestamp === undefined;
}

export function haVm(vm: VirtualMachine): HaVm {
  const host = vm.status?.host;
  return {
    name: vmKey(vm),
    ...(host ? { host } : {}),
    vcpus: vm.spec?.cpus ?? 0,
    memoryMiB: vm.spec?.memoryMiB ?? 0,
    poweredOn: host !== undefined && poweredOn(vm),
    restartPriority: vm.spec?.restartPriority ?? 'medium',
  };
}

/** The zone's hosts and the VMs placed on them. */
export function buildHaZone(zone: Zone | undefined, zoneName: string, hosts: Iterable<Host>, vms: Iterable<VirtualMachine>, up: HostUp = inService): HaZone {
  const hs: HaHost[] = [];
  const names = new Set<string>();
  for (const h of hosts) {
    if (h.spec?.zone !== zoneName) continue;
    hs.push(haHost(h, zone, up));
    names.add(h.metadata.name);
  }
  const out: HaVm[] = [];
  for (const vm of vms) {
    const host = vm.status?.host;
    if (host !== undefined && names.has(host)) out.push(haVm(vm));
  }
  return { hosts: hs, vms: out };
}
