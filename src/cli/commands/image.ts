/**
 * `bulkhead image scan|report REPO:TAG|REPO@DIGEST`: scan an image in the registry now (POST
 * /registry/v1/scan) or show its latest stored report (GET, e.g. the scan on push). Prints the
 * findings per severity and the vulnerabilities; `-o json|yaml` prints the report itself.
 */
import type { Output } from '../output.js';
import { UserError } from '../errors.js';
import { defineCommand } from '../spec.js';
import { formatTable } from '../table.js';

const SCAN_PATH = '/registry/v1/scan';
/** Local copy so the CLI loads no registry code at start. */
const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Unknown'] as const;

/** What the scan endpoints answer (the fields the CLI shows; the rest passes through to -o json). */
export interface ImageScanReport {
  readonly repository: string;
  readonly reference: string;
  readonly digest: string;
  readonly status: string;
  readonly scannedAt: string;
  readonly advisories: number;
  readonly summary: Readonly<Record<string, number>>;
  readonly highest?: string;
  readonly error?: string;
  readonly vulnerabilities: readonly { readonly id: string; readonly package: string; readonly installed: string; readonly fixed: string; readonly severity: string; readonly platform?: string }[];
}

interface ImageRefInput {
  readonly repository: string;
  readonly reference: string;
}

/**
 * `REPO:TAG`, `REPO@DIGEST` or `REPO` (tag latest); a leading registry host (`127.0.0.1:8080/`,
 * `registry.example.com/`) is dropped, as docker and skopeo references carry one.
 */
export function parseImageRef(raw: string): ImageRefInput {
  let s = raw.trim();
  const slash = s.indexOf('/');
  if (slash > 0) {
    const first = s.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') s = s.slice(slash + 1);
  }
  let repository: string;
  let reference: string;
  const at = s.indexOf('@');
  if (at >= 0) {
    repository = s.slice(0, at);
    reference = s.slice(at + 1);
  } else {
    const colon = s.lastIndexOf(':');
    repository = colon > s.lastIndexOf('/') && colon >= 0 ? s.slice(0, colon) : s;
    reference = colon > s.lastIndexOf('/') && colon >= 0 ? s.slice(colon + 1) : 'latest';
  }
  if (!repository || !reference || !repository.includes('/')) throw new UserError(`expected PROJECT/REPO:TAG or PROJECT/REPO@DIGEST, got "${raw}"`);
  return { repository, reference };
}

const sevRank = (s: string) => {
  const i = (SEVERITIES as readonly string[]).indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
};

/** The summary table, then the vulnerabilities table (worst first). */
export function renderReport(report: ImageScanReport, color = false): string[] {
  const head = `${report.repository}@${report.digest}: ${report.status}, scanned ${report.scannedAt} against ${report.advisories} advisories`;
  const lines = [head];
  if (report.error) lines.push(`error: ${report.error}`);
  lines.push('', formatTable(['SEVERITY', 'COUNT'], SEVERITIES.map((s) => [s, String(report.summary[s] ?? 0)]), { color }).trimEnd());
  const vulns = [...report.vulnerabilities].sort((a, b) => sevRank(a.severity) - sevRank(b.severity) || a.id.localeCompare(b.id) || a.package.localeCompare(b.package));
  if (vulns.length === 0) {
    lines.push('', 'No vulnerabilities found.');
  } else {
    lines.push('', formatTable(['ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'SEVERITY'], vulns.map((v) => [v.id, v.package, v.installed, v.fixed || '-', v.severity]), { color }).trimEnd());
  }
  return lines;
}

function output(report: ImageScanReport): Output {
  return { type: 'message', lines: renderReport(report), data: report, names: [`${report.repository}@${report.digest}`] };
}

const ARGS = [{ name: 'image', description: 'PROJECT/REPO:TAG or PROJECT/REPO@DIGEST', required: true }];

export const imageScanCommand = defineCommand<ImageRefInput>({
  name: 'scan',
  description: 'Scan an image in the registry for known vulnerabilities (OSV advisories)',
  args: ARGS,
  examples: ['bulkhead image scan acme-web/app:v1', 'bulkhead image scan acme-web/app@sha256:... -o json'],
  parse: ({ args }) => parseImageRef(args[0] ?? ''),
  run: async (ctx, input) => output(await ctx.client({ timeoutMs: 300_000 }).request<ImageScanReport>('POST', SCAN_PATH, { body: input })),
});

export const imageReportCommand = defineCommand<ImageRefInput>({
  name: 'report',
  description: "Show an image's latest vulnerability report (from the scan on push or `image scan`)",
  args: ARGS,
  examples: ['bulkhead image report acme-web/app:v1'],
  parse: ({ args }) => parseImageRef(args[0] ?? ''),
  run: async (ctx, input) => output(await ctx.client().request<ImageScanReport>('GET', SCAN_PATH, { query: { repository: input.repository, reference: input.reference } })),
});
