// The policy controller's batches: a pod of a tenant the engine does not isolate yet arrives in
// the same atomic update as its tenant's isolation policy, so no decision can ever see the pod
// without it; a pod whose cluster's tenant is unknown stays off the network; a stored admin policy
// the engine refuses leaves the last good version in force.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Pod, Resource } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import type { Informer } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import type { NetworkInformers } from './informers.js';
import { NetworkState } from './network-state.js';
import { PolicyController } from './policy-controller.js';

function informer<T extends Resource>(items: T[] = []): Informer<T> {
  const byKey = new Map(items.map((o) => [o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name, o]));
  return {
    addHandlers: () => undefined,
    get: (name: string, namespace = '') => byKey.get(namespace ? `${namespace}/${name}` : name),
    list: () => [...byKey.values()],
  } as unknown as Informer<T>;
}

const pod = (name: string, cluster: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: `${cluster}/shop`, labels: { app: name } },
  spec: { containers: [{ name: 'c', image: 'x' }], nodeName: `${cluster}-w0` },
  status: { phase: 'Running', podIP: cluster === 'web' ? '10.0.1.2' : '10.16.1.2' },
});

function world(adminPolicies: Resource[] = []): { ctl: PolicyController; state: NetworkState; writes: Resource[] } {
  const writes: Resource[] = [];
  const store = { update: async (o: Resource) => (writes.push(o), o) } as unknown as Store;
  const inf = {
    pods: informer([pod('a', 'web'), pod('b', 'orphan')]),
    namespaces: informer([]),
    networkPolicies: informer([]),
    adminPolicies: informer(adminPolicies),
    groups: informer([]),
    tenants: informer([{ apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } }]),
    clusters: informer([{ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: 'web' }, spec: { tenant: 'acme' } }]),
    services: informer([]),
    vms: informer([]),
    segments: informer([]),
  } as unknown as NetworkInformers;
  const state = new NetworkState();
  const ctl = new PolicyController(store, new VirtualClock(), state, inf, () => undefined, pino({ level: 'silent' }));
  return { ctl, state, writes };
}

describe('PolicyController', () => {
  it("puts a new tenant's first pod and the tenant's isolation in one batch", () => {
    const { ctl } = world();
    const changes = ctl.podChanges(pod('a', 'web'), 'web/shop', 'a');
    expect(changes.map((c) => c.op)).toEqual(['upsertAdminPolicy', 'upsertPod']);
    expect(changes[0]).toMatchObject({ policy: { name: 'tenant-isolation-acme' } });
  });

  it('keeps a pod whose tenant is unknown off the network', async () => {
    const { ctl, state } = world();
    await ctl.reconcile('Pod|orphan/shop/b');
    expect(state.engine.pod({ cluster: 'orphan', namespace: 'shop', name: 'b' })).toBeUndefined();
    await ctl.reconcile('Pod|web/shop/a');
    expect(state.engine.pod({ cluster: 'web', namespace: 'shop', name: 'a' })?.tenant).toBe('acme');
    expect(state.isIsolated('acme')).toBe(true);
  });

  it('keeps the last good version of an admin policy the engine refuses, and says so', async () => {
    const good = { apiVersion: 'bulkhead.dev/v1', kind: 'AdminNetworkPolicy', metadata: { name: 'p', generation: 1 }, spec: { tier: 'platform', priority: 5, appliedTo: {}, rules: [] } };
    const w = world([good]);
    await w.ctl.reconcile('AdminNetworkPolicy|p');
    expect(w.state.engine.stats().adminPolicies).toBe(1);
    const bad = { ...good, metadata: { name: 'p', generation: 2 }, spec: { ...good.spec, appliedTo: { group: 'missing' } } };
    const w2 = world([bad]);
    w2.state.replaceEngine(w.state.engine, new Map());
    const r = await w2.ctl.reconcile('AdminNetworkPolicy|p');
    expect(r).toEqual({ requeueAfter: 5000 });
    expect(w2.state.engine.stats().adminPolicies).toBe(1);
    const status = w2.writes[0]?.status as { conditions: { type: string; status: string; reason: string; message: string }[] };
    expect(status.conditions[0]).toMatchObject({ type: 'Realized', status: 'False', reason: 'Invalid' });
    expect(status.conditions[0]?.message).toContain('group "missing" does not exist');
  });
});
