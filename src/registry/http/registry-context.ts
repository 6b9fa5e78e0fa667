/**
 * What every /v2 handler shares: the platform's route context, the blob store, metadata, the
 * credential checker, and the authorize step that turns (caller, repository, action) into the
 * project or a 401 challenge / 403 DENIED, setting the request's audit info on the way.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { actionsIn, userOf, type Identity, type RegistryAction } from '../access.js';
import type { BlobStore } from '../blob-store.js';
import type { CredentialChecker } from '../credentials.js';
import type { RegistryEvents } from '../events.js';
import { OciError } from '../errors.js';
import type { RegistryMetadata } from '../metadata.js';
import type { RepoName } from '../names.js';
import type { AdvisoryStore } from '../scan/osv.js';
import type { BackgroundScanner } from '../scan/reports.js';
import type { SessionTokens } from '../session-tokens.js';

export interface RegistryContext {
  readonly route: RouteContext;
  readonly blobs: BlobStore;
  readonly meta: RegistryMetadata;
  readonly creds: CredentialChecker;
  readonly sessions: SessionTokens;
  /** OSV advisories, loaded on first use (shared by the scan route and the scan on push). */
  readonly advisories?: () => Promise<AdvisoryStore>;
  /** Scans image manifests after a successful PUT when set (the `scanOnPush` option). */
  readonly scanner?: BackgroundScanner;
  /** Pushes and deletes, after they commit (replication on push listens here). */
  readonly events: RegistryEvents;
}

declare module 'fastify' {
  interface FastifyRequest {
    registryIdentity: Identity | undefined;
  }
}

/** The realm of the Bearer challenge: this server's token endpoint, as the client addressed it. */
export function challenge(req: FastifyRequest, scope?: string): string {
  const host = req.headers.host ?? 'localhost';
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? req.protocol;
  return `Bearer realm="${proto}://${host}/v2/token",service="bulkhead"${scope ? `,scope="${scope}"` : ''}`;
}

export function unauthorized(req: FastifyRequest, message: string, scope?: string): OciError {
  return new OciError(401, 'UNAUTHORIZED', message, undefined, { 'www-authenticate': challenge(req, scope) });
}

/** Resolves the caller once per request (401 with a challenge when the credentials are wrong). */
export async function identify(rc: RegistryContext, req: FastifyRequest): Promise<Identity> {
  if (req.registryIdentity) return req.registryIdentity;
  try {
    const who = await rc.creds.identify(req.headers.authorization);
    req.registryIdentity = who;
    if (who.kind !== 'anonymous') req.principal = who.principal;
    return who;
  } catch (err) {
    const reason = (err as Error).message;
    req.auditInfo = { verb: req.method.toLowerCase(), resource: 'repositories', reason };
    throw unauthorized(req, reason);
  }
}

const SCOPE_ACTIONS: Readonly<Record<RegistryAction, string>> = { pull: 'pull', push: 'pull,push', delete: 'delete' };

/**
 * Checks `action` on `repo` for the caller and returns the project. Audit info names the verb,
 * `repositories`, the reference and the project's tenant.
 */
export async function authorize(rc: RegistryContext, req: FastifyRequest, repo: RepoName, action: RegistryAction, ref: string): Promise<Project> {
  const who = await identify(rc, req);
  req.auditInfo = { verb: action, resource: 'repositories', name: `${repo.full}${ref}` };
  const project = await rc.meta.project(repo.project);
  if (project?.spec) req.auditInfo.tenant = project.spec.tenant;
  const allowed = project ? actionsIn(rc.route.authorizer, who, project, rc.route.clock.now()) : new Set<RegistryAction>();
  if (allowed.has(action)) return project as Project;
  const reason = `${userOf(who)} may not ${action} ${repo.full}`;
  req.auditInfo.reason = reason;
  if (who.kind === 'anonymous') throw unauthorized(req, `authentication required to ${action} ${repo.full}`, `repository:${repo.full}:${SCOPE_ACTIONS[action]}`);
  if (!project) throw new OciError(404, 'NAME_UNKNOWN', `project "${repo.project}" does not exist`);
  throw new OciError(403, 'DENIED', reason);
}

/** Appends a pull to the audit log (GETs are not audited by the server's hook). */
export function auditPull(rc: RegistryContext, req: FastifyRequest, reply: FastifyReply, name: string, tenant: string | undefined): void {
  void rc.route.auditor.record({
    time: new Date(rc.route.clock.now()).toISOString(),
    user: req.registryIdentity ? userOf(req.registryIdentity) : 'anonymous',
    verb: 'pull',
    resource: 'repositories',
    name,
    ...(tenant ? { tenant } : {}),
    decision: 'allow',
    code: reply.statusCode,
    sourceIp: req.ip,
    requestId: String(req.id),
  });
}
