/**
 * A test bench for the cluster controller: the real store (SQLite in memory), the simulated
 * datacenter and the controller manager with the cluster extension, all on one VirtualClock that
 * the test advances. Clusters go through the real admission rules. Used by the tests beside it.
 */
import pino from 'pino';
import { API_VERSION, type Cluster, type ClusterEvent, type ClusterSpec, type Tenant, type VirtualMachine } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { DriverError, createSimDriver, type CreateVmRequest, type SimDriver } from '../../infra/index.js';
import { admitCluster } from '../../server/admission-cluster.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { ControllerManager } from '../manager.js';
import { clustersExtension } from './extension.js';

export interface Bench {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly driver: SimDriver;
  readonly manager: ControllerManager;
  /** VM names whose create fails (non-retryable), to break a canary. */
  readonly brokenNodes: Set<string>;
  /** Advances virtual time in steps until `pred` holds; throws after `maxMs`. */
  until(pred: () => Promise<boolean> | boolean, maxMs?: number, what?: string): Promise<void>;
  advance(ms: number): Promise<void>;
  createCluster(name: string, spec: Partial<ClusterSpec> & { tenant: string; plan: string }): Promise<Cluster>;
  updateCluster(name: string, patch: Partial<ClusterSpec>): Promise<Cluster>;
  cluster(name: string): Promise<Cluster>;
  clusterVms(name: string): Promise<VirtualMachine[]>;
  events(name: string): Promise<ClusterEvent[]>;
  close(): Promise<void>;
}

const STEP_MS = 1_000;

export async function startBench(opts: { tenants?: readonly Tenant[] } = {}): Promise<Bench> {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const sim = createSimDriver({ clock, seed: 7 });
  const brokenNodes = new Set<string>();
  // A driver whose createVm fails for broken nodes; everything else is the simulator.
  const driver: SimDriver = Object.create(sim) as SimDriver;
  Object.assign(driver, {
    createVm: (req: CreateVmRequest) =>
      brokenNodes.has(req.env?.['name'] ?? '') ? Promise.reject(new DriverError('InvalidRequest', `${req.stemcell} does not boot on ${req.env?.['name']}`, false)) : sim.createVm(req),
  });
  const log = pino({ level: 'silent' });
  const manager = new ControllerManager({ store, driver, clock, infraClock: clock, log, seed: 7, heartbeatIntervalMs: sim.timings.heartbeatIntervalMs });
  await clustersExtension.bootstrap?.(store);
  clustersExtension.controllers?.({ store, driver, clock, infraClock: clock, log, seed: 7, ...manager.hooks });
  for (const t of opts.tenants ?? [{ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } }]) await store.create(t);
  await manager.start();
  await clock.advance(STEP_MS);

  const advance = (ms: number) => clock.advanceInSteps(ms, STEP_MS);
  const bench: Bench = {
    clock,
    store,
    driver,
    manager,
    brokenNodes,
    advance,
    until: (pred, maxMs = 600_000, what = 'condition') => clock.advanceUntil(pred, STEP_MS, maxMs, what),
    async createCluster(name, spec) {
      const c: Cluster = { apiVersion: API_VERSION, kind: 'Cluster', metadata: { name }, spec };
      return store.create(await admitCluster({ store }, c, undefined));
    },
    async updateCluster(name, patch) {
      const old = await store.get<Cluster>('Cluster', '', name);
      const next = await admitCluster({ store }, { ...old, spec: { ...old.spec!, ...patch } }, old);
      return store.update(next);
    },
    cluster: (name) => store.get<Cluster>('Cluster', '', name),
    async clusterVms(name) {
      return (await store.list<VirtualMachine>('VirtualMachine', { labelSelector: `bulkhead.dev/cluster=${name}` })).items;
    },
    async events(name) {
      return (await store.list<ClusterEvent>('Event', { labelSelector: `bulkhead.dev/cluster=${name}` })).items;
    },
    async close() {
      await manager.stop();
      await driver.close();
      await store.close();
    },
  };
  return bench;
}

/** True once the cluster's last action has finished (succeeded or failed). */
export async function actionDone(b: Bench, name: string, type?: string): Promise<boolean> {
  const a = (await b.cluster(name)).status?.lastAction;
  return !!a && a.state !== 'in progress' && (type === undefined || a.type === type);
}
