/**
 * What the HTTP layer needs from the rest of the platform, passed in explicitly (no globals):
 * the store, security services, the driver (for fault injection) and informer-backed lookups.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { Driver } from '../infra/index.js';
import type { Auditor, Authorizer, Principal, TokenService } from '../security/index.js';
import type { Store } from '../store/index.js';

export interface ServerOptions {
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  readonly version: string;
  /** Path prefixes whose routes authenticate requests themselves (the OCI registry's `/v2/`). */
  readonly selfAuthenticatedPrefixes?: readonly string[];
}

export interface ServerContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly tokens: TokenService;
  readonly authorizer: Authorizer;
  readonly auditor: Auditor;
  readonly driver?: Driver;
  readonly options: ServerOptions;
}

/** What a request carries for the audit entry written when it completes. */
export interface AuditInfo {
  verb: string;
  resource: string;
  name?: string;
  namespace?: string;
  tenant?: string;
  /** Why it was denied, when it was. */
  reason?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    auditInfo: AuditInfo | undefined;
  }
}
