/**
 * A read-only view of the objects HA, migration and maintenance decisions read: zones, hosts,
 * tenants and VMs. Controllers use their informer caches; API admission, which runs outside the
 * controllers, loads a view from the store once per request.
 */
import type { Host, Tenant, VirtualMachine, Zone } from '../../api/index.js';
import type { Informer } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';

export interface ClusterView {
  zone(name: string): Zone | undefined;
  zones(): readonly Zone[];
  host(name: string): Host | undefined;
  hosts(): readonly Host[];
  tenants(): readonly Tenant[];
  vm(name: string): VirtualMachine | undefined;
  vms(): readonly VirtualMachine[];
}

export interface ViewInformers {
  readonly zones: Informer<Zone>;
  readonly hosts: Informer<Host>;
  readonly tenants: Informer<Tenant>;
  readonly vms: Informer<VirtualMachine>;
}

/** A live view over the shared informer caches. */
export function informerView(i: ViewInformers): ClusterView {
  return {
    zone: (n) => i.zones.get(n),
    zones: () => i.zones.list(),
    host: (n) => i.hosts.get(n),
    hosts: () => i.hosts.list(),
    tenants: () => i.tenants.list(),
    vm: (n) => i.vms.get(n),
    vms: () => i.vms.list(),
  };
}

/** A view of the store as it is now (four lists). */
export async function storeView(store: Store): Promise<ClusterView> {
  const [zones, hosts, tenants, vms] = await Promise.all([
    store.list<Zone>('Zone'),
    store.list<Host>('Host'),
    store.list<Tenant>('Tenant'),
    store.list<VirtualMachine>('VirtualMachine'),
  ]);
  const byName = <T extends { metadata: { name: string } }>(xs: readonly T[]) => new Map(xs.map((x) => [x.metadata.name, x]));
  const z = byName(zones.items);
  const h = byName(hosts.items);
  const v = byName(vms.items);
  return {
    zone: (n) => z.get(n),
    zones: () => zones.items,
    host: (n) => h.get(n),
    hosts: () => hosts.items,
    tenants: () => tenants.items,
    vm: (n) => v.get(n),
    vms: () => vms.items,
  };
}
