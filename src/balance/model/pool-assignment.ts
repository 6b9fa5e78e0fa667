/**
 * Which pool a VM runs in: the pool it names (`spec.resources.pool`), else the pool of its zone
 * that lists its cluster, else its tenant's default pool in its zone, else the zone's root. A
 * named pool that is missing, left out of the tree, in another zone or owned by another tenant
 * does not hold the VM: it falls back to the root, and the problem is reported.
 */
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import type { VirtualMachine } from '../../api/index.js';
import type { PoolTree } from '../../resources/index.js';
import { CLUSTER_LABEL } from './labels.js';

/** How a VM's pool was decided. */
export const POOL_SOURCES = ['explicit', 'cluster', 'tenant', 'root'] as const;
export type PoolSource = (typeof POOL_SOURCES)[number];

/** A VM's pool (undefined: the zone's root) and why. */
export interface PoolAssignment {
  readonly pool: string | undefined;
  readonly source: PoolSource;
  readonly problem?: string;
}

/** Lookups from a zone and a cluster or tenant to the pool that takes its VMs by default. */
export interface PoolIndex {
  readonly byName: ReadonlyMap<string, ResourcePoolObject>;
  readonly byCluster: ReadonlyMap<string, string>;
  readonly byTenant: ReadonlyMap<string, string>;
}

const key = (zone: string, name: string): string => `${zone}\u0000${name}`;

/** Indexes pools by name and by the clusters and tenants they take by default (first created wins a tie). */
export function indexPools(pools: readonly ResourcePoolObject[]): PoolIndex {
  const byName = new Map<string, ResourcePoolObject>();
  const byCluster = new Map<string, string>();
  const byTenant = new Map<string, string>();
  for (const p of pools) {
    byName.set(p.metadata.name, p);
    const spec = p.spec;
    if (spec?.tenant === undefined) continue;
    for (const c of spec.clusters ?? []) if (!byCluster.has(key(spec.zone, c))) byCluster.set(key(spec.zone, c), p.metadata.name);
    if (spec.tenantDefault === true && !byTenant.has(key(spec.zone, spec.tenant))) byTenant.set(key(spec.zone, spec.tenant), p.metadata.name);
  }
  return { byName, byCluster, byTenant };
}

/** Why a VM of `tenant` in `zone` may not use `pool`, or undefined when it may. */
export function poolRefusal(pool: ResourcePoolObject | undefined, name: string, zone: string | undefined, tenant: string | undefined): string | undefined {
  if (pool?.spec === undefined) return `pool "${name}" does not exist`;
  if (zone !== undefined && pool.spec.zone !== zone) return `pool "${name}" is in zone "${pool.spec.zone}", not "${zone}"`;
  if (pool.spec.tenant !== undefined && pool.spec.tenant !== tenant) return `pool "${name}" belongs to tenant "${pool.spec.tenant}"`;
  return undefined;
}

/** The pool a VM runs in when it runs in `zone`; `tree` says which pools are usable. */
export function assignPool(index: PoolIndex, tree: PoolTree, vm: VirtualMachine, zone: string): PoolAssignment {
  const tenant = vm.spec?.tenant;
  const named = vm.spec?.resources?.pool;
  let problem: string | undefined;
  if (named !== undefined) {
    problem = poolRefusal(index.byName.get(named), named, zone, tenant);
    if (problem === undefined && !tree.nodes.has(named)) problem = `pool "${named}" is not usable (see its status)`;
    if (problem === undefined) return { pool: named, source: 'explicit' };
  }
  const cluster = vm.metadata.labels?.[CLUSTER_LABEL];
  const byCluster = cluster === undefined ? undefined : index.byCluster.get(key(zone, cluster));
  if (byCluster !== undefined && tree.nodes.has(byCluster) && index.byName.get(byCluster)?.spec?.tenant === tenant) {
    return { pool: byCluster, source: 'cluster', ...(problem ? { problem } : {}) };
  }
  const byTenant = tenant === undefined ? undefined : index.byTenant.get(key(zone, tenant));
  if (byTenant !== undefined && tree.nodes.has(byTenant)) return { pool: byTenant, source: 'tenant', ...(problem ? { problem } : {}) };
  return { pool: undefined, source: 'root', ...(problem ? { problem } : {}) };
}
