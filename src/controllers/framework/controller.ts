/**
 * The reconcile loop: workers take keys from a WorkQueue and call a level-triggered, idempotent
 * `reconcile(key)`. A returned `requeueAfter` schedules another look; a thrown error is retried
 * with per-key exponential backoff. Expected outcomes belong in status, not in exceptions.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../clock/index.js';
import { WorkQueue } from './work-queue.js';

export interface ReconcileResult {
  /** Look at this key again after this many ms of clock time. */
  readonly requeueAfter?: number;
}

export interface Reconciler {
  readonly name: string;
  reconcile(key: string): Promise<ReconcileResult | void>;
}

export interface ControllerOptions {
  readonly workers?: number;
  readonly maxRetryDelayMs?: number;
}

export class Controller {
  readonly queue: WorkQueue;
  private running: Promise<void>[] = [];
  private readonly workers: number;
  /** Reconciles done and failed, for metrics and tests. */
  readonly stats = { reconciled: 0, failed: 0 };

  constructor(
    readonly reconciler: Reconciler,
    clock: Clock,
    private readonly log: Logger,
    opts: ControllerOptions = {},
  ) {
    this.workers = opts.workers ?? 1;
    this.queue = new WorkQueue(clock, { maxDelayMs: opts.maxRetryDelayMs ?? 60_000 });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    for (let i = 0; i < this.workers; i++) this.running.push(this.worker());
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.running);
    this.running = [];
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const res = await this.reconciler.reconcile(key);
        this.stats.reconciled++;
        this.queue.forget(key);
        if (res && res.requeueAfter !== undefined) this.queue.addAfter(key, res.requeueAfter);
      } catch (err) {
        this.stats.failed++;
        const e = err as Error & { retryable?: boolean };
        this.log.warn({ controller: this.reconciler.name, key, err: e.message, retries: this.queue.numRequeues(key) }, 'reconcile failed; will retry');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
