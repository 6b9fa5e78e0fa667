// The ClusterIP allocator on the real store: every address once, requested addresses checked,
// released with the Service, concurrent creates never share an address, a small range exhausts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ValidationError, type Resource } from '../../api/index.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { PoolExhaustedError } from '../ipam/index.js';
import { createWithClusterIp, deleteWithClusterIp, IP_ADDRESS_KIND } from './cluster-ips.js';

let store: Store;
beforeEach(async () => {
  store = await openSqliteStore({ path: ':memory:' });
});
afterEach(async () => store.close());

const svc = (name: string, clusterIP?: string): Resource => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'web/shop' },
  spec: { ports: [{ port: 80 }], ...(clusterIP !== undefined ? { clusterIP } : {}) },
});
const ipOf = (o: Resource) => (o.spec as { clusterIP: string }).clusterIP;

describe('createWithClusterIp', () => {
  it('hands out distinct addresses in order, and records each as an IPAddress of the cluster', async () => {
    const ips: string[] = [];
    for (let i = 0; i < 4; i++) ips.push(ipOf(await createWithClusterIp(store, svc(`s${i}`), 'web', 'shop')));
    expect(ips).toEqual(['10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4']);
    const recorded = await store.list(IP_ADDRESS_KIND, { namespace: 'web' });
    expect(recorded.items.map((o) => o.metadata.name).sort()).toEqual([...ips].sort());
    // Another cluster has its own range.
    expect(ipOf(await createWithClusterIp(store, { ...svc('s0'), metadata: { name: 's0', namespace: 'api/shop' } }, 'api', 'shop'))).toBe('10.96.0.1');
  });

  it('cycles forward: a released address is not handed out again while others are free', async () => {
    await createWithClusterIp(store, svc('a'), 'web', 'shop');
    await createWithClusterIp(store, svc('b'), 'web', 'shop');
    await deleteWithClusterIp(store, 'web', 'web/shop', 'a');
    expect(await store.tryGet(IP_ADDRESS_KIND, 'web', '10.96.0.1')).toBeUndefined();
    expect(ipOf(await createWithClusterIp(store, svc('c'), 'web', 'shop'))).toBe('10.96.0.3');
  });

  it('honours a requested address only when it is free and in range, naming spec.clusterIP', async () => {
    expect(ipOf(await createWithClusterIp(store, svc('a', '10.96.7.7'), 'web', 'shop'))).toBe('10.96.7.7');
    const taken = await createWithClusterIp(store, svc('b', '10.96.7.7'), 'web', 'shop').catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ValidationError);
    expect((taken as ValidationError).causes[0]).toEqual({ field: 'spec.clusterIP', message: 'Invalid value "10.96.7.7": provided IP is already allocated (to Service shop/a) (pool "cluster web services")' });
    const outside = await createWithClusterIp(store, svc('c', '10.1.0.1'), 'web', 'shop').catch((e: unknown) => e);
    expect((outside as ValidationError).causes[0]?.message).toContain('provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    // Nothing was half-written: no Service b or c.
    expect(await store.tryGet('Service', 'web/shop', 'b')).toBeUndefined();
    expect(await store.tryGet('Service', 'web/shop', 'c')).toBeUndefined();
  });

  it('writes nothing when the Service already exists', async () => {
    await createWithClusterIp(store, svc('a'), 'web', 'shop');
    const dup = await createWithClusterIp(store, svc('a'), 'web', 'shop').catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(AlreadyExistsError);
    expect((await store.list(IP_ADDRESS_KIND, { namespace: 'web' })).items.length).toBe(1);
  });

  it('gives a headless Service no address', async () => {
    const s = await createWithClusterIp(store, svc('h', 'None'), 'web', 'shop');
    expect(ipOf(s)).toBe('None');
    expect((await store.list(IP_ADDRESS_KIND, { namespace: 'web' })).items).toEqual([]);
  });

  it('never gives two concurrent creates the same address', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => createWithClusterIp(store, svc(`c${i}`), 'web', 'shop')));
    expect(new Set(made.map(ipOf)).size).toBe(20);
  });

  it('says the range is exhausted', async () => {
    const tiny = '10.96.0.0/30'; // network and broadcast reserved: two addresses
    await createWithClusterIp(store, svc('a'), 'web', 'shop', tiny);
    await createWithClusterIp(store, svc('b'), 'web', 'shop', tiny);
    const full = await createWithClusterIp(store, svc('c'), 'web', 'shop', tiny).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(PoolExhaustedError);
    expect((full as Error).message).toBe('pool "cluster web services" (10.96.0.0/30) is exhausted: none of its 2 addresses is free');
  });
});
