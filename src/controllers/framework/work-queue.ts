/**
 * A deduplicating, rate-limited work queue in client-go's shape: a key added many times while
 * waiting is processed once; a key being processed is never handed to a second worker; failures
 * back off exponentially per key. Delays run on the injected Clock.
 */
import type { Clock, TimerHandle } from '../../clock/index.js';

export interface WorkQueueOptions {
  /** First retry delay after a failure. */
  readonly baseDelayMs?: number;
  /** Cap on the per-key backoff. */
  readonly maxDelayMs?: number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { at: number; timer: TimerHandle }>();
  private waiters: (() => void)[] = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly clock: Clock,
    opts: WorkQueueOptions = {},
  ) {
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 300_000;
  }

  /** Enqueues a key unless it is already waiting. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued by done()
    this.queue.push(key);
    this.wake();
  }

  /** Enqueues a key after `ms`; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const prev = this.delayed.get(key);
    if (prev && prev.at <= at) return;
    if (prev) this.clock.clearTimeout(prev.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Enqueues after this key's exponential backoff and counts the failure. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n));
  }

  /** Clears the key's failure count (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Waits for the next key; undefined once shut down. */
  async get(): Promise<string | undefined> {
    for (;;) {
      if (this.head < this.queue.length) {
        const key = this.queue[this.head++] as string;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        this.dirty.delete(key);
        this.processing.add(key);
        return key;
      }
      if (this.shuttingDown) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Marks a key finished; if it was added again meanwhile it goes back in the queue. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.wake();
    }
  }

  length(): number {
    return this.queue.length - this.head;
  }

  /** True when nothing is queued, processing or delayed. */
  idle(): boolean {
    return this.length() === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const d of this.delayed.values()) this.clock.clearTimeout(d.timer);
    this.delayed.clear();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
