/**
 * `POST /registry/v1/scan` `{repository, reference}`: scans an artifact on demand and returns the
 * report (per manifest, packages with advisories, summary by severity). Behind the platform's
 * bearer authentication; the caller must be able to push to the repository (Harbor lets
 * developers and up scan). Advisories are OSV JSON / zip files under `<data>/registry/osv/`,
 * loaded on the first scan and again when the files change (advisory-source.ts). The report is stored (`RegistryScanReport`, see reports.ts) and
 * `GET /registry/v1/scan?repository=..&reference=..` returns the latest one (needs pull).
 */
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../api/index.js';
import { actionsIn } from '../access.js';
import type { RegistryContext } from '../http/registry-context.js';
import { isDigest, isTag, parseRepoName, type RepoName } from '../names.js';
import { advisoriesFrom } from './advisory-source.js';
import { errorReport, reportOf } from './reports.js';
import { ScanError, scanImage } from './scan-image.js';

export const SCAN_PATH = '/registry/v1/scan';

interface ScanBody {
  repository?: unknown;
  reference?: unknown;
}

interface Target {
  readonly repo: RepoName;
  readonly reference: string;
  readonly digest: string;
  readonly tenant?: string;
}

/**
 * Validates `{repository, reference}`, checks that the caller may `action` the repository (audit
 * info set on the way) and resolves the reference to a stored manifest's digest.
 */
async function target(rc: RegistryContext, req: FastifyRequest, body: ScanBody, action: 'pull' | 'push'): Promise<Target> {
  if (typeof body !== 'object' || typeof body.repository !== 'string' || typeof body.reference !== 'string') throw new BadRequestError('repository and reference (a tag or digest) are required');
  const { repository, reference } = body as { repository: string; reference: string };
  req.auditInfo = { verb: action === 'push' ? 'scan' : 'get', resource: 'repositories', name: `${repository}${isDigest(reference) ? '@' : ':'}${reference}` };
  const p = req.principal;
  if (!p) throw new UnauthorizedError();
  let repo: RepoName;
  try {
    repo = parseRepoName(repository.split('/'));
  } catch (err) {
    throw new BadRequestError(`invalid repository name: ${(err as Error).message}`);
  }
  if (!isDigest(reference) && !isTag(reference)) throw new BadRequestError(`"${reference}" is neither a tag nor a digest`);
  const project = await rc.meta.project(repo.project);
  if (!project?.spec) throw new NotFoundError('Project', repo.project);
  req.auditInfo.tenant = project.spec.tenant;
  const allowed = actionsIn(rc.route.authorizer, { kind: 'user', principal: p }, project, rc.route.clock.now());
  if (!allowed.has(action)) {
    req.auditInfo.reason = `${p.user} may not ${action === 'push' ? 'scan' : 'read scan reports of'} ${repo.full}`;
    throw new ForbiddenError(req.auditInfo.reason);
  }
  const digest = isDigest(reference) ? reference : await rc.meta.resolveTag(repo, reference);
  if (!digest || !(await rc.meta.manifest(repo, digest))) throw new NotFoundError('Artifact', `${repo.full}${isDigest(reference) ? '@' : ':'}${reference}`);
  return { repo, reference, digest, tenant: project.spec.tenant };
}

export function registerScanRoutes(app: FastifyInstance, rc: RegistryContext, advisories = rc.advisories ?? advisoriesFrom(join(rc.route.dataDir, 'registry', 'osv'))): void {
  app.post<{ Body: ScanBody }>(SCAN_PATH, async (req, reply) => {
    const { repo, reference, digest } = await target(rc, req, req.body ?? {}, 'push');
    try {
      const store = await advisories();
      const result = await scanImage(rc.blobs, digest, store);
      const report = reportOf(result, store.size);
      await rc.meta.putScanReport(repo, digest, report);
      return reply.code(200).send({ repository: repo.full, reference, ...result, status: report.status, advisories: report.advisories, vulnerabilities: report.vulnerabilities });
    } catch (err) {
      if (err instanceof ScanError) {
        await rc.meta.putScanReport(repo, digest, errorReport(digest, err, new Date(rc.route.clock.now()).toISOString()));
        throw new BadRequestError(`scan failed: ${err.message}`);
      }
      throw err;
    }
  });

  /** `GET /registry/v1/scan?repository=..&reference=..`: the stored report (404 when never scanned). */
  app.get<{ Querystring: ScanBody }>(SCAN_PATH, async (req, reply) => {
    const { repo, reference, digest } = await target(rc, req, req.query ?? {}, 'pull');
    const record = await rc.meta.scanReport(repo, digest);
    if (!record?.spec) throw new NotFoundError('ScanReport', `${repo.full}@${digest}`);
    return reply.code(200).send({ repository: repo.full, reference, ...record.spec });
  });
}

export { advisoriesFrom };
