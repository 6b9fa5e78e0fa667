/**
 * The shapes garbage collection takes and gives: the compiled request, the run's result (what the
 * API answers, the history keeps and the CLI prints) and the options the platform configures.
 */

/** What a caller asks for (`POST /registry/v1/gc`). */
export interface GcRequest {
  /** Report what would go and the bytes freed; change nothing. */
  readonly dryRun: boolean;
  /** Also delete manifests no tag keeps (see repo-plan.ts). */
  readonly deleteUntagged: boolean;
}

export const RUN_STATUSES = ['Running', 'Succeeded', 'Failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One abandoned upload, cancelled (or to be, in a dry run). */
export interface ExpiredUpload {
  readonly id: string;
  readonly repository: string;
  readonly idleSeconds: number;
}

/** Lists in a result stop here; the counts are always complete. */
export const RESULT_LIST_LIMIT = 1000;

export interface GcResult {
  readonly id: string;
  readonly status: RunStatus;
  /** Why a run failed (it stopped where it was; re-running finishes the job). */
  readonly error?: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly deleteUntagged: boolean;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** The protection window and upload TTL this run used. */
  readonly windowSeconds: number;
  readonly uploadTtlSeconds: number;
  readonly blobsDeleted: number;
  readonly bytesFreed: number;
  /** Deleted blobs (first RESULT_LIST_LIMIT). */
  readonly blobs: readonly { readonly digest: string; readonly size: number }[];
  readonly manifestsDeleted: number;
  /** `repo@digest` of deleted untagged manifests (first RESULT_LIST_LIMIT). */
  readonly manifests: readonly string[];
  /** Blob links released (a layer whose manifest is gone, an upload whose manifest never came). */
  readonly linksRemoved: number;
  /** Unreferenced blob files kept because they changed within the window. */
  readonly blobsProtected: number;
  readonly uploadsCancelled: number;
  readonly uploads: readonly ExpiredUpload[];
}

/** How the platform tunes maintenance (RegistryExtensionOptions.maintenance). */
export interface MaintenanceOptions {
  /** Unreferenced blobs, links and untagged manifests younger than this are kept (Harbor: 2 h). */
  readonly gcWindowMs?: number;
  /** Uploads without activity for this long are cancelled by GC (default 24 h). */
  readonly uploadTtlMs?: number;
  /** Runs kept in each history (default 50). */
  readonly historyLimit?: number;
  /** How often the retention schedule is checked, platform clock (default 60 s). */
  readonly retentionTickMs?: number;
}

export const DEFAULT_GC_WINDOW_MS = 2 * 3600_000;
export const DEFAULT_UPLOAD_TTL_MS = 24 * 3600_000;
export const DEFAULT_HISTORY_LIMIT = 50;
export const DEFAULT_RETENTION_TICK_MS = 60_000;

/** Options with every default filled in, checked once. */
export type CompiledMaintenanceOptions = Required<MaintenanceOptions>;

export function compileMaintenanceOptions(o: MaintenanceOptions = {}): CompiledMaintenanceOptions {
  const out = {
    gcWindowMs: o.gcWindowMs ?? DEFAULT_GC_WINDOW_MS,
    uploadTtlMs: o.uploadTtlMs ?? DEFAULT_UPLOAD_TTL_MS,
    historyLimit: o.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    retentionTickMs: o.retentionTickMs ?? DEFAULT_RETENTION_TICK_MS,
  };
  for (const [k, v] of Object.entries(out)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`maintenance option ${k} must be a non-negative number, got ${v}`);
  }
  if (out.historyLimit < 1 || out.retentionTickMs < 1) throw new RangeError('historyLimit and retentionTickMs must be at least 1');
  return out;
}
