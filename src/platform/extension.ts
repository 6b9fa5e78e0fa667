/**
 * Extensions: how a capability (clusters, workloads, the image registry) plugs into the platform
 * without editing the composition root. Each contributes controllers (built in the controller
 * manager, sharing its informers), HTTP routes, and first-start objects.
 */
import type { FastifyInstance } from 'fastify';
import type { ManagerHooks, ManagerOptions } from '../controllers/index.js';
import type { ServerContext } from '../server/index.js';
import type { Store } from '../store/index.js';

/**
 * What an extension's controllers are built with: the manager's own dependencies (less the
 * driver's heartbeat interval) and its hooks (shared informers, controllers, start/stop).
 */
export type ControllerContext = Omit<ManagerOptions, 'heartbeatIntervalMs'> &
  ManagerHooks & {
    /** Services other extensions provide (filled in as routes register; read them when used). */
    readonly services?: PlatformServices;
  };

/** A container image a workload wants to run, and where in the object it is named. */
export interface ImageUse {
  readonly image: string;
  /** Field path, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
}

/** Why an image may not run (CVE ids and severities, a missing or unverified signature...). */
export interface ImageRefusal {
  readonly field: string;
  readonly image: string;
  readonly message: string;
}

/** Deploy-time image policy (the registry provides it; workload admission asks it). */
export interface ImagePolicyChecker {
  check(uses: readonly ImageUse[], who: { readonly user: string; readonly tenant?: string }): Promise<readonly ImageRefusal[]>;
}

/**
 * Services one extension provides and others use, filled in while routes are registered and read
 * at request time (so extension order does not matter).
 */
export interface PlatformServices {
  imagePolicy?: ImagePolicyChecker;
}

/** What an extension's routes are registered with. */
export interface RouteContext extends ServerContext {
  /** The platform's data directory (for blobs and other files). */
  readonly dataDir: string;
  readonly services: PlatformServices;
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
