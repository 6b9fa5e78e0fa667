/**
 * Deploy-time image policy (Harbor's "prevent vulnerable images from running" and content trust,
 * enforced where Bulkhead starts containers: workload admission). For every image a pod template
 * names in a project of this registry:
 *   - `policy.preventVulnerable.severity`: the image's latest scan must be Success with no finding
 *     at or above the threshold (allowlisted ids ignored); no report, a failed scan or one still
 *     running refuses too (Harbor). Artifacts the scanner does not support pass (Harbor).
 *   - `policy.requireSignature`: a cosign signature must verify against one of the project's
 *     `trustedKeys` (not merely exist, unlike Harbor).
 * The refusal names the CVE ids with their severities, or the missing or unverified signature.
 */
import type { Project, PolicySeverity } from '../../api/index.js';
import type { ImagePolicyChecker, ImageRefusal, ImageUse } from '../../platform/extension.js';
import type { ScanFinding } from '../metadata-kinds.js';
import type { RegistryMetadata } from '../metadata.js';
import type { RepoName } from '../names.js';
import { parseImageRef } from './image-ref.js';

/** Whether a signature of `digest` in `repo` verifies against one of the keys (signing/verify.ts). */
export type SignatureCheck = (repo: RepoName, digest: string, project: Project) => Promise<{ readonly verified: boolean; readonly reason: string }>;

export interface ImagePolicyOptions {
  readonly meta: RegistryMetadata;
  readonly verifySignature: SignatureCheck;
  /** Called once per refused image (the audit log). */
  readonly onRefusal?: (refusal: ImageRefusal, who: { readonly user: string; readonly tenant?: string }) => void;
}

const RANK: Readonly<Record<string, number>> = { Unknown: 0, Low: 1, Medium: 2, High: 3, Critical: 4 };
const MAX_LISTED = 5;

function describeFinding(f: ScanFinding): string {
  return `${f.id} (${f.severity}, ${f.package} ${f.installed}${f.fixed ? `, fixed in ${f.fixed}` : ', no fix'})`;
}

export class RegistryImagePolicy implements ImagePolicyChecker {
  constructor(private readonly opts: ImagePolicyOptions) {}

  async check(uses: readonly ImageUse[], who: { readonly user: string; readonly tenant?: string }): Promise<readonly ImageRefusal[]> {
    const refusals: ImageRefusal[] = [];
    for (const use of uses) {
      const message = await this.checkOne(use.image);
      if (message === undefined) continue;
      const refusal = { field: use.field, image: use.image, message };
      refusals.push(refusal);
      this.opts.onRefusal?.(refusal, who);
    }
    return refusals;
  }

  /** Why `image` may not run, or undefined when it may. */
  private async checkOne(image: string): Promise<string | undefined> {
    const ref = parseImageRef(image);
    if (!ref) return undefined;
    const project = await this.opts.meta.project(ref.repo.project);
    const policy = project?.spec?.policy;
    if (!project || !policy || (!policy.preventVulnerable && !policy.requireSignature)) return undefined;
    const digest = ref.byDigest ? ref.reference : await this.opts.meta.resolveTag(ref.repo, ref.reference);
    const manifest = digest ? await this.opts.meta.manifest(ref.repo, digest) : undefined;
    if (!digest || !manifest) return `image ${ref.repo.full}${ref.byDigest ? '@' : ':'}${ref.reference} is not in the registry; project "${ref.repo.project}" only runs images it has checked`;
    const reasons: string[] = [];
    if (policy.preventVulnerable) {
      const r = await this.vulnerabilityReason(ref.repo, digest, policy.preventVulnerable.severity, policy.cveAllowlist ?? []);
      if (r) reasons.push(r);
    }
    if (policy.requireSignature) {
      const v = await this.opts.verifySignature(ref.repo, digest, project);
      if (!v.verified) reasons.push(`project "${ref.repo.project}" only runs signed images: ${v.reason}`);
    }
    return reasons.length ? reasons.join('; ') : undefined;
  }

  private async vulnerabilityReason(repo: RepoName, digest: string, threshold: PolicySeverity, allowlist: readonly string[]): Promise<string | undefined> {
    const rule = `project "${repo.project}" prevents images with vulnerabilities of severity ${threshold} or higher from running`;
    const report = await this.opts.meta.scanReport(repo, digest);
    const status = report?.spec?.status;
    if (status === 'Unsupported') return undefined;
    if (!report?.spec || status !== 'Success') {
      const what = status === undefined ? 'has not been scanned' : `has a scan with status ${status}${report?.spec?.error ? ` (${report.spec.error})` : ''}`;
      return `image ${repo.full}@${digest} ${what}; ${rule}`;
    }
    const allowed = new Set(allowlist);
    const min = RANK[threshold] ?? 0;
    const blocking = report.spec.vulnerabilities
      .filter((v) => (RANK[v.severity] ?? 0) >= min && !allowed.has(v.id))
      .sort((a, b) => (RANK[b.severity] ?? 0) - (RANK[a.severity] ?? 0) || a.id.localeCompare(b.id));
    if (blocking.length === 0) return undefined;
    const ids = [...new Map(blocking.map((f) => [f.id, f])).values()];
    const listed = ids.slice(0, MAX_LISTED).map(describeFinding).join(', ');
    const more = ids.length > MAX_LISTED ? ` and ${ids.length - MAX_LISTED} more` : '';
    return `image ${repo.full}@${digest} has ${ids.length} vulnerabilit${ids.length === 1 ? 'y' : 'ies'} at or above ${threshold}: ${listed}${more}; ${rule}`;
  }
}
