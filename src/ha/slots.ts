/**
 * The slot policy (vSphere `ClusterFailoverLevelAdmissionControlPolicy`, scheduling-perf.md §4.3):
 * a slot is as large as the largest powered-on VM in vCPUs and in memory (each optionally capped);
 * a host holds min(⌊vCPUs/slot⌋, ⌊memory/slot⌋) slots; a VM larger than a capped slot takes
 * several. The zone keeps the slots of its `failures` slot-richest hosts free for failover.
 */
import type { HostUse } from './capacity.js';
import type { HaVm, Resources } from './types.js';

/** Smallest slot, for a zone with no powered-on VM (the VM schema's minimum size). */
export const MIN_SLOT: Resources = Object.freeze({ vcpus: 1, memoryMiB: 128 });

export interface SlotFigures {
  readonly slot: Resources;
  /** Slots over the hosts counted. */
  readonly total: number;
  /** Slots of the `failures` hosts with the most slots: kept for failover. */
  readonly reserved: number;
  readonly used: number;
  /** `total − reserved − used` (negative when the zone is already short). */
  readonly free: number;
}

export interface SlotPolicy {
  readonly failures: number;
  readonly maxSlotVcpus?: number;
  readonly maxSlotMemoryMiB?: number;
}

/** Slot size over the VMs (and an extra one about to power on), capped by the policy. */
export function slotSize(vms: Iterable<Pick<HaVm, 'vcpus' | 'memoryMiB'>>, policy: SlotPolicy): Resources {
  let vcpus = MIN_SLOT.vcpus;
  let memoryMiB = MIN_SLOT.memoryMiB;
  for (const v of vms) {
    vcpus = Math.max(vcpus, v.vcpus);
    memoryMiB = Math.max(memoryMiB, v.memoryMiB);
  }
  return {
    vcpus: Math.min(vcpus, policy.maxSlotVcpus ?? Number.POSITIVE_INFINITY),
    memoryMiB: Math.min(memoryMiB, policy.maxSlotMemoryMiB ?? Number.POSITIVE_INFINITY),
  };
}

/** Slots one VM takes. */
export function slotsOf(v: Resources, slot: Resources): number {
  return Math.max(1, Math.ceil(v.vcpus / slot.vcpus - 1e-9), Math.ceil(v.memoryMiB / slot.memoryMiB - 1e-9));
}

/** Slots one host holds. */
export function hostSlots(capacity: Resources, slot: Resources): number {
  return Math.max(0, Math.min(Math.floor(capacity.vcpus / slot.vcpus + 1e-9), Math.floor(capacity.memoryMiB / slot.memoryMiB + 1e-9)));
}

/** Slot accounting over `hosts` with `vms` powered on (the VMs decide the slot size, `extra` too). */
export function slotFigures(hosts: readonly HostUse[], vms: readonly Resources[], policy: SlotPolicy, extra?: Resources): SlotFigures {
  const slot = slotSize(extra === undefined ? vms : [...vms, extra], policy);
  const perHost = hosts.map((h) => hostSlots(h.capacity, slot)).sort((a, b) => b - a);
  const total = perHost.reduce((a, b) => a + b, 0);
  const reserved = perHost.slice(0, policy.failures).reduce((a, b) => a + b, 0);
  const used = vms.reduce((a, v) => a + slotsOf(v, slot), 0);
  return { slot, total, reserved, used, free: total - reserved - used };
}
