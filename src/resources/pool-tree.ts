/**
 * The compiled pool tree of a zone: every pool with its shares resolved to numbers, its limit as a
 * number (Infinity when unlimited) and its children listed, under one root per zone that holds the
 * zone's whole capacity. Plus the reservation ledger: how much each node has handed out to its
 * children (pools and VMs). Built by `validatePoolTree`, updated by the reservation functions;
 * both return new values and never mutate a tree they were given.
 */
import type { Capacity } from './capacity.js';
import { NORMAL_SHARES, POOL_EQUIVALENT, cpuShares, memoryShares } from './shares.js';
import type { ResourcePoolSpec } from './pool-schema.js';

/** The two resources every pool and VM has settings for. */
export const RESOURCE_KINDS = ['cpu', 'memory'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Unit of each resource's figures. */
export const RESOURCE_UNITS: Readonly<Record<ResourceKind, 'MHz' | 'MiB'>> = Object.freeze({ cpu: 'MHz', memory: 'MiB' });

/** Resolved settings of one resource of one node. */
export interface Allocation {
  readonly shares: number;
  readonly reservation: number;
  /** Infinity when unlimited. */
  readonly limit: number;
  readonly expandable: boolean;
}

/** A pool, or a zone's root, in the compiled tree. */
export interface PoolNode {
  readonly name: string;
  readonly zone: string;
  /** Undefined only for a zone root; a top-level pool's parent is its zone's root name. */
  readonly parent: string | undefined;
  readonly isRoot: boolean;
  readonly cpu: Allocation;
  readonly memory: Allocation;
  /** Child pools, in admission order. */
  readonly children: readonly string[];
}

/** Amounts reserved out of a node by its children, per resource, in MHz and MiB. */
export type ReservationLedger = ReadonlyMap<string, Capacity>;

/** A zone's pool tree with its reservation ledger. */
export interface PoolTree {
  readonly nodes: ReadonlyMap<string, PoolNode>;
  readonly reserved: ReservationLedger;
}

/** A pool as validation takes it: its name and its spec (a ResourcePool object's metadata.name and spec). */
export interface PoolDef {
  readonly name: string;
  readonly spec: ResourcePoolSpec;
}

/** The name of a zone's root in the tree; `:` cannot occur in a pool name (a DNS label). */
export function rootPoolName(zone: string): string {
  return `zone:${zone}`;
}

/** The node a VM or pool with this (optional) pool name hangs under. */
export function parentNodeName(zone: string, pool: string | undefined): string {
  return pool ?? rootPoolName(zone);
}

/** The root node of a zone: reservation and limit are the zone's capacity; never expandable. */
export function rootNode(zone: string, capacity: Capacity, children: readonly string[]): PoolNode {
  const alloc = (amount: number): Allocation => Object.freeze({ shares: 1, reservation: amount, limit: amount, expandable: false });
  return Object.freeze({
    name: rootPoolName(zone),
    zone,
    parent: undefined,
    isRoot: true,
    cpu: alloc(capacity.cpuMHz),
    memory: alloc(capacity.memoryMiB),
    children: Object.freeze([...children]),
  });
}

/** Compiles a pool's spec (defaults applied, shares resolved) into a node. */
export function poolNode(def: PoolDef, children: readonly string[]): PoolNode {
  const { spec } = def;
  const cpu = spec.cpu ?? {};
  const memory = spec.memory ?? {};
  return Object.freeze({
    name: def.name,
    zone: spec.zone,
    parent: parentNodeName(spec.zone, spec.parent),
    isRoot: false,
    cpu: Object.freeze({
      shares: cpuShares(cpu.shares ?? NORMAL_SHARES, POOL_EQUIVALENT.vcpus),
      reservation: cpu.reservationMHz ?? 0,
      limit: cpu.limitMHz ?? Number.POSITIVE_INFINITY,
      expandable: cpu.expandableReservation ?? true,
    }),
    memory: Object.freeze({
      shares: memoryShares(memory.shares ?? NORMAL_SHARES, POOL_EQUIVALENT.memoryMiB),
      reservation: memory.reservationMiB ?? 0,
      limit: memory.limitMiB ?? Number.POSITIVE_INFINITY,
      expandable: memory.expandableReservation ?? true,
    }),
    children: Object.freeze([...children]),
  });
}

/** Amount of `kind` reserved out of `name` by its children. */
export function reservedOf(tree: PoolTree, name: string, kind: ResourceKind): number {
  const r = tree.reserved.get(name);
  if (r === undefined) return 0;
  return kind === 'cpu' ? r.cpuMHz : r.memoryMiB;
}

/** Names of a node's ancestors, nearest first, ending with its zone root. */
export function ancestorsOf(tree: PoolTree, name: string): string[] {
  const out: string[] = [];
  let cur = tree.nodes.get(name)?.parent;
  while (cur !== undefined) {
    out.push(cur);
    cur = tree.nodes.get(cur)?.parent;
  }
  return out;
}
