/**
 * Admission of ResourcePools: the owning tenant, its clusters and default mapping must be
 * consistent (one pool per cluster and one tenant default per zone), the pool must fit in the tree
 * (shares, limit >= reservation, a reservation within what its parent can give, no cycles), and
 * must still hold the reservations of the VMs running in it. Every refusal names the field and
 * the pool or VM it conflicts with. A pool with child pools or VMs naming it cannot be deleted.
 */
import { ConflictError, ValidationError, type Cluster, type FieldCause, type Host, type Tenant, type VirtualMachine, type Zone } from '../../api/index.js';
import type { ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { validatePoolTree } from '../../resources/index.js';
import type { Store } from '../../store/index.js';
import { creationOrder, poolDefOf } from '../model/pool-tree-builder.js';
import { admitAll, capacitiesOf } from './reservation-ledger.js';
import { indexPools } from '../model/pool-assignment.js';

const KIND = 'ResourcePool';

function fail(causes: FieldCause[], name: string): never {
  throw new ValidationError(causes, { kind: KIND, name });
}

/** Tenant, clusters and default-mapping checks. */
async function mappingCauses(store: Pick<Store, 'tryGet'>, pool: ResourcePoolObject, others: readonly ResourcePoolObject[]): Promise<FieldCause[]> {
  const spec = pool.spec;
  if (spec === undefined) return [];
  const causes: FieldCause[] = [];
  if (spec.tenant === undefined) {
    if (spec.clusters !== undefined && spec.clusters.length > 0) causes.push({ field: 'spec.tenant', message: 'required when spec.clusters is set' });
    if (spec.tenantDefault === true) causes.push({ field: 'spec.tenant', message: 'required when spec.tenantDefault is true' });
    return causes;
  }
  const tenant = await store.tryGet<Tenant>('Tenant', '', spec.tenant);
  if (tenant === undefined) return [{ field: 'spec.tenant', message: `tenant "${spec.tenant}" does not exist` }];
  const zones = tenant.spec?.zones;
  if (zones !== undefined && !zones.includes(spec.zone)) causes.push({ field: 'spec.zone', message: `tenant "${spec.tenant}" may only use zones ${zones.join(', ')}` });
  const sameZone = others.filter((o) => o.spec?.zone === spec.zone && o.spec.tenant !== undefined);
  const seen = new Set<string>();
  for (const [i, c] of (spec.clusters ?? []).entries()) {
    const field = `spec.clusters[${i}]`;
    if (seen.has(c)) {
      causes.push({ field, message: `cluster "${c}" is listed twice` });
      continue;
    }
    seen.add(c);
    const cluster = await store.tryGet<Cluster>('Cluster', '', c);
    if (cluster === undefined) causes.push({ field, message: `cluster "${c}" does not exist` });
    else if (cluster.spec?.tenant !== spec.tenant) causes.push({ field, message: `cluster "${c}" belongs to tenant "${cluster.spec?.tenant ?? ''}", not "${spec.tenant}"` });
    const taken = sameZone.find((o) => o.spec?.clusters?.includes(c));
    if (taken !== undefined) causes.push({ field, message: `cluster "${c}" already maps to pool "${taken.metadata.name}" in zone "${spec.zone}"` });
  }
  if (spec.tenantDefault === true) {
    const taken = sameZone.find((o) => o.spec?.tenant === spec.tenant && o.spec?.tenantDefault === true);
    if (taken !== undefined) causes.push({ field: 'spec.tenantDefault', message: `pool "${taken.metadata.name}" is already tenant "${spec.tenant}"'s default in zone "${spec.zone}"` });
  }
  const parent = spec.parent === undefined ? undefined : others.find((o) => o.metadata.name === spec.parent);
  if (parent?.spec?.tenant !== undefined && parent.spec.tenant !== spec.tenant)
    causes.push({ field: 'spec.parent', message: `pool "${parent.metadata.name}" belongs to tenant "${parent.spec.tenant}"` });
  return causes;
}

const causeKey = (c: { pool: string; field: string; message: string }): string => `${c.pool}\u0000${c.field}\u0000${c.message}`;

/** Create/update rules of a ResourcePool; returns it unchanged when admitted. */
export async function admitResourcePool(ctx: { readonly store: Store }, pool: ResourcePoolObject, old: ResourcePoolObject | undefined): Promise<ResourcePoolObject> {
  const { store } = ctx;
  const name = pool.metadata.name;
  const spec = pool.spec;
  if (spec === undefined) return pool;
  if (old?.spec !== undefined) {
    const causes: FieldCause[] = [];
    if (old.spec.zone !== spec.zone) causes.push({ field: 'spec.zone', message: 'field is immutable' });
    if (old.spec.tenant !== spec.tenant) causes.push({ field: 'spec.tenant', message: 'field is immutable' });
    if (causes.length > 0) fail(causes, name);
  }
  if ((await store.tryGet<Zone>('Zone', '', spec.zone)) === undefined) fail([{ field: 'spec.zone', message: `zone "${spec.zone}" does not exist` }], name);
  const [poolList, hostList] = await Promise.all([store.list<ResourcePoolObject>(KIND), store.list<Host>('Host')]);
  const others = poolList.items.filter((p) => p.metadata.name !== name);
  const mapping = await mappingCauses(store, pool, others);
  if (mapping.length > 0) fail(mapping, name);

  // The tree before and after: refuse what this change breaks (its own fields, or a child's reservation).
  const caps = capacitiesOf(hostList.items);
  const before = validatePoolTree(creationOrder(poolList.items).map(poolDefOf), caps);
  const stamped: ResourcePoolObject = { ...pool, metadata: { ...pool.metadata, creationTimestamp: old?.metadata.creationTimestamp ?? '\uffff' } };
  const after = validatePoolTree(creationOrder([...others, stamped]).map(poolDefOf), caps);
  if (!after.ok) {
    const known = new Set(before.ok ? [] : before.causes.map(causeKey));
    const fresh = after.causes.filter((c) => c.pool === name || !known.has(causeKey(c)));
    // Causes about other pools (a child whose reservation no longer fits) are prefixed with their name.
    if (fresh.length > 0) fail(fresh.map((c) => ({ field: c.pool === name ? c.field : `${c.pool}: ${c.field}`, message: c.message })), name);
    return pool;
  }
  // VMs running in the pool (or below it) must keep their reservations.
  const vms = (await store.list<VirtualMachine>('VirtualMachine')).items;
  const wasRefused = before.ok ? admitAll(before.tree, indexPools(poolList.items), vms).refused : new Map();
  const nowRefused = admitAll(after.tree, indexPools([...others, pool]), vms).refused;
  for (const [vm, r] of nowRefused) {
    if (wasRefused.has(vm)) continue;
    const unit = r.resource === 'cpu' ? 'reservationMHz' : 'reservationMiB';
    fail([{ field: `spec.${r.resource}.${unit}`, message: `VM "${vm}" could no longer keep its reservation: ${r.message}` }], name);
  }
  return pool;
}

/** A pool with child pools, or with VMs that name it, cannot be deleted. */
export async function admitPoolDelete(ctx: { readonly store: Store }, pool: ResourcePoolObject): Promise<void> {
  const name = pool.metadata.name;
  const children = (await ctx.store.list<ResourcePoolObject>(KIND)).items.filter((p) => p.spec?.parent === name).map((p) => p.metadata.name);
  if (children.length > 0) throw new ConflictError(`resource pool "${name}" still has child pools ${children.join(', ')}; delete or move them first`);
  const vms = (await ctx.store.list<VirtualMachine>('VirtualMachine')).items.filter((v) => v.spec?.resources?.pool === name).map((v) => v.metadata.name);
  if (vms.length > 0)
    throw new ConflictError(`resource pool "${name}" still holds VMs ${vms.slice(0, 10).join(', ')}${vms.length > 10 ? ` and ${vms.length - 10} more` : ''} (spec.resources.pool); move them first`);
}
