/**
 * `POST /registry/v1/scan` `{repository, reference}`: scans an artifact on demand and returns the
 * report (per manifest, packages with advisories, summary by severity). Behind the platform's
 * bearer authentication; the caller must be able to push to the repository (Harbor lets
 * developers and up scan). Advisories are OSV JSON / zip files under `<data>/registry/osv/`,
 * loaded on the first scan.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../api/index.js';
import { actionsIn } from '../access.js';
import type { RegistryContext } from '../http/registry-context.js';
import { isDigest, isTag, parseRepoName, type RepoName } from '../names.js';
import { AdvisoryStore } from './osv.js';
import { ScanError, scanImage } from './scan-image.js';

export const SCAN_PATH = '/registry/v1/scan';

interface ScanBody {
  repository?: unknown;
  reference?: unknown;
}

/** Loads `<dataDir>/registry/osv` once (an empty store when the directory does not exist). */
export function advisoriesFrom(dir: string): () => Promise<AdvisoryStore> {
  let loading: Promise<AdvisoryStore> | undefined;
  return () => {
    loading ??= (async () => {
      const store = new AdvisoryStore();
      if (await stat(dir).catch(() => undefined)) await store.importPath(dir);
      return store;
    })().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

export function registerScanRoutes(app: FastifyInstance, rc: RegistryContext, advisories = advisoriesFrom(join(rc.route.dataDir, 'registry', 'osv'))): void {
  app.post<{ Body: ScanBody }>(SCAN_PATH, async (req, reply) => {
    const body = req.body ?? {};
    if (typeof body !== 'object' || typeof body.repository !== 'string' || typeof body.reference !== 'string') throw new BadRequestError('body must be {"repository": string, "reference": tag or digest}');
    const { repository, reference } = body as { repository: string; reference: string };
    req.auditInfo = { verb: 'scan', resource: 'repositories', name: `${repository}${isDigest(reference) ? '@' : ':'}${reference}` };
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
    if (!allowed.has('push')) {
      req.auditInfo.reason = `${p.user} may not scan ${repo.full}`;
      throw new ForbiddenError(req.auditInfo.reason);
    }
    const digest = isDigest(reference) ? reference : await rc.meta.resolveTag(repo, reference);
    if (!digest || !(await rc.meta.manifest(repo, digest))) throw new NotFoundError('Artifact', `${repo.full}${isDigest(reference) ? '@' : ':'}${reference}`);
    try {
      const result = await scanImage(rc.blobs, digest, await advisories());
      return reply.code(200).send({ repository: repo.full, reference, ...result });
    } catch (err) {
      if (err instanceof ScanError) throw new BadRequestError(`scan failed: ${err.message}`);
      throw err;
    }
  });
}
