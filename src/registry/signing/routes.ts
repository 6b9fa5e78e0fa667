/**
 * `POST /registry/v1/verify` `{repository, reference, publicKey?, keyName?}`: verifies an image's
 * cosign signatures against the project's `spec.trustedKeys`, or against `publicKey` (PEM) when
 * given. Behind the platform's bearer authentication; the caller must be able to pull the
 * repository. The server's audit hook records each request as verb `verify` with the verdict as
 * its reason (one entry per verification).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError, type TrustedKey } from '../../api/index.js';
import { actionsIn } from '../access.js';
import type { RegistryContext } from '../http/registry-context.js';
import { isDigest, isTag, parseRepoName, type RepoName } from '../names.js';
import { loadPublicKey, SigningKeyError } from './signature-crypto.js';
import { verifyImageSignatures, type SignatureVerdict } from './verify-image.js';

export const VERIFY_PATH = '/registry/v1/verify';

/** Name given to a key passed in the request when no `keyName` comes with it. */
export const REQUEST_KEY_NAME = 'request';

interface VerifyBody {
  repository?: unknown;
  reference?: unknown;
  publicKey?: unknown;
  keyName?: unknown;
}

/** The validated request. */
interface VerifyRequest {
  readonly repo: RepoName;
  readonly reference: string;
  /** Set when the caller verifies against its own key instead of the project's. */
  readonly key?: TrustedKey;
}

/** What the route answers: the verdict plus the request's names. */
export interface VerifyResponse extends SignatureVerdict {
  readonly repository: string;
  readonly reference: string;
}

function compile(body: VerifyBody): VerifyRequest {
  if (typeof body !== 'object' || body === null || typeof body.repository !== 'string' || typeof body.reference !== 'string') {
    throw new BadRequestError('repository and reference (a tag or digest) are required');
  }
  let repo: RepoName;
  try {
    repo = parseRepoName(body.repository.split('/'));
  } catch (err) {
    throw new BadRequestError(`invalid repository name: ${(err as Error).message}`);
  }
  const reference = body.reference;
  if (!isDigest(reference) && !isTag(reference)) throw new BadRequestError(`"${reference}" is neither a tag nor a digest`);
  if (body.publicKey === undefined) return { repo, reference };
  if (typeof body.publicKey !== 'string' || body.publicKey.length > 8192) throw new BadRequestError('publicKey must be a PEM public key of at most 8192 characters');
  if (body.keyName !== undefined && (typeof body.keyName !== 'string' || body.keyName === '' || body.keyName.length > 63)) throw new BadRequestError('keyName must be 1 to 63 characters');
  try {
    loadPublicKey(body.publicKey);
  } catch (err) {
    if (err instanceof SigningKeyError) throw new BadRequestError(`publicKey: ${err.message}`, { cause: err });
    throw err;
  }
  return { repo, reference, key: { name: typeof body.keyName === 'string' ? body.keyName : REQUEST_KEY_NAME, publicKey: body.publicKey } };
}

/** Checks pull access (audit info set on the way) and resolves the reference; returns the keys to use. */
async function target(rc: RegistryContext, req: FastifyRequest, v: VerifyRequest): Promise<{ digest: string; keys: readonly TrustedKey[] }> {
  const name = `${v.repo.full}${isDigest(v.reference) ? '@' : ':'}${v.reference}`;
  req.auditInfo = { verb: 'verify', resource: 'repositories', name };
  const p = req.principal;
  if (!p) throw new UnauthorizedError();
  const project = await rc.meta.project(v.repo.project);
  if (!project?.spec) throw new NotFoundError('Project', v.repo.project);
  req.auditInfo.tenant = project.spec.tenant;
  const allowed = actionsIn(rc.route.authorizer, { kind: 'user', principal: p }, project, rc.route.clock.now());
  if (!allowed.has('pull')) {
    req.auditInfo.reason = `${p.user} may not pull ${v.repo.full}`;
    throw new ForbiddenError(req.auditInfo.reason);
  }
  const digest = isDigest(v.reference) ? v.reference : await rc.meta.resolveTag(v.repo, v.reference);
  if (!digest || !(await rc.meta.manifest(v.repo, digest))) throw new NotFoundError('Artifact', name);
  req.auditInfo.name = `${v.repo.full}@${digest}`;
  return { digest, keys: v.key ? [v.key] : (project.spec.trustedKeys ?? []) };
}

export function registerSigningRoutes(app: FastifyInstance, rc: RegistryContext): void {
  app.post<{ Body: VerifyBody }>(VERIFY_PATH, async (req, reply) => {
    const v = compile(req.body ?? {});
    const { digest, keys } = await target(rc, req, v);
    const verdict = await verifyImageSignatures(rc, v.repo, digest, keys);
    if (req.auditInfo) req.auditInfo.reason = `${verdict.verified ? 'verified' : 'not verified'}: ${verdict.reason}`;
    const body: VerifyResponse = { repository: v.repo.full, reference: v.reference, ...verdict };
    return reply.code(200).send(body);
  });
}
