/**
 * `bulkhead registry gc | gc-history | retention | retention-history`: registry maintenance.
 * Garbage collection (platform admins) deletes unreferenced blobs, optionally untagged manifests,
 * and abandoned uploads; retention applies a project's tag-retention rules. Tables for people,
 * the run itself with `-o json|yaml`; a run that failed exits 1.
 */
import type { Output } from '../output.js';
import { parsePositiveInt, requiredString } from '../flags.js';
import { formatDuration } from '../format.js';
import { defineCommand, type Command } from '../spec.js';
import { formatTable } from '../table.js';

/** Local copies so the CLI loads no registry code at start. */
const GC_PATH = '/registry/v1/gc';
const retentionPath = (project: string) => `/registry/v1/projects/${encodeURIComponent(project)}/retention`;
/** GC and retention run inside the request; allow long ones. */
const RUN_TIMEOUT_MS = 3_600_000;

/** The fields of a GC run the CLI shows (the server's GcResult; the rest passes through to -o json). */
export interface GcRun {
  readonly id: string;
  readonly status: string;
  readonly error?: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly deleteUntagged: boolean;
  readonly startedAt: string;
  readonly durationMs?: number;
  readonly blobsDeleted: number;
  readonly bytesFreed: number;
  readonly manifestsDeleted: number;
  readonly manifests: readonly string[];
  readonly linksRemoved: number;
  readonly blobsProtected: number;
  readonly uploadsCancelled: number;
  readonly uploads: readonly { readonly id: string; readonly repository: string; readonly idleSeconds: number }[];
  readonly windowSeconds: number;
}

/** The fields of a retention run the CLI shows. */
export interface RetentionRun {
  readonly id: string;
  readonly project: string;
  readonly status: string;
  readonly error?: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly durationMs?: number;
  readonly rules: readonly string[];
  readonly keptCount: number;
  readonly deletedCount: number;
  readonly repositories: readonly {
    readonly repository: string;
    readonly kept: readonly { readonly digest: string; readonly tags: readonly string[]; readonly reasons: readonly string[] }[];
    readonly deleted: readonly { readonly digest: string; readonly tags: readonly string[]; readonly role: string }[];
  }[];
  readonly untouched: readonly string[];
  readonly user: string;
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

const shortDigest = (d: string) => (d.includes(':') ? `${d.slice(0, d.indexOf(':') + 13)}` : d);
const took = (ms: number | undefined) => (ms === undefined ? 'running' : ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms));

/** The human view of one GC run. */
export function renderGcRun(r: GcRun): string[] {
  const would = r.dryRun ? ' (dry run: nothing was changed)' : '';
  const lines = [`${r.id}: ${r.status} in ${took(r.durationMs)}${would}; blobs changed within ${formatDuration(r.windowSeconds * 1000)} are kept`];
  if (r.error) lines.push(`error: ${r.error} (re-running finishes the job)`);
  const rows = [
    [r.dryRun ? 'blobs to delete' : 'blobs deleted', String(r.blobsDeleted), formatBytes(r.bytesFreed)],
    [r.dryRun ? 'untagged manifests to delete' : 'untagged manifests deleted', String(r.manifestsDeleted), r.deleteUntagged ? '' : '(not asked)'],
    [r.dryRun ? 'dangling links to release' : 'dangling links released', String(r.linksRemoved), ''],
    [r.dryRun ? 'abandoned uploads to cancel' : 'abandoned uploads cancelled', String(r.uploadsCancelled), ''],
    ['unreferenced but recent (kept)', String(r.blobsProtected), ''],
  ];
  lines.push('', formatTable(['WHAT', 'COUNT', 'SIZE'], rows).trimEnd());
  if (r.manifests.length > 0) lines.push('', formatTable(['MANIFEST'], r.manifests.map((m) => [m])).trimEnd());
  if (r.uploads.length > 0) lines.push('', formatTable(['UPLOAD', 'REPOSITORY', 'IDLE'], r.uploads.map((u) => [u.id, u.repository, formatDuration(u.idleSeconds * 1000)])).trimEnd());
  return lines;
}

/** The human view of one retention run: a row per artifact, kept or deleted, with why. */
export function renderRetentionRun(r: RetentionRun): string[] {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  const lines = [`${r.id}: ${r.status} in ${took(r.durationMs)}; project ${r.project}: ${verb} ${r.deletedCount}, kept ${r.keptCount}${r.dryRun ? ' (dry run: nothing was changed)' : ''}`];
  if (r.error) lines.push(`error: ${r.error}`);
  const rows: string[][] = [];
  for (const repo of r.repositories) {
    for (const d of repo.deleted) rows.push([repo.repository, shortDigest(d.digest), d.tags.join(',') || '<none>', r.dryRun ? 'delete' : 'deleted', d.role === 'artifact' ? 'no rule keeps it' : `${d.role} of a deleted artifact`]);
    for (const k of repo.kept) rows.push([repo.repository, shortDigest(k.digest), k.tags.join(',') || '<none>', 'keep', k.reasons.join('; ')]);
  }
  if (rows.length > 0) lines.push('', formatTable(['REPOSITORY', 'DIGEST', 'TAGS', 'ACTION', 'WHY'], rows).trimEnd());
  if (r.untouched.length > 0) lines.push('', `not matched by any rule (untouched): ${r.untouched.join(', ')}`);
  return lines;
}

const failed = (status: string) => (status === 'Failed' ? 1 : 0);

interface GcInput {
  readonly dryRun: boolean;
  readonly deleteUntagged: boolean;
}

export const registryGcCommand = defineCommand<GcInput>({
  name: 'gc',
  description: 'Garbage-collect the registry: unreferenced blobs, abandoned uploads, optionally untagged manifests (platform admins)',
  options: [
    { flags: '--dry-run', description: 'report what would be deleted and the bytes freed; change nothing' },
    { flags: '--delete-untagged', description: 'also delete manifests no tag keeps (not signatures or index children of tagged ones)' },
  ],
  examples: ['bulkhead registry gc --dry-run', 'bulkhead registry gc --delete-untagged', 'bulkhead registry gc -o json'],
  parse: ({ opts }) => ({ dryRun: opts.dryRun === true, deleteUntagged: opts.deleteUntagged === true }),
  run: async (ctx, input): Promise<Output> => {
    const r = await ctx.client({ timeoutMs: RUN_TIMEOUT_MS }).request<GcRun>('POST', GC_PATH, { body: input });
    return { type: 'message', lines: renderGcRun(r), data: r, names: [r.id], exitCode: failed(r.status) };
  },
});

export const registryGcHistoryCommand = defineCommand<{ readonly limit: number }>({
  name: 'gc-history',
  description: 'List recent garbage-collection runs, the running one first',
  options: [{ flags: '--limit <n>', description: 'how many runs', default: '20' }],
  examples: ['bulkhead registry gc-history', 'bulkhead registry gc-history --limit 5 -o yaml'],
  parse: ({ opts }) => ({ limit: parsePositiveInt(opts.limit ?? '20', '--limit') }),
  run: async (ctx, input): Promise<Output> => {
    const res = await ctx.client().request<{ items: GcRun[] }>('GET', GC_PATH, { query: { limit: input.limit } });
    const rows = res.items.map((r) => [
      r.id,
      r.status,
      r.dryRun ? 'yes' : 'no',
      r.startedAt,
      took(r.durationMs),
      String(r.blobsDeleted),
      formatBytes(r.bytesFreed),
      String(r.manifestsDeleted),
      String(r.uploadsCancelled),
      r.user,
    ]);
    return { type: 'table', headers: ['ID', 'STATUS', 'DRY-RUN', 'STARTED', 'DURATION', 'BLOBS', 'FREED', 'MANIFESTS', 'UPLOADS', 'BY'], rows, data: res, emptyNote: 'No garbage-collection runs yet.' };
  },
});

interface RetentionInput {
  readonly project: string;
  readonly dryRun: boolean;
}

export const registryRetentionCommand = defineCommand<RetentionInput>({
  name: 'retention',
  description: "Apply a project's tag-retention rules now (maintainers; a dry run needs developer)",
  args: [{ name: 'project', description: 'the registry project', required: true }],
  options: [{ flags: '--dry-run', description: 'show what would be kept and deleted; change nothing' }],
  examples: ['bulkhead registry retention acme-web --dry-run', 'bulkhead registry retention acme-web -o yaml'],
  parse: ({ args, opts }) => ({ project: requiredString(args[0], 'PROJECT'), dryRun: opts.dryRun === true }),
  run: async (ctx, input): Promise<Output> => {
    const r = await ctx.client({ timeoutMs: RUN_TIMEOUT_MS }).request<RetentionRun>('POST', retentionPath(input.project), { body: { dryRun: input.dryRun } });
    return { type: 'message', lines: renderRetentionRun(r), data: r, names: [r.id], exitCode: failed(r.status) };
  },
});

export const registryRetentionHistoryCommand = defineCommand<{ readonly project: string; readonly limit: number }>({
  name: 'retention-history',
  description: "List a project's recent retention runs (by hand and scheduled)",
  args: [{ name: 'project', description: 'the registry project', required: true }],
  options: [{ flags: '--limit <n>', description: 'how many runs', default: '20' }],
  examples: ['bulkhead registry retention-history acme-web'],
  parse: ({ args, opts }) => ({ project: requiredString(args[0], 'PROJECT'), limit: parsePositiveInt(opts.limit ?? '20', '--limit') }),
  run: async (ctx, input): Promise<Output> => {
    const res = await ctx.client().request<{ items: RetentionRun[] }>('GET', retentionPath(input.project), { query: { limit: input.limit } });
    const rows = res.items.map((r) => [r.id, r.status, r.dryRun ? 'yes' : 'no', r.startedAt, took(r.durationMs), String(r.deletedCount), String(r.keptCount), r.user]);
    return { type: 'table', headers: ['ID', 'STATUS', 'DRY-RUN', 'STARTED', 'DURATION', 'DELETED', 'KEPT', 'BY'], rows, data: res, emptyNote: `No retention runs for project ${input.project} yet.` };
  },
});

export const REGISTRY_MAINTENANCE_COMMANDS: readonly Command[] = [registryGcCommand, registryGcHistoryCommand, registryRetentionCommand, registryRetentionHistoryCommand];
