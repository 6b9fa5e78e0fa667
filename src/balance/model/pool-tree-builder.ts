/**
 * ResourcePool objects into the pure layer's pool tree. Pools are admitted in creation order (the
 * newest is the one refused), against each zone's configured capacity (every host the zone has,
 * failed ones included, so a host failure does not invalidate reservations admitted before it).
 * A pool that no longer fits (a host removed from the zone) is left out with its reason, and so are
 * the pools below it; its VMs fall back to the zone's root.
 */
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { validatePoolTree, type Capacity, type PoolDef, type PoolTree, type ResourcePoolSpec } from '../../resources/index.js';

/** A tree and the pools left out of it, with why. */
export interface BuiltTree {
  readonly tree: PoolTree;
  readonly invalid: ReadonlyMap<string, string>;
}

/** The pure layer's spec of a pool object: its resource settings without the tenant mapping. */
export function poolDefOf(pool: ResourcePoolObject): PoolDef {
  const { tenant: _t, clusters: _c, tenantDefault: _d, ...spec } = pool.spec ?? { zone: '' };
  return { name: pool.metadata.name, spec: spec as ResourcePoolSpec };
}

/** Pools in creation order (name breaks ties), the order reservations are admitted in. */
export function creationOrder(pools: readonly ResourcePoolObject[]): ResourcePoolObject[] {
  return [...pools].sort(
    (a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name),
  );
}

/** Builds the tree, leaving out (with their reasons) the pools that do not validate. */
export function buildPoolTree(pools: readonly ResourcePoolObject[], capacities: ReadonlyMap<string, Capacity>): BuiltTree {
  const invalid = new Map<string, string>();
  let defs = creationOrder(pools).map(poolDefOf);
  const rounds = defs.length + 1;
  for (let round = 0; round < rounds; round++) {
    const r = validatePoolTree(defs, capacities);
    if (r.ok) return { tree: r.tree, invalid };
    const bad = new Set<string>();
    for (const c of r.causes) {
      bad.add(c.pool);
      if (!invalid.has(c.pool)) invalid.set(c.pool, `${c.field}: ${c.message}`);
    }
    defs = defs.filter((d) => !bad.has(d.name));
  }
  // Unreachable: every round removes at least one pool and an empty set always validates.
  throw new Error('pool tree did not converge');
}
