/**
 * `bulkhead server`: run the whole platform in this process. The platform (fastify, the store,
 * controllers, the simulated datacenter) is imported lazily here, so every other command starts
 * fast. Stops cleanly on SIGINT/SIGTERM.
 */
import type { PlatformOptions } from '../../platform/index.js';
import { UserError } from '../errors.js';
import { optionalPositiveInt, optionalString } from '../flags.js';
import { defineCommand } from '../spec.js';

/** The platform options this command sets (all of them resolved, defaults included). */
export type ServerOptions = PlatformOptions & { readonly port: number; readonly host: string; readonly dataDir: string; readonly logLevel: string };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses the server flags; BULKHEAD_PORT sets the port when --port is absent. */
export function parseServerOptions(opts: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): ServerOptions {
  const port = optionalPositiveInt(opts.port ?? env.BULKHEAD_PORT, opts.port !== undefined ? '--port' : 'BULKHEAD_PORT', { allowZero: true }) ?? 8080;
  if (port > 65535) throw new UserError(`--port must be at most 65535, got ${port}`);
  const timeScaleRaw = optionalString(opts.timeScale, '--time-scale');
  const timeScale = timeScaleRaw === undefined ? undefined : Number(timeScaleRaw);
  if (timeScale !== undefined && !(Number.isFinite(timeScale) && timeScale > 0)) throw new UserError(`--time-scale must be a number > 0, got "${timeScaleRaw}"`);
  const logLevel = optionalString(opts.logLevel, '--log-level') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new UserError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const topologyFile = optionalString(opts.topology, '--topology');
  const seed = optionalPositiveInt(opts.seed, '--seed', { allowZero: true });
  const storeUrl = optionalString(opts.store, '--store');
  return {
    port,
    host: optionalString(opts.host, '--host') ?? '127.0.0.1',
    dataDir: optionalString(opts.data, '--data') ?? './data',
    ...(topologyFile !== undefined ? { topologyFile } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(storeUrl !== undefined ? { storeUrl } : {}),
    logLevel,
  };
}

export const serverCommand = defineCommand<ServerOptions>({
  name: 'server',
  description: 'Run the Bulkhead control plane (API, controllers, simulated datacenter) in this process',
  options: [
    { flags: '--port <port>', description: 'listen port (env BULKHEAD_PORT; default 8080)' },
    { flags: '--host <host>', description: 'listen address', default: '127.0.0.1' },
    { flags: '--data <dir>', description: 'data directory for the embedded store', default: './data' },
    { flags: '--topology <file>', description: 'datacenter topology for the simulator (YAML/JSON)' },
    { flags: '--time-scale <n>', description: 'simulated time runs n times faster than real time' },
    { flags: '--seed <n>', description: 'random seed (same seed, same decisions)' },
    { flags: '--store <url>', description: 'store URL, e.g. postgres://... (default: SQLite in --data)' },
    { flags: '--log-level <level>', description: 'fatal|error|warn|info|debug|trace|silent', default: 'info' },
  ],
  examples: ['bulkhead server', 'bulkhead server --port 9090 --topology dc.yaml --seed 42', 'BULKHEAD_PORT=9000 bulkhead server --store postgres://localhost/bulkhead'],
  parse: ({ opts }) => parseServerOptions(opts, process.env),
  run: async (ctx, options): Promise<never> => {
    // Loaded here, not at the top: fastify, the store drivers and pino stay out of other commands.
    const { startPlatform } = await import('../../platform/index.js');
    const platform = await startPlatform(options); // prints its own banner with the URL
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        ctx.log(`${signal}: shutting down...`);
        platform.close().then(resolve, (e: unknown) => {
          ctx.log(`error while shutting down: ${e instanceof Error ? e.message : String(e)}`);
          resolve();
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    // Exit even if a library left a handle open: the platform has been closed.
    process.exit(0);
  },
});
