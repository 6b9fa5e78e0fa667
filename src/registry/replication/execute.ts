/**
 * One execution's work, given its two sides: plan (list and filter the source), then run each
 * task with retries (a few attempts, backoff ×4 on the platform clock) and count what happened.
 * Once a task has failed because the remote is unreachable, the tasks after it fail at once
 * rather than each waiting out its own retries against a registry that is down.
 */
import { MAX_EXECUTION_ERRORS, type ReplicationPolicySpec, type ReplicationTaskError } from '../../api/kinds/replication.js';
import { ArtifactCopier } from './copy-artifact.js';
import type { RegistryEndpoint } from './endpoint.js';
import { RegistryUnreachableError, describeCause, isRetryable } from './errors.js';
import { planAll, planEvents, taskLabel, type ReplicationTask, type ReplicationWork } from './plan.js';

export interface ExecutionProgress {
  total: number;
  copied: number;
  skipped: number;
  failed: number;
  deleted: number;
  errors: ReplicationTaskError[];
  /** Set when the execution could not even plan its work. */
  message?: string;
}

export interface ExecuteOptions {
  /** Tries per task (and for the listing), at least 1. */
  readonly attempts: number;
  /** Wait before the second try; each further wait is 4× longer. */
  readonly backoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly signal: AbortSignal;
  /** Called after the plan and after each task (the execution's status is written from it). */
  readonly onProgress: (p: Readonly<ExecutionProgress>) => Promise<void>;
}

type Attempted<T> = { ok: true; value: T } | { ok: false; error: unknown; attempts: number };

/** Runs `fn` until it succeeds, fails for good, or runs out of attempts; an abort is thrown. */
export async function withRetries<T>(fn: () => Promise<T>, o: Pick<ExecuteOptions, 'attempts' | 'backoffMs' | 'sleep' | 'signal'>): Promise<Attempted<T>> {
  for (let i = 1; ; i++) {
    o.signal.throwIfAborted();
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      o.signal.throwIfAborted();
      if (i >= o.attempts || !isRetryable(err)) return { ok: false, error: err, attempts: i };
      await o.sleep(o.backoffMs * 4 ** (i - 1));
    }
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : describeCause(err));

function fail(p: ExecutionProgress, artifact: string, error: string, attempts: number): void {
  p.failed++;
  if (p.errors.length < MAX_EXECUTION_ERRORS) p.errors.push({ artifact, error, attempts });
}

async function runTask(task: ReplicationTask, copier: ArtifactCopier, dst: RegistryEndpoint): Promise<'copied' | 'skipped' | 'deleted'> {
  if (task.kind === 'delete') return (await dst.deleteManifest(task.dstRepo, task.reference)) ? 'deleted' : 'skipped';
  return (await copier.copy(task.srcRepo, task.dstRepo, task.digest, task.tags)) ? 'copied' : 'skipped';
}

/** Replicates `work` of a policy from `src` to `dst`; throws only when aborted. */
export async function execute(spec: ReplicationPolicySpec, work: ReplicationWork, src: RegistryEndpoint, dst: RegistryEndpoint, o: ExecuteOptions): Promise<ExecutionProgress> {
  const p: ExecutionProgress = { total: 0, copied: 0, skipped: 0, failed: 0, deleted: 0, errors: [] };
  const listing = await withRetries(() => (work.kind === 'all' ? planAll(spec, src) : planEvents(spec, src, work)), o);
  if (!listing.ok) {
    const error = messageOf(listing.error);
    if (p.errors.length < MAX_EXECUTION_ERRORS) p.errors.push({ artifact: `list ${src.name}`, error, attempts: listing.attempts });
    p.message = `could not list what to replicate: ${error}`;
    return p;
  }
  const tasks = listing.value;
  p.total = tasks.length;
  await o.onProgress(p);
  const copier = new ArtifactCopier(src, dst);
  let unreachable: string | undefined;
  for (const task of tasks) {
    o.signal.throwIfAborted();
    if (unreachable !== undefined) {
      fail(p, taskLabel(task), `not attempted: ${unreachable}`, 0);
      continue;
    }
    const r = await withRetries(() => runTask(task, copier, dst), o);
    if (r.ok) p[r.value]++;
    else {
      fail(p, taskLabel(task), messageOf(r.error), r.attempts);
      if (r.error instanceof RegistryUnreachableError) unreachable = r.error.message;
    }
    await o.onProgress(p);
  }
  return p;
}
