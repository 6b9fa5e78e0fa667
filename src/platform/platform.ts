/**
 * The whole platform in one process (what `npm start` runs): the store, the simulated datacenter
 * on a sped-up clock, security bootstrap, the controllers and the HTTP server, started in that
 * order and stopped in reverse.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { RealClock, ScaledClock, type Clock } from '../clock/index.js';
import { ControllerManager } from '../controllers/index.js';
import { createSimDriver, defaultTopology, loadTopologyFile, DEFAULT_TIME_SCALE, type Driver } from '../infra/index.js';
import { Auditor, Authorizer, TokenService, bootstrapSecurity } from '../security/index.js';
import { buildServer } from '../server/index.js';
import { openStore, type Store } from '../store/index.js';
import { VERSION } from './version.js';
import { EXTENSIONS } from './extensions.js';
import type { PlatformExtension, PlatformServices } from './extension.js';

export interface PlatformOptions {
  readonly port?: number;
  readonly host?: string;
  /** State directory: the SQLite database, admin.token. */
  readonly dataDir?: string;
  /** YAML topology of the simulated datacenter; the default 2 zones x 8 hosts otherwise. */
  readonly topologyFile?: string;
  /** Simulated seconds per wall-clock second. */
  readonly timeScale?: number;
  readonly seed?: number;
  /** `postgres://...` to use PostgreSQL; SQLite in the data directory otherwise. */
  readonly storeUrl?: string;
  readonly logLevel?: string;
  readonly bodyLimitBytes?: number;
  /** Print the console banner (default true). */
  readonly banner?: boolean;
  /**
   * The control plane's clock (timestamps, token expiry, retry delays). Wall time by default;
   * tests inject a faster one. The simulated datacenter always runs on its own scaled clock.
   */
  readonly controlClock?: Clock;
  /** Capabilities to plug in; all of them (clusters, workloads, registry) by default. */
  readonly extensions?: readonly PlatformExtension[];
}

export interface Platform {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly driver: Driver;
  /** Control-plane time. */
  readonly clock: Clock;
  /** The simulated datacenter's time (`--time-scale` times faster than wall time). */
  readonly simClock: ScaledClock;
  readonly log: Logger;
  readonly manager: ControllerManager;
  readonly tokenFile: string;
  readonly adminToken: string | undefined;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const dataDir = resolve(opts.dataDir ?? 'data');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const log = pino({ level: opts.logLevel ?? 'info', base: { svc: 'bulkhead' } });
  const seed = opts.seed ?? 1;
  const clock = opts.controlClock ?? new RealClock();
  const simClock = new ScaledClock(opts.timeScale ?? DEFAULT_TIME_SCALE);
  const topology = opts.topologyFile ? await loadTopologyFile(opts.topologyFile) : defaultTopology();
  const store = await openStore(opts.storeUrl ?? `sqlite:${join(dataDir, 'bulkhead.db')}`);
  const driver = createSimDriver({ topology, clock: simClock, seed });
  const tokens = new TokenService(store, clock);
  const manager = new ControllerManager({ store, driver, clock, infraClock: simClock, log, seed, heartbeatIntervalMs: driver.timings.heartbeatIntervalMs });
  const tokenFile = join(dataDir, 'admin.token');
  const boot = await bootstrapSecurity(store, tokens, tokenFile);
  const extensions = opts.extensions ?? EXTENSIONS;
  for (const ext of extensions) await ext.bootstrap?.(store);
  const services: PlatformServices = {};
  for (const ext of extensions) ext.controllers?.({ store, driver, clock, infraClock: simClock, log, seed, ...manager.hooks, services });
  await manager.start();
  const roles = manager.informers.roles;
  const bindings = manager.informers.roleBindings;
  const authorizer = new Authorizer({ role: (n) => roles.get(n), bindings: () => bindings.list() });
  const auditor = new Auditor(store, log);
  const serverCtx = {
    store,
    clock,
    log,
    tokens,
    authorizer,
    auditor,
    driver,
    options: {
      bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
      version: VERSION,
      selfAuthenticatedPrefixes: extensions.flatMap((e) => e.selfAuthenticatedPrefixes ?? []),
    },
  };
  const app = await buildServer(serverCtx, async (a) => {
    for (const ext of extensions) await ext.routes?.(a, { ...serverCtx, dataDir, services });
  });
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? DEFAULT_PORT, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? DEFAULT_PORT);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (opts.banner !== false) {
    const inv = await driver.inventory();
    process.stderr.write(
      [
        `Bulkhead ${VERSION} listening on ${url}`,
        `  store:       ${opts.storeUrl?.startsWith('postgres') ? 'PostgreSQL' : `SQLite ${join(dataDir, 'bulkhead.db')}`}`,
        `  datacenter:  simulated, ${inv.zones.length} zones, ${inv.hosts.length} hosts, time x${simClock.scale}, seed ${seed}`,
        `  admin token: ${tokenFile}${boot.minted ? ' (new)' : ''}`,
        `  try:         export BULKHEAD_TOKEN=$(cat ${tokenFile}) && npx bulkhead get hosts`,
        '',
      ].join('\n'),
    );
  }
  let closed = false;
  return {
    url,
    port,
    store,
    driver,
    clock,
    simClock,
    log,
    manager,
    tokenFile,
    adminToken: boot.token,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await manager.stop();
      await auditor.flush();
      await driver.close();
      await store.close();
      simClock.dispose();
    },
  };
}
