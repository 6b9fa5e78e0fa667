/**
 * Serialises writers and group-commits: single-object writes that queue up while a commit is in
 * flight run together in the next database transaction (one commit for many writes); a
 * `transaction(fn)` runs alone. Results are settled and events published only after COMMIT.
 */
import { BulkheadError, UnavailableError } from '../../api/index.js';
import type { Engine, StoredEvent } from './engine.js';
import { TxOps } from './tx-ops.js';

type Op = (tx: TxOps) => Promise<unknown>;
interface Job {
  readonly alone: boolean;
  readonly op: Op;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const MAX_ATTEMPTS = 5;

export interface WriteQueueOptions {
  readonly now: () => number;
  /** Called with each commit's events, in commit order, before the next session begins. */
  readonly afterCommit: (events: readonly StoredEvent[]) => void;
  /** Most single writes per group commit. */
  readonly maxBatch?: number;
}

export class WriteQueue {
  private readonly jobs: Job[] = [];
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly maxBatch: number;

  constructor(
    private readonly engine: Engine,
    private readonly opts: WriteQueueOptions,
  ) {
    this.maxBatch = opts.maxBatch ?? 512;
  }

  /** One write that may share a commit with other single writes. */
  single<T>(op: (tx: TxOps) => Promise<T>): Promise<T> {
    return this.enqueue(false, op) as Promise<T>;
  }

  /** A caller's transaction: its own session, retried as a whole on serialization failure. */
  transaction<T>(fn: (tx: TxOps) => Promise<T>): Promise<T> {
    return this.enqueue(true, fn) as Promise<T>;
  }

  /** Refuses new writes and resolves once queued ones are done. */
  close(): Promise<void> {
    this.closed = true;
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(alone: boolean, op: Op): Promise<unknown> {
    if (this.closed) return Promise.reject(new UnavailableError('store is closed'));
    return new Promise((resolve, reject) => {
      this.jobs.push({ alone, op, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.jobs.length > 0) {
        let n = 1;
        if (!this.jobs[0]?.alone) while (n < this.jobs.length && n < this.maxBatch && !this.jobs[n]?.alone) n++;
        await this.run(this.jobs.splice(0, n));
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  // Runs jobs in one session. In a group, a job's own Bulkhead error (conflict, not found) fails
  // only that job: the ops check before writing, so such a job has written nothing.
  private async run(jobs: readonly Job[]): Promise<void> {
    const group = jobs.length > 1 || !jobs[0]?.alone;
    for (let attempt = 1; ; attempt++) {
      const outcomes: Outcome[] = [];
      try {
        await this.session(async (tx) => {
          outcomes.length = 0;
          for (const j of jobs) {
            try {
              outcomes.push({ ok: true, value: await j.op(tx) });
            } catch (error) {
              if (!group || !(error instanceof BulkheadError)) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (e) {
        if (attempt < MAX_ATTEMPTS && this.engine.isRetryable(e)) continue;
        const err = this.engine.mapError(e);
        for (const j of jobs) j.reject(err);
        return;
      }
      jobs.forEach((j, i) => {
        const o = outcomes[i];
        if (o?.ok) j.resolve(o.value);
        else j.reject(o?.error);
      });
      return;
    }
  }

  private async session(work: (tx: TxOps) => Promise<void>): Promise<void> {
    const s = await this.engine.begin();
    const tx = new TxOps(s.writer, s.revision, this.opts.now);
    try {
      await work(tx);
      await tx.settled(); // ops the caller started but did not await still belong to this commit
      tx.finish();
      await s.commit(tx.revision);
    } catch (e) {
      await tx.settled(); // never let an in-flight op write after ROLLBACK, outside the transaction
      tx.finish();
      await s.rollback().catch(() => undefined);
      throw e;
    }
    try {
      this.opts.afterCommit(tx.events);
    } catch {
      // a publishing failure must not turn a committed write into a reported failure
    }
  }
}
