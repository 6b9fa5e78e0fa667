/**
 * A virtual-clock bench for the availability capability: the real store (SQLite in memory), the
 * simulated datacenter, the controller manager with the cluster and availability controllers and,
 * on request, the real HTTP API (authn, RBAC, admission, audit) on a free port — all on one
 * VirtualClock that only the test moves. Used by test/e2e/ha*, migration*, maintenance* and
 * bench/ha.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { API_VERSION, type Host, type Tenant, type VirtualMachine, type VirtualMachineSpec, type Zone, type ZoneHa } from '../api/index.js';
import { VirtualClock } from '../clock/index.js';
import { ControllerManager } from '../controllers/index.js';
import { clustersExtension } from '../controllers/clusters/extension.js';
import { createSimDriver, type SimDriver, type SimTimingsOverrides, type Topology } from '../infra/index.js';
import { Auditor, Authorizer, TokenService, bootstrapSecurity } from '../security/index.js';
import { buildServer } from '../server/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { addAvailabilityControllers, type AvailabilityControllers } from './controllers.js';
import { registerAvailabilityRoutes } from './http/routes.js';
import type { ControllerContext } from '../platform/extension.js';

export interface HaBenchOptions {
  readonly topology?: Topology;
  readonly timings?: SimTimingsOverrides;
  /** Start the HTTP API too (default false). */
  readonly http?: boolean;
  /** Also run the cluster controllers (default true). */
  readonly clusters?: boolean;
  readonly tenants?: readonly Tenant[];
  readonly seed?: number;
  /** More controllers or placement filters, added before the manager starts (e.g. DRS must rules). */
  readonly extend?: (ctx: ControllerContext) => void;
}

export interface HaBench {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly driver: SimDriver;
  readonly manager: ControllerManager;
  readonly ha: AvailabilityControllers;
  /** `http://127.0.0.1:port` when started with `http`. */
  readonly url: string | undefined;
  readonly adminToken: string | undefined;
  readonly dataDir: string;
  /** Moves virtual time in 1 s steps (or `stepMs`), letting controllers run between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Advances 1 s at a time until `pred` holds; throws after `maxMs` of virtual time. */
  until(pred: () => Promise<boolean> | boolean, maxMs?: number, what?: string): Promise<void>;
  /** Sets the zone's `spec.ha`. */
  setHa(zone: string, ha: ZoneHa): Promise<Zone>;
  /** Creates a VM straight in the store (no API admission), On by default. */
  createVm(name: string, spec: Partial<VirtualMachineSpec> & { tenant: string }): Promise<VirtualMachine>;
  vm(name: string): Promise<VirtualMachine>;
  vms(): Promise<VirtualMachine[]>;
  /** Advances until every listed VM is Running. */
  running(names: readonly string[], maxMs?: number): Promise<void>;
  /** Time of the last Heartbeats event of the driver. */
  lastHeartbeat(): number;
  close(): Promise<void>;
}

const STEP_MS = 1_000;

export async function startHaBench(o: HaBenchOptions = {}): Promise<HaBench> {
  const clock = new VirtualClock(Date.UTC(2026, 3, 1));
  const seed = o.seed ?? 11;
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const driver = createSimDriver({ clock, seed, ...(o.topology ? { topology: o.topology } : {}), ...(o.timings ? { timings: o.timings } : {}) });
  const log = pino({ level: 'silent' });
  const manager = new ControllerManager({ store, driver, clock, infraClock: clock, log, seed, heartbeatIntervalMs: driver.timings.heartbeatIntervalMs });
  const ctx = { store, driver, clock, infraClock: clock, log, seed, ...manager.hooks };
  if (o.clusters !== false) {
    await clustersExtension.bootstrap?.(store);
    clustersExtension.controllers?.(ctx);
  }
  const ha = addAvailabilityControllers(ctx);
  o.extend?.(ctx);
  for (const t of o.tenants ?? [tenant('acme', 'low')]) await store.create(t);
  const dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-ha-'));
  const tokens = new TokenService(store, clock);
  const boot = await bootstrapSecurity(store, tokens, o.http ? join(dataDir, 'admin.token') : undefined);
  await manager.start();
  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (o.http) {
    const authorizer = new Authorizer({ role: (n) => manager.informers.roles.get(n), bindings: () => manager.informers.roleBindings.list() });
    const serverCtx = { store, clock, log, tokens, authorizer, auditor: new Auditor(store, log), driver, options: { bodyLimitBytes: 1024 * 1024, version: 'test' } };
    app = await buildServer(serverCtx, (a) => registerAvailabilityRoutes(a, { ...serverCtx, dataDir, services: {} }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }
  await clock.advance(STEP_MS);

  const advance = (ms: number, stepMs = STEP_MS) => clock.advanceInSteps(ms, stepMs);
  const vm = (name: string) => store.get<VirtualMachine>('VirtualMachine', '', name);
  const bench: HaBench = {
    clock,
    store,
    driver,
    manager,
    ha,
    url,
    adminToken: boot.token,
    dataDir,
    advance,
    until: (pred, maxMs = 600_000, what = 'condition') => clock.advanceUntil(pred, STEP_MS, maxMs, what),
    async setHa(zone, haSpec) {
      const z = await store.get<Zone>('Zone', '', zone);
      const updated = await store.update<Zone>({ ...z, spec: { ...z.spec, ha: haSpec } });
      await clock.advance(0);
      return updated;
    },
    async createVm(name, spec) {
      const t = await store.tryGet<Tenant>('Tenant', '', spec.tenant);
      const obj: VirtualMachine = {
        apiVersion: API_VERSION,
        kind: 'VirtualMachine',
        metadata: { name, finalizers: ['bulkhead.dev/vm-cleanup'], labels: { 'bulkhead.dev/tenant': spec.tenant } },
        spec: { cpus: 2, memoryMiB: 4096, powerState: 'On', sensitivity: t?.spec?.sensitivity ?? 'low', ...spec },
      };
      return store.create(obj);
    },
    vm,
    vms: async () => (await store.list<VirtualMachine>('VirtualMachine')).items,
    async running(names, maxMs = 300_000) {
      await bench.until(async () => (await Promise.all(names.map(vm))).every((v) => v.status?.phase === 'Running'), maxMs, `${names.join(', ')} Running`);
    },
    lastHeartbeat() {
      const h = driver.history();
      for (let i = h.length - 1; i >= 0; i--) if (h[i]?.type === 'Heartbeats') return (h[i] as { time: number }).time;
      return 0;
    },
    async close() {
      await app?.close();
      await manager.stop();
      await driver.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  // Hosts are Ready once their first heartbeat is seen.
  await bench.until(async () => (await store.list<Host>('Host')).items.every((h) => h.status?.state === 'Ready'), 60_000, 'every host Ready');
  return bench;
}

export function tenant(name: string, sensitivity: 'low' | 'moderate' | 'high', zones?: readonly string[]): Tenant {
  return { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name }, spec: { sensitivity, ...(zones ? { zones: [...zones] } : {}) } };
}
