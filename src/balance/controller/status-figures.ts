/**
 * The figures the balance controller writes into VirtualMachine, ResourcePool and DrsRule status,
 * and when a change is worth a write: statuses are written only at a zone's DRS pass, and only
 * when a figure moved by more than 10 % (and more than a small absolute amount), the pool
 * changed, or the field is missing, so 20,000 VMs with steady demand cost no writes at all.
 */
import type { ResourcePoolObjectStatus } from '../../api/kinds/balance-kinds.js';
import type { Condition, VirtualMachineStatus } from '../../api/index.js';
import { availableReservation, reservedOf, type PoolEntitlement, type PoolTree, type VmEntitlement } from '../../resources/index.js';
import type { PoolSource } from '../model/pool-assignment.js';

/** A VM's resource figures as stored in `status.resources`. */
export interface VmResourceStatus {
  /** Pool name; absent: the zone's root. */
  readonly pool?: string;
  readonly poolSource: PoolSource;
  readonly cpu: { readonly demandMHz: number; readonly entitlementMHz: number; readonly usageMHz: number; readonly readyMs: number; readonly readyPercent: number };
  readonly memory: { readonly demandMiB: number; readonly entitlementMiB: number; readonly usageMiB: number; readonly balloonMiB: number; readonly swapMiB: number };
  /** Simulated time of the computation. */
  readonly computedAt: string;
}

/** VirtualMachine status with the balance controller's field. */
export type VmStatusWithResources = VirtualMachineStatus & { readonly resources?: VmResourceStatus };

const round = (v: number): number => Math.round(v);
const round1 = (v: number): number => Math.round(v * 10) / 10;

/** `pool` undefined: the zone's root. */
export function vmResourceStatus(vm: VmEntitlement, pool: string | undefined, poolSource: PoolSource, computedAt: string): VmResourceStatus {
  return {
    ...(pool !== undefined ? { pool } : {}),
    poolSource,
    cpu: {
      demandMHz: round(vm.cpu.demandMHz),
      entitlementMHz: round(vm.cpu.entitlementMHz),
      usageMHz: round(vm.cpu.usageMHz),
      readyMs: round(vm.cpu.readyMs),
      readyPercent: round1(vm.cpu.readyPercent),
    },
    memory: {
      demandMiB: round(vm.memory.demandMiB),
      entitlementMiB: round(vm.memory.entitlementMiB),
      usageMiB: round(vm.memory.usageMiB),
      balloonMiB: round(vm.memory.balloonMiB),
      swapMiB: round(vm.memory.swapMiB),
    },
    computedAt,
  };
}

/** Relative change that justifies a write. */
export const CHANGE_FRACTION = 0.1;

/** Whether `next` differs from `prev` by more than the fraction and the absolute floor. */
export function moved(prev: number | undefined, next: number, absoluteFloor: number): boolean {
  if (prev === undefined) return true;
  const d = Math.abs(next - prev);
  return d > absoluteFloor && d > CHANGE_FRACTION * Math.max(Math.abs(prev), Math.abs(next));
}

/** Whether a VM's stored figures are far enough from the new ones to write them. */
export function vmStatusChanged(prev: VmResourceStatus | undefined, next: VmResourceStatus): boolean {
  if (prev === undefined || prev.pool !== next.pool || prev.poolSource !== next.poolSource) return true;
  const c = prev.cpu;
  const m = prev.memory;
  return (
    moved(c?.demandMHz, next.cpu.demandMHz, 50) ||
    moved(c?.entitlementMHz, next.cpu.entitlementMHz, 50) ||
    moved(c?.usageMHz, next.cpu.usageMHz, 50) ||
    Math.abs((c?.readyPercent ?? -100) - next.cpu.readyPercent) > 1 ||
    moved(m?.demandMiB, next.memory.demandMiB, 64) ||
    moved(m?.entitlementMiB, next.memory.entitlementMiB, 64) ||
    moved(m?.usageMiB, next.memory.usageMiB, 64) ||
    moved(m?.balloonMiB, next.memory.balloonMiB, 64) ||
    moved(m?.swapMiB, next.memory.swapMiB, 64)
  );
}

/** A pool's status from the computation (`figures` undefined: the pool was left out of the tree). */
export function poolStatus(
  name: string,
  figures: PoolEntitlement | undefined,
  tree: PoolTree,
  vms: number,
  condition: Omit<Condition, 'lastTransitionTime'>,
  prevConditions: readonly Condition[] | undefined,
  computedAt: string,
  generation: number | undefined,
): ResourcePoolObjectStatus {
  const inTree = figures !== undefined && tree.nodes.has(name);
  const prevCond = prevConditions?.find((c) => c.type === condition.type);
  const cond: Condition = {
    ...condition,
    lastTransitionTime: prevCond !== undefined && prevCond.status === condition.status ? prevCond.lastTransitionTime : computedAt,
  };
  return {
    ...(inTree
      ? {
          cpu: {
            demandMHz: round(figures.cpu.demandMHz),
            entitlementMHz: round(figures.cpu.entitlementMHz),
            usageMHz: round(figures.cpu.usageMHz),
            reservedMHz: round(reservedOf(tree, name, 'cpu')),
            unreservedMHz: round(availableReservation(tree, name, 'cpu')),
          },
          memory: {
            demandMiB: round(figures.memory.demandMiB),
            entitlementMiB: round(figures.memory.entitlementMiB),
            usageMiB: round(figures.memory.usageMiB),
            reservedMiB: round(reservedOf(tree, name, 'memory')),
            unreservedMiB: round(availableReservation(tree, name, 'memory')),
          },
        }
      : {}),
    vms,
    computedAt,
    conditions: [cond],
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

/** Whether a pool's stored status is far enough from the new one to write it. */
export function poolStatusChanged(prev: ResourcePoolObjectStatus | undefined, next: ResourcePoolObjectStatus): boolean {
  if (prev === undefined || prev.vms !== next.vms || prev.observedGeneration !== next.observedGeneration) return true;
  const pc = prev.conditions?.[0];
  const nc = next.conditions?.[0];
  if (pc?.status !== nc?.status || pc?.message !== nc?.message) return true;
  if ((prev.cpu === undefined) !== (next.cpu === undefined)) return true;
  const a = prev.cpu;
  const b = next.cpu;
  const x = prev.memory;
  const y = next.memory;
  if (a === undefined || b === undefined || x === undefined || y === undefined) return false;
  return (
    moved(a.demandMHz, b.demandMHz, 50) ||
    moved(a.entitlementMHz, b.entitlementMHz, 50) ||
    moved(a.usageMHz, b.usageMHz, 50) ||
    a.reservedMHz !== b.reservedMHz ||
    a.unreservedMHz !== b.unreservedMHz ||
    moved(x.demandMiB, y.demandMiB, 64) ||
    moved(x.entitlementMiB, y.entitlementMiB, 64) ||
    moved(x.usageMiB, y.usageMiB, 64) ||
    x.reservedMiB !== y.reservedMiB ||
    x.unreservedMiB !== y.unreservedMiB
  );
}
