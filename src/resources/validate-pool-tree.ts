/**
 * Checks a set of ResourcePools as a whole and compiles them into per-zone trees: every pool's own
 * fields (schema, shares, limit >= reservation, known zone), its place (known parent in the same
 * zone, no cycles) and the reservations, admitted parent before child and otherwise in the order
 * given, with vSphere's rules: a child's reservation must fit in what its parent has unreserved,
 * or, when the parent is expandable, in what the parent can borrow from its ancestors up to the
 * zone's capacity. Pass pools in creation order, so the newest pool is the one refused.
 */
import { ValidationError, nameCauses, schemaCauses, type FieldCause } from '../api/index.js';
import type { Capacity } from './capacity.js';
import { ResourcePoolSpecSchema } from './pool-schema.js';
import { RESOURCE_KINDS, poolNode, rootNode, rootPoolName, type PoolDef, type PoolNode, type PoolTree, type ResourceKind } from './pool-tree.js';
import { admitAmount } from './reservations.js';
import { sharesProblem } from './shares.js';

/** One problem with one pool: the pool, the dotted field in its object and what is wrong. */
export interface PoolCause {
  readonly pool: string;
  readonly field: string;
  readonly message: string;
}

/** A valid, compiled tree (reservations of the pools admitted), or every problem found. */
export type PoolTreeResult = { readonly ok: true; readonly tree: PoolTree } | { readonly ok: false; readonly causes: readonly PoolCause[] };

const FIELD_UNIT: Readonly<Record<ResourceKind, { reservation: string; limit: string }>> = {
  cpu: { reservation: 'reservationMHz', limit: 'limitMHz' },
  memory: { reservation: 'reservationMiB', limit: 'limitMiB' },
};

function reservationOf(def: PoolDef, kind: ResourceKind): number {
  return kind === 'cpu' ? (def.spec.cpu?.reservationMHz ?? 0) : (def.spec.memory?.reservationMiB ?? 0);
}

function limitOf(def: PoolDef, kind: ResourceKind): number | undefined {
  return kind === 'cpu' ? def.spec.cpu?.limitMHz : def.spec.memory?.limitMiB;
}

/** Problems of a pool on its own, without looking at other pools. */
function ownCauses(def: PoolDef, zones: ReadonlyMap<string, Capacity>): FieldCause[] {
  const causes: FieldCause[] = [...nameCauses(def.name), ...schemaCauses(ResourcePoolSpecSchema, def.spec, 'spec')];
  if (causes.length > 0) return causes;
  if (!zones.has(def.spec.zone)) causes.push({ field: 'spec.zone', message: `unknown zone "${def.spec.zone}" (no capacity known for it)` });
  for (const kind of RESOURCE_KINDS) {
    const shares = def.spec[kind]?.shares;
    const problem = shares === undefined ? undefined : sharesProblem(shares);
    if (problem !== undefined) causes.push({ field: `spec.${kind}.shares.shares`, message: problem });
    const limit = limitOf(def, kind);
    const reservation = reservationOf(def, kind);
    if (limit !== undefined && limit < reservation)
      causes.push({ field: `spec.${kind}.${FIELD_UNIT[kind].limit}`, message: `must be at least the reservation (${reservation}), got ${limit}` });
  }
  return causes;
}

/** The cycle through `start`, as names, or undefined when following parents leaves it. */
function cycleThrough(start: string, byName: ReadonlyMap<string, PoolDef>): string[] | undefined {
  const path = [start];
  const seen = new Set(path);
  let cur = byName.get(start)?.spec.parent;
  while (cur !== undefined) {
    if (cur === start) return [...path, start];
    if (seen.has(cur)) return undefined;
    seen.add(cur);
    path.push(cur);
    cur = byName.get(cur)?.spec.parent;
  }
  return undefined;
}

/** Validates the pools and builds one tree holding every zone of `zones` (each with its root). */
export function validatePoolTree(pools: readonly PoolDef[], zones: ReadonlyMap<string, Capacity>): PoolTreeResult {
  const causes: PoolCause[] = [];
  const add = (pool: string, c: FieldCause): void => void causes.push({ pool, field: c.field, message: c.message });
  const byName = new Map<string, PoolDef>();
  const bad = new Set<string>();
  for (const def of pools) {
    if (byName.has(def.name)) {
      add(def.name, { field: 'metadata.name', message: `duplicate pool name "${def.name}"` });
      continue;
    }
    byName.set(def.name, def);
    const own = ownCauses(def, zones);
    for (const c of own) add(def.name, c);
    if (own.length > 0) bad.add(def.name);
  }
  for (const def of byName.values()) {
    if (bad.has(def.name)) continue;
    const parentName = def.spec.parent;
    if (parentName === undefined) continue;
    const parent = byName.get(parentName);
    const cycle = cycleThrough(def.name, byName);
    if (cycle !== undefined) add(def.name, { field: 'spec.parent', message: `forms a cycle: ${cycle.join(' -> ')}` });
    else if (parent === undefined) add(def.name, { field: 'spec.parent', message: `unknown pool "${parentName}"` });
    else if (parent.spec.zone !== def.spec.zone)
      add(def.name, { field: 'spec.parent', message: `pool "${parentName}" is in zone "${parent.spec.zone}", not "${def.spec.zone}"` });
    else continue;
    bad.add(def.name);
  }
  // A pool is placed when it and all its ancestors are sound; others stay out of the tree.
  const placed = new Map<string, boolean>();
  const isPlaced = (name: string): boolean => {
    const known = placed.get(name);
    if (known !== undefined) return known;
    placed.set(name, false); // guards against cycles while recursing
    const def = byName.get(name);
    const ok = def !== undefined && !bad.has(name) && (def.spec.parent === undefined || isPlaced(def.spec.parent));
    placed.set(name, ok);
    return ok;
  };
  // Admission order: parents before children, otherwise the order given.
  const order: PoolDef[] = [];
  const visited = new Set<string>();
  const visit = (def: PoolDef): void => {
    if (visited.has(def.name) || !isPlaced(def.name)) return;
    visited.add(def.name);
    const parent = def.spec.parent === undefined ? undefined : byName.get(def.spec.parent);
    if (parent !== undefined) visit(parent);
    order.push(def);
  };
  for (const def of byName.values()) visit(def);

  const children = new Map<string, string[]>();
  for (const def of order) {
    const parent = def.spec.parent ?? rootPoolName(def.spec.zone);
    const list = children.get(parent) ?? [];
    list.push(def.name);
    children.set(parent, list);
  }
  const nodes = new Map<string, PoolNode>();
  for (const [zone, capacity] of zones) {
    const root = rootPoolName(zone);
    nodes.set(root, rootNode(zone, capacity, children.get(root) ?? []));
  }
  for (const def of order) nodes.set(def.name, poolNode(def, children.get(def.name) ?? []));

  let tree: PoolTree = { nodes, reserved: new Map() };
  for (const def of order) {
    const node = nodes.get(def.name) as PoolNode;
    for (const kind of RESOURCE_KINDS) {
      const outcome = admitAmount(tree, node.parent as string, kind, node[kind].reservation);
      if (outcome.ok) tree = outcome.tree;
      else add(def.name, { field: `spec.${kind}.${FIELD_UNIT[kind].reservation}`, message: outcome.refusal.message });
    }
  }
  return causes.length > 0 ? { ok: false, causes } : { ok: true, tree };
}

/**
 * The causes as one ValidationError for the API: fields as they are when every cause is about one
 * pool (the one being created or updated), prefixed with `<pool>: ` otherwise.
 */
export function poolTreeError(causes: readonly PoolCause[]): ValidationError {
  const pools = new Set(causes.map((c) => c.pool));
  const single = pools.size === 1 ? causes[0]?.pool : undefined;
  const fields = causes.map((c) => ({ field: single !== undefined ? c.field : `${c.pool}: ${c.field}`, message: c.message }));
  return new ValidationError(fields, { kind: 'ResourcePool', ...(single !== undefined ? { name: single } : {}) });
}
