/**
 * The OCI image registry: how this capability plugs into the platform. It serves OCI Distribution
 * 1.1 under `/v2/` (authenticating callers itself: OCI clients speak Basic and the Docker token
 * flow, not our bearer scheme) and the robot-minting endpoint under the platform's authentication.
 *
 *   client ──/v2──▶ credentials (Bearer | Basic | token flow) ──▶ access (RBAC ∪ members ∪ public ∪ robot)
 *                ──▶ handler ──▶ FsBlobStore (<data>/registry/{uploads,blobs}) + RegistryMetadata (store)
 *                ──▶ audit (server hook for writes and denials; pulls recorded here)
 */
import { join } from 'node:path';
import type { PlatformExtension } from '../platform/extension.js';
import { CredentialChecker } from './credentials.js';
import { RegistryEvents } from './events.js';
import { FsBlobStore } from './fs-blob-store.js';
import { registerMaintenanceRoutes } from './gc/routes.js';
import type { MaintenanceOptions } from './gc/types.js';
import { registerRobotRoutes } from './http/robot-routes.js';
import { registerV2Routes } from './http/v2-routes.js';
import { RegistryMetadata } from './metadata.js';
import { RegistryImagePolicy } from './policy/image-policy.js';
import { registerReplicationRoutes } from './replication/routes.js';
import { BackgroundScanner } from './scan/reports.js';
// scan hook: vulnerability scan routes (src/registry/scan)
import { advisoriesFrom, registerScanRoutes } from './scan/routes.js';
import { SessionTokens } from './session-tokens.js';
import { registerSigningRoutes } from './signing/routes.js';
import { verifyImageSignatures } from './signing/verify-image.js';

export interface RegistryExtensionOptions {
  /** Scan every pushed image in the background and store the report (default true). */
  readonly scanOnPush?: boolean;
  /** GC window, upload TTL, history length, retention schedule tick. */
  readonly maintenance?: MaintenanceOptions;
}

export function createRegistryExtension(opts: RegistryExtensionOptions = {}): PlatformExtension {
  return {
    name: 'registry',
    selfAuthenticatedPrefixes: ['/v2/', '/v2'],
    routes(app, ctx) {
      const root = join(ctx.dataDir, 'registry');
      const sessions = new SessionTokens(join(root, 'token.key'), ctx.store);
      const meta = new RegistryMetadata(ctx.store);
      const blobs = new FsBlobStore(root);
      const advisories = advisoriesFrom(join(root, 'osv'));
      const scanner =
        opts.scanOnPush === false
          ? undefined
          : new BackgroundScanner({
              blobs,
              meta,
              advisories,
              now: () => ctx.clock.now(),
              record: (rec) => ctx.auditor.record(rec),
              warn: (obj, msg) => ctx.log.warn(obj, msg),
            });
      const rc = {
        route: ctx,
        blobs,
        meta,
        creds: new CredentialChecker(ctx.store, ctx.tokens, ctx.clock, sessions),
        sessions,
        advisories,
        events: new RegistryEvents(),
        ...(scanner ? { scanner } : {}),
      };
      if (scanner) app.addHook('onClose', () => scanner.drain());
      ctx.services.imagePolicy = new RegistryImagePolicy({
        meta,
        verifySignature: (repo, digest, project) => verifyImageSignatures({ blobs, meta }, repo, digest, project.spec?.trustedKeys ?? []),
        onRefusal: (refusal, who) =>
          void ctx.auditor.record({
            time: new Date(ctx.clock.now()).toISOString(),
            user: who.user,
            verb: 'admit',
            resource: 'images',
            name: refusal.image,
            ...(who.tenant ? { tenant: who.tenant } : {}),
            decision: 'deny',
            code: 403,
            reason: refusal.message,
          }),
      });
      registerV2Routes(app, rc);
      registerRobotRoutes(app, ctx, meta);
      // scan hook: POST/GET /registry/v1/scan, advisories from <data>/registry/osv
      registerScanRoutes(app, rc);
      registerSigningRoutes(app, rc);
      registerMaintenanceRoutes(app, rc, opts.maintenance);
      registerReplicationRoutes(app, rc);
    },
  };
}

export const registryExtension: PlatformExtension = createRegistryExtension();
