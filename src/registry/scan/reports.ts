/**
 * Stored scan reports (`RegistryScanReport`, ns=<project>/<repo>, name=<manifest digest>) and the
 * scan on push: after a manifest PUT the image is scanned in the background, the report stored and
 * the scan audited. A failing scan stores an Error report and never touches the push.
 */
import type { AuditRecord } from '../../store/store.js';
import type { RegistryMetadata } from '../metadata.js';
import type { BlobStore } from '../blob-store.js';
import type { ScanFinding, ScanReportSpec } from '../metadata-kinds.js';
import type { RepoName } from '../names.js';
import { emptySummary, type AdvisoryStore } from './osv.js';
import { scanImage, type ImageScanResult } from './scan-image.js';

/** The stored form of a scan result. */
export function reportOf(result: ImageScanResult, advisories: number): ScanReportSpec {
  const vulnerabilities: ScanFinding[] = [];
  for (const m of result.manifests) {
    for (const p of m.report.packages) {
      for (const v of p.vulnerabilities) {
        vulnerabilities.push({
          id: v.id,
          package: p.name,
          ecosystem: p.ecosystem,
          installed: v.installedVersion,
          fixed: v.fixedVersions.join(', '),
          severity: v.severity,
          ...(v.summary ? { summary: v.summary } : {}),
          ...(m.platform ? { platform: m.platform } : {}),
        });
      }
    }
  }
  return {
    status: result.scannable ? 'Success' : 'Unsupported',
    digest: result.digest,
    scannedAt: result.scannedAt,
    advisories,
    summary: result.summary,
    ...(result.highest ? { highest: result.highest } : {}),
    vulnerabilities,
  };
}

export function errorReport(digest: string, err: unknown, scannedAt: string): ScanReportSpec {
  return { status: 'Error', digest, scannedAt, advisories: 0, summary: emptySummary(), vulnerabilities: [], error: err instanceof Error ? err.message : String(err) };
}

export interface BackgroundScannerDeps {
  readonly blobs: BlobStore;
  readonly meta: RegistryMetadata;
  readonly advisories: () => Promise<AdvisoryStore>;
  readonly now: () => number;
  readonly record: (rec: AuditRecord) => Promise<unknown>;
  readonly warn: (obj: Record<string, unknown>, msg: string) => void;
}

/** Runs scans after pushes, one promise per scan; `drain` waits for those in flight (server close). */
export class BackgroundScanner {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: BackgroundScannerDeps) {}

  /** Starts scanning `digest` in `repo`; returns at once. Never rejects. */
  start(repo: RepoName, digest: string, who: { user: string; tenant?: string; sourceIp?: string; requestId?: string }): void {
    const p = this.run(repo, digest, who).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Scans and stores the report, whatever happens; the returned promise never rejects. */
  async run(repo: RepoName, digest: string, who: { user: string; tenant?: string; sourceIp?: string; requestId?: string }): Promise<void> {
    const { deps } = this;
    let report: ScanReportSpec;
    try {
      const advisories = await deps.advisories();
      report = reportOf(await scanImage(deps.blobs, digest, advisories), advisories.size);
    } catch (err) {
      deps.warn({ err, repository: repo.full, digest }, 'scan on push failed');
      report = errorReport(digest, err, new Date(deps.now()).toISOString());
    }
    try {
      if (!(await deps.meta.putScanReport(repo, digest, report))) return; // deleted meanwhile
    } catch (err) {
      deps.warn({ err, repository: repo.full, digest }, 'could not store the scan report');
      return;
    }
    try {
      await deps.record({
        time: new Date(deps.now()).toISOString(),
        user: who.user,
        verb: 'scan',
        resource: 'repositories',
        name: `${repo.full}@${digest}`,
        ...(who.tenant ? { tenant: who.tenant } : {}),
        decision: 'allow',
        code: 200,
        ...(who.sourceIp ? { sourceIp: who.sourceIp } : {}),
        ...(who.requestId ? { requestId: who.requestId } : {}),
      });
    } catch (err) {
      deps.warn({ err, repository: repo.full, digest }, 'could not audit the scan');
    }
  }

  /** Waits for the scans in flight. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
