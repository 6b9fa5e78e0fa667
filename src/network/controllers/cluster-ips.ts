/**
 * ClusterIP allocation at the API, as Kubernetes does it since KEP-1880: every allocated ClusterIP
 * is an `IPAddress` object named by the address (store namespace = the cluster), written in the
 * same transaction as its Service. The store's unique key is the allocator's guarantee: an address
 * is never handed out twice, across restarts and across API servers sharing one store, with no
 * allocator state to persist. A dynamic allocation cycles forward from the most recent one, so a
 * just-released address is not reused at once. The network controller deletes IPAddress objects
 * whose Service is gone (the repair loop).
 */
import { AlreadyExistsError, NotFoundError, ValidationError, type Resource } from '../../api/index.js';
import { AddressPool, AddressUnavailableError, parseIpv4, formatIpv4, cidrContains, parseCidr, type AddressPoolState } from '../ipam/index.js';
import type { Store, StoreOps } from '../../store/index.js';
import { DEFAULT_SERVICE_CIDR } from '../services/index.js';

export const IP_ADDRESS_KIND = 'IPAddress';

export interface IpAddressSpec {
  readonly parentRef: { readonly resource: 'services'; readonly namespace: string; readonly name: string };
}
export type IpAddressObject = Resource<IpAddressSpec>;

/** How many times a transaction that lost an address to a concurrent writer is tried again. */
const ATTEMPTS = 5;

const owner = (namespace: string, name: string) => `${namespace}/${name}`;

function addressObject(cluster: string, ip: string, namespace: string, name: string): IpAddressObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: IP_ADDRESS_KIND, metadata: { name: ip, namespace: cluster }, spec: { parentRef: { resource: 'services', namespace, name } } };
}

/** The next free address after the most recent allocation, from the IPAddress objects of a cluster. */
async function pickFree(tx: StoreOps, cluster: string, serviceCidr: string): Promise<string> {
  const held = (await tx.list<IpAddressObject>(IP_ADDRESS_KIND, { namespace: cluster })).items;
  const cidr = parseCidr(serviceCidr);
  const inRange = held.filter((o) => {
    const ip = tryIp(o.metadata.name);
    return ip !== undefined && cidrContains(cidr, ip);
  });
  const latest = inRange.reduce<IpAddressObject | undefined>((a, o) => (!a || Number(o.metadata.resourceVersion) > Number(a.metadata.resourceVersion) ? o : a), undefined);
  const next = latest ? formatIpv4(((parseIpv4(latest.metadata.name) - cidr.network + 1) % 2 ** (32 - cidr.prefix)) + cidr.network) : formatIpv4(cidr.network);
  const state: AddressPoolState = {
    name: `cluster ${cluster} services`,
    cidr: serviceCidr,
    gateway: false,
    next,
    allocations: Object.fromEntries(inRange.map((o) => [o.metadata.name, o.metadata.name])),
  };
  return AddressPool.fromState(state).allocate('new');
}

function tryIp(text: string): number | undefined {
  try {
    return parseIpv4(text);
  } catch {
    return undefined;
  }
}

/**
 * Creates `service` with a ClusterIP (the one it asks for in `spec.clusterIP`, or the next free
 * one) in one transaction with its IPAddress. A headless Service (`None`) gets none. A requested
 * address that is taken or out of range is a 422 naming `spec.clusterIP`, as kube-apiserver says.
 */
export async function createWithClusterIp<T extends Resource>(store: Store, service: T, cluster: string, namespace: string, serviceCidr = DEFAULT_SERVICE_CIDR): Promise<T> {
  const spec = (service.spec ?? {}) as { clusterIP?: string };
  if (spec.clusterIP === 'None') return store.create(service);
  const requested = spec.clusterIP !== undefined && spec.clusterIP !== '' ? spec.clusterIP : undefined;
  if (requested !== undefined) {
    const ip = tryIp(requested);
    if (ip === undefined) throw ValidationError.field('spec.clusterIP', `Invalid value "${requested}": must be a valid IPv4 address, (or be set to 'None')`);
    if (!cidrContains(parseCidr(serviceCidr), ip)) throw new AddressUnavailableError('spec.clusterIP', requested, `cluster ${cluster} services`, serviceCidr, 'out-of-range');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction(async (tx) => {
        let ip = requested;
        if (ip === undefined) ip = await pickFree(tx, cluster, serviceCidr);
        else {
          const holder = await tx.tryGet<IpAddressObject>(IP_ADDRESS_KIND, cluster, ip);
          if (holder) throw new AddressUnavailableError('spec.clusterIP', ip, `cluster ${cluster} services`, serviceCidr, 'allocated', `Service ${owner(holder.spec?.parentRef.namespace ?? '', holder.spec?.parentRef.name ?? '')}`);
        }
        const created = await tx.create({ ...service, spec: { ...(service.spec as object), clusterIP: ip } });
        await tx.create(addressObject(cluster, ip, namespace, service.metadata.name));
        return created;
      });
    } catch (e) {
      // Another writer took the address between our read and our write: pick again.
      if (e instanceof AlreadyExistsError && e.kind === IP_ADDRESS_KIND && requested === undefined && attempt < ATTEMPTS) continue;
      if (e instanceof AlreadyExistsError && e.kind === IP_ADDRESS_KIND && requested !== undefined)
        throw new AddressUnavailableError('spec.clusterIP', requested, `cluster ${cluster} services`, serviceCidr, 'allocated');
      throw e;
    }
  }
}

/** Deletes a Service and releases its ClusterIP in one transaction; returns the deleted object. */
export async function deleteWithClusterIp<T extends Resource>(store: Store, cluster: string, storeNamespace: string, name: string): Promise<T> {
  return store.transaction(async (tx) => {
    const svc = await tx.delete<T>('Service', storeNamespace, name);
    const ip = (svc.spec as { clusterIP?: string } | undefined)?.clusterIP;
    if (ip && ip !== 'None') await releaseIfOwned(tx, cluster, ip, storeNamespace.slice(cluster.length + 1), name);
    return svc;
  });
}

/** Deletes the IPAddress `ip` of `cluster` if it belongs to Service `namespace/name`. */
export async function releaseIfOwned(tx: StoreOps, cluster: string, ip: string, namespace: string, name: string): Promise<boolean> {
  const obj = await tx.tryGet<IpAddressObject>(IP_ADDRESS_KIND, cluster, ip);
  if (!obj || obj.spec?.parentRef.namespace !== namespace || obj.spec.parentRef.name !== name) return false;
  await tx.delete(IP_ADDRESS_KIND, cluster, ip).catch((e: unknown) => {
    if (!(e instanceof NotFoundError)) throw e;
  });
  return true;
}
