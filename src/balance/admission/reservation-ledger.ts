/**
 * The reservation view admission checks against: the zone trees built from every pool (against
 * each zone's configured capacity) with the reservations of every powered-on VM admitted in its
 * pool, in VM creation order. A VM's zone is where it runs, else the zone it is pinned to.
 */
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import type { Host, VirtualMachine } from '../../api/index.js';
import {
  admitReservation,
  hostCapacityOf,
  rootPoolName,
  zoneCapacities,
  type Capacity,
  type HostCapacity,
  type PoolTree,
  type ReservationRefusal,
} from '../../resources/index.js';
import { assignPool, indexPools, type PoolIndex } from '../model/pool-assignment.js';
import { buildPoolTree } from '../model/pool-tree-builder.js';

/** A VM's reservation request, zero when it has none. */
export function reservationOf(vm: VirtualMachine): Capacity {
  return { cpuMHz: vm.spec?.resources?.cpu?.reservationMHz ?? 0, memoryMiB: vm.spec?.resources?.memory?.reservationMiB ?? 0 };
}

/** Whether the VM holds its reservation: powered on and not being deleted. */
export function holdsReservation(vm: VirtualMachine): boolean {
  const r = reservationOf(vm);
  return (r.cpuMHz > 0 || r.memoryMiB > 0) && vm.spec?.powerState !== 'Off' && vm.metadata.deletionTimestamp === undefined;
}

/** The zone a VM's reservation counts in, if known. */
export function zoneOfVm(vm: VirtualMachine): string | undefined {
  return vm.status?.zone ?? vm.spec?.zone;
}

/** Configured capacity per zone, from every host the zone has. */
export function capacitiesOf(hosts: readonly Host[]): ReadonlyMap<string, Capacity> {
  return zoneCapacities(hosts.map((h) => hostCapacityOf(h)).filter((h): h is HostCapacity => h !== undefined));
}

/** The node (pool, or zone root) a VM reserves from when it runs in `zone`. */
export function reservationNode(index: PoolIndex, tree: PoolTree, vm: VirtualMachine, zone: string): string {
  return assignPool(index, tree, vm, zone).pool ?? rootPoolName(zone);
}

/** The tree with every holding VM's reservation admitted, and the VMs refused (name → refusal). */
export function admitAll(
  tree: PoolTree,
  index: PoolIndex,
  vms: readonly VirtualMachine[],
): { readonly tree: PoolTree; readonly refused: ReadonlyMap<string, ReservationRefusal> } {
  const refused = new Map<string, ReservationRefusal>();
  let t = tree;
  for (const vm of vms) {
    const zone = zoneOfVm(vm);
    if (zone === undefined || !holdsReservation(vm)) continue;
    const out = admitReservation(t, reservationNode(index, t, vm, zone), reservationOf(vm));
    if (out.ok) t = out.tree;
    else refused.set(vm.metadata.name, out.refusal);
  }
  return { tree: t, refused };
}

/** Trees and indexes from store lists. */
export function reservationView(
  pools: readonly ResourcePoolObject[],
  hosts: readonly Host[],
  vms: readonly VirtualMachine[],
): { readonly tree: PoolTree; readonly index: PoolIndex; readonly refused: ReadonlyMap<string, ReservationRefusal> } {
  const { tree } = buildPoolTree(pools, capacitiesOf(hosts));
  const index = indexPools(pools);
  return { ...admitAll(tree, index, vms), index };
}
