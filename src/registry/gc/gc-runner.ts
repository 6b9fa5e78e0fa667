/**
 * At most one garbage collection at a time in this server: a second request while one runs gets
 * 409 naming the running one. Finished runs go to the history (newest first); the running one is
 * shown on top of it.
 */
import type { GcDeps } from './run-gc.js';
import { runGc } from './run-gc.js';
import { MaintenanceRunningError } from './errors.js';
import type { RunHistory } from './run-history.js';
import { runId } from './run-id.js';
import type { GcRequest, GcResult } from './types.js';

export class GcRunner {
  private running: { readonly result: GcResult; readonly done: Promise<GcResult> } | undefined;

  constructor(
    private readonly deps: GcDeps,
    private readonly history: RunHistory<GcResult>,
    private readonly warn: (obj: Record<string, unknown>, msg: string) => void,
  ) {}

  /** Runs GC to the end and returns its result (a failed run is a result too, status Failed). */
  async run(req: GcRequest, user: string): Promise<GcResult> {
    if (this.running) throw new MaintenanceRunningError('GarbageCollection', this.running.result.id);
    const id = runId('gc', this.deps.clock.now());
    const placeholder = this.placeholder(id, req, user);
    const done = (async () => {
      const result = await runGc(this.deps, req, { id, user });
      if (result.error !== undefined) this.warn({ run: id, error: result.error }, 'garbage collection failed');
      await this.history.add('', result).catch((err: unknown) => this.warn({ err, run: id }, 'could not record the garbage collection run'));
      return result;
    })();
    this.running = { result: placeholder, done };
    try {
      return await done;
    } finally {
      this.running = undefined;
    }
  }

  /** The run in progress, if any (status Running, no counts yet). */
  current(): GcResult | undefined {
    return this.running?.result;
  }

  /** Running first, then the newest finished runs; `limit` in all. */
  async list(limit: number): Promise<GcResult[]> {
    const cur = this.current();
    const past = await this.history.list('', limit);
    return (cur ? [cur, ...past] : past).slice(0, limit);
  }

  /** Waits for the run in progress (server close). */
  async drain(): Promise<void> {
    await this.running?.done.catch(() => undefined);
  }

  private placeholder(id: string, req: GcRequest, user: string): GcResult {
    return {
      id,
      status: 'Running',
      user,
      dryRun: req.dryRun,
      deleteUntagged: req.deleteUntagged,
      startedAt: new Date(this.deps.clock.now()).toISOString(),
      windowSeconds: Math.floor(this.deps.windowMs / 1000),
      uploadTtlSeconds: Math.floor(this.deps.uploadTtlMs / 1000),
      blobsDeleted: 0,
      bytesFreed: 0,
      blobs: [],
      manifestsDeleted: 0,
      manifests: [],
      linksRemoved: 0,
      blobsProtected: 0,
      uploadsCancelled: 0,
      uploads: [],
    };
  }
}
