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
import { FsBlobStore } from './fs-blob-store.js';
import { registerRobotRoutes } from './http/robot-routes.js';
import { registerV2Routes } from './http/v2-routes.js';
import { RegistryMetadata } from './metadata.js';
// scan hook: on-demand vulnerability scan route (src/registry/scan)
import { registerScanRoutes } from './scan/routes.js';
import { SessionTokens } from './session-tokens.js';

export const registryExtension: PlatformExtension = {
  name: 'registry',
  selfAuthenticatedPrefixes: ['/v2/', '/v2'],
  routes(app, ctx) {
    const root = join(ctx.dataDir, 'registry');
    const sessions = new SessionTokens(join(root, 'token.key'), ctx.store);
    const meta = new RegistryMetadata(ctx.store);
    const rc = {
      route: ctx,
      blobs: new FsBlobStore(root),
      meta,
      creds: new CredentialChecker(ctx.store, ctx.tokens, ctx.clock, sessions),
      sessions,
    };
    registerV2Routes(app, rc);
    registerRobotRoutes(app, ctx, meta);
    // scan hook: POST /registry/v1/scan, advisories from <data>/registry/osv
    registerScanRoutes(app, rc);
  },
};
