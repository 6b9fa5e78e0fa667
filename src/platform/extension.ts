/**
 * Extensions: how a capability (clusters, workloads, the image registry) plugs into the platform
 * without editing the composition root. Each contributes controllers (built in the controller
 * manager, sharing its informers), HTTP routes, and first-start objects.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Resource } from '../api/index.js';
import type { Clock } from '../clock/index.js';
import type { Informer, Reconciler } from '../controllers/index.js';
import type { Driver } from '../infra/index.js';
import type { ServerContext } from '../server/index.js';
import type { Store } from '../store/index.js';

/** What an extension's controllers are built with. */
export interface ControllerContext {
  readonly store: Store;
  readonly driver: Driver;
  /** Control-plane time. */
  readonly clock: Clock;
  /** The infrastructure's (simulated) time. */
  readonly infraClock: Clock;
  readonly log: Logger;
  readonly seed: number;
  /** The shared informer of a kind (created on first use, started with the others). */
  informer<T extends Resource>(kind: string): Informer<T>;
  /** Adds a controller; `build` gets the function that enqueues a key for it. */
  addController<R extends Reconciler>(build: (enqueue: (key: string) => void) => R, workers?: number): R;
  /** Runs `fn` after every informer has synced and before controllers start. */
  onStart(fn: () => Promise<void> | void): void;
  /** Runs `fn` when the platform stops. */
  onStop(fn: () => Promise<void> | void): void;
}

/** What an extension's routes are registered with. */
export interface RouteContext extends ServerContext {
  /** The platform's data directory (for blobs and other files). */
  readonly dataDir: string;
}

export interface PlatformExtension {
  readonly name: string;
  /** Objects that must exist from the first start (e.g. default plans); must be idempotent. */
  bootstrap?(store: Store): Promise<void>;
  controllers?(ctx: ControllerContext): void;
  routes?(app: FastifyInstance, ctx: RouteContext): void | Promise<void>;
  /** URL path prefixes that do their own authentication (e.g. `/v2/` for OCI clients). */
  readonly selfAuthenticatedPrefixes?: readonly string[];
}
