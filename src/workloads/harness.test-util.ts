/**
 * Test harness for the workload controllers: the real SQLite store (':memory:'), a VirtualClock
 * for both control-plane and infrastructure time, the shared informers and controllers as the
 * manager would build them, and helpers to create node VMs, Clusters and Deployments.
 */
import pino from 'pino';
import type { Deployment, Pod, Resource, VirtualMachine } from '../api/index.js';
import { VirtualClock } from '../clock/index.js';
import { ControllerSet, type Informer, type Reconciler } from '../controllers/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { addWorkloadControllers, type WorkloadControllers } from './controllers/wiring.js';
import { nodeVm, type NodeOpts } from '../scheduler/pods/fixtures.test-util.js';

export interface Harness {
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly ctl: WorkloadControllers;
  informer<T extends Resource>(kind: string): Informer<T>;
  /** Advances virtual time in steps, letting controllers run between them. */
  run(ms: number, step?: number): Promise<void>;
  pods(cluster?: string): Pod[];
  node(name: string, o?: NodeOpts): Promise<VirtualMachine>;
  cluster(name: string, tenant: string, plan?: { name: string; maxPodsPerNode: number }): Promise<void>;
  deployment(cluster: string, ns: string, name: string, replicas: number, extra?: Partial<NonNullable<Deployment['spec']>>): Promise<Deployment>;
  stop(): Promise<void>;
}

export async function startHarness(seed = 1): Promise<Harness> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const log = pino({ level: 'silent' });
  const set = new ControllerSet(store, clock, log, { maxRetryDelayMs: 1000 });
  const informer = <T extends Resource>(kind: string): Informer<T> => set.informer<T>(kind);
  const addController = <R extends Reconciler>(build: (enq: (k: string) => void) => R, workers = 1): R => set.addController(build, workers);
  const ctl = addWorkloadControllers({ store, clock, infraClock: clock, log, seed, informer, addController, onStart: () => undefined });
  await set.start();
  const h: Harness = {
    store,
    clock,
    ctl,
    informer,
    async run(ms, step = 250) {
      for (let t = 0; t < ms; t += step) await clock.advance(step);
    },
    pods: (cluster) => informer<Pod>('Pod').list().filter((p) => !cluster || (p.metadata.namespace ?? '').startsWith(`${cluster}/`)),
    node: (name, o = {}) => store.create(nodeVm(name, o)),
    async cluster(name, tenant, plan) {
      if (plan) await store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Plan', metadata: { name: plan.name }, spec: { maxPodsPerNode: plan.maxPodsPerNode } });
      await store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name }, spec: { tenant, ...(plan ? { plan: plan.name } : {}) } });
    },
    deployment: (cluster, ns, name, replicas, extra = {}) =>
      store.create<Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: `${cluster}/${ns}` },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:1', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] } },
          ...extra,
        },
      }),
    async stop() {
      await set.stop();
      await store.close();
    },
  };
  return h;
}
