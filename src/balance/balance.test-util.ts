/**
 * A test bench for the balance capability: the real store (SQLite in memory), the simulated
 * datacenter (one zone, 3 hosts of 8 cores / 64 GiB unless told otherwise) and the controller
 * manager with the balance extension, all on one VirtualClock the test advances. Pods are written
 * straight into the store as Running (no kubelet): the model only reads them.
 */
import pino from 'pino';
import { API_VERSION, type Pod, type VirtualMachine, type Zone, type ZoneDrs } from '../api/index.js';
import type { ResourcePoolObject } from '../api/kinds/balance-kinds.js';
import { VirtualClock } from '../clock/index.js';
import { ControllerManager } from '../controllers/index.js';
import { createSimDriver, generateTopology, type SimDriver } from '../infra/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import type { DrsPassSummary } from './drs/pass-summary.js';
import { balanceExtension } from './extension.js';
import { VM_DEMAND_ANNOTATION } from './model/labels.js';
import { runtimeOf, type BalanceRuntime } from './runtime.js';

export const ZONE = 'zone-a';
export const GiB = 1024;

export interface BenchOptions {
  readonly hosts?: number;
  readonly coresPerSocket?: number;
  readonly memoryMiB?: number;
}

export interface VmOptions {
  readonly tenant?: string;
  readonly cpus?: number;
  readonly memoryMiB?: number;
  /** A constant demand, as the VM's demand-profile annotation. */
  readonly demand?: { readonly cpuMillis: number; readonly memoryMiB: number };
  readonly labels?: Readonly<Record<string, string>>;
  readonly resources?: NonNullable<VirtualMachine['spec']>['resources'];
}

export interface Bench {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly driver: SimDriver;
  readonly runtime: BalanceRuntime;
  advance(ms: number): Promise<void>;
  until(pred: () => Promise<boolean> | boolean, maxMs?: number, what?: string): Promise<void>;
  createVm(name: string, opts?: VmOptions): Promise<VirtualMachine>;
  /** Creates the VMs and waits until all run. */
  runVms(names: readonly string[], opts?: VmOptions): Promise<VirtualMachine[]>;
  vm(name: string): Promise<VirtualMachine>;
  setDemand(vm: string, demand: { readonly cpuMillis: number; readonly memoryMiB: number }): Promise<void>;
  addPod(node: string, name: string, container: { cpu: string; memory: string; cpuLimit?: string }, annotations?: Record<string, string>): Promise<Pod>;
  createPool(name: string, spec: Omit<NonNullable<ResourcePoolObject['spec']>, 'zone'> & { zone?: string }): Promise<ResourcePoolObject>;
  setDrs(drs: ZoneDrs): Promise<void>;
  /** Runs a pass of the zone now. */
  pass(): Promise<DrsPassSummary>;
  close(): Promise<void>;
}

const STEP_MS = 1_000;

export async function startBench(opts: BenchOptions = {}): Promise<Bench> {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1, 12));
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const topology = generateTopology({ zones: 1, hostsPerZone: opts.hosts ?? 3, coresPerSocket: opts.coresPerSocket ?? 4, memoryMiB: opts.memoryMiB ?? 64 * GiB, sevEsFraction: 0 });
  const driver = createSimDriver({ topology, clock, seed: 7 });
  const log = pino({ level: 'silent' });
  const manager = new ControllerManager({ store, driver, clock, infraClock: clock, log, seed: 7, heartbeatIntervalMs: driver.timings.heartbeatIntervalMs });
  balanceExtension.controllers?.({ store, driver, clock, infraClock: clock, log, seed: 7, ...manager.hooks });
  await store.create({ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } });
  await manager.start();
  await clock.advance(STEP_MS);
  const runtime = runtimeOf(store);
  if (runtime === undefined) throw new Error('balance runtime not registered');

  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += STEP_MS) await clock.advance(Math.min(STEP_MS, ms - t));
  };
  const until = async (pred: () => Promise<boolean> | boolean, maxMs = 600_000, what = 'condition') => {
    for (let t = 0; t <= maxMs; t += STEP_MS) {
      if (await pred()) return;
      await clock.advance(STEP_MS);
    }
    throw new Error(`timed out after ${maxMs / 1000} virtual seconds waiting for ${what}`);
  };
  const vm = (name: string) => store.get<VirtualMachine>('VirtualMachine', '', name);
  const createVm = (name: string, o: VmOptions = {}) =>
    store.create<VirtualMachine>({
      apiVersion: API_VERSION,
      kind: 'VirtualMachine',
      metadata: {
        name,
        finalizers: ['bulkhead.dev/vm-cleanup'],
        labels: { 'bulkhead.dev/tenant': o.tenant ?? 'acme', ...o.labels },
        ...(o.demand ? { annotations: { [VM_DEMAND_ANNOTATION]: JSON.stringify({ kind: 'constant', ...o.demand }) } } : {}),
      },
      spec: { tenant: o.tenant ?? 'acme', cpus: o.cpus ?? 4, memoryMiB: o.memoryMiB ?? 8 * GiB, sensitivity: 'low', powerState: 'On', zone: ZONE, ...(o.resources ? { resources: o.resources } : {}) },
    });
  const bench: Bench = {
    clock,
    store,
    driver,
    runtime,
    advance,
    until,
    createVm,
    vm,
    async runVms(names, o) {
      for (const n of names) await createVm(n, o);
      await until(async () => (await Promise.all(names.map(vm))).every((v) => v.status?.phase === 'Running'), 300_000, `${names.join(', ')} running`);
      return Promise.all(names.map(vm));
    },
    async setDemand(name, demand) {
      const v = await vm(name);
      await store.update({ ...v, metadata: { ...v.metadata, annotations: { ...v.metadata.annotations, [VM_DEMAND_ANNOTATION]: JSON.stringify({ kind: 'constant', ...demand }) } } });
      await clock.advance(10);
    },
    async addPod(node, name, c, annotations) {
      const pod = await store.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'web/shop', ...(annotations ? { annotations } : {}) },
        spec: {
          nodeName: node,
          containers: [{ name: 'app', image: 'registry.example/shop/app:1', resources: { requests: { cpu: c.cpu, memory: c.memory }, ...(c.cpuLimit ? { limits: { cpu: c.cpuLimit } } : {}) } }],
        },
        status: { phase: 'Running' },
      });
      await clock.advance(10);
      return pod;
    },
    async createPool(name, spec) {
      const pool = await store.create<ResourcePoolObject>({ apiVersion: API_VERSION, kind: 'ResourcePool', metadata: { name }, spec: { zone: ZONE, ...spec } });
      await clock.advance(10);
      return pool;
    },
    async setDrs(drs) {
      const z = await store.get<Zone>('Zone', '', ZONE);
      await store.update({ ...z, spec: { ...z.spec, drs } });
      await clock.advance(10);
    },
    async pass() {
      const s = await runtime.runner?.runPass(ZONE);
      if (s === undefined) throw new Error('no pass ran');
      await clock.advance(10);
      return s;
    },
    async close() {
      await manager.stop();
      await driver.close();
      await store.close();
    },
  };
  return bench;
}
