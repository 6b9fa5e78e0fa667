/**
 * The simulated datacenter's own agenda: a binary heap of (time, sequence) items behind a single
 * clock timer. Holding one timer instead of one per pending operation keeps 100,000 in-flight VM
 * creations cheap on any Clock (VirtualClock scans its timers to find the next one), and the
 * sequence number makes ties fire in scheduling order, so runs replay exactly.
 */
import type { Clock, TimerHandle } from '../../clock/index.js';

/** A scheduled callback; `cancelled` items are skipped when they come due. */
export interface QueueItem {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private readonly heap: QueueItem[] = [];
  private seq = 0;
  private armed: { at: number; handle: TimerHandle } | undefined;
  private last: number;
  private closed = false;
  private firing = false;

  constructor(private readonly clock: Clock) {
    this.last = clock.now();
  }

  /** Model time: the due time of the item being run, else the clock (never going backwards). */
  now(): number {
    this.last = Math.max(this.last, this.clock.now());
    return this.last;
  }

  /** Runs `fn` `ms` of clock time from now. */
  after(ms: number, fn: () => void): QueueItem {
    const item: QueueItem = { at: this.now() + Math.max(0, Math.round(ms)), seq: this.seq++, fn, cancelled: false };
    this.push(item);
    this.arm();
    return item;
  }

  cancel(item: QueueItem): void {
    item.cancelled = true;
  }

  /** Items not yet run (cancelled ones included until they come due). */
  get size(): number {
    return this.heap.length;
  }

  close(): void {
    this.closed = true;
    if (this.armed) this.clock.clearTimeout(this.armed.handle);
    this.armed = undefined;
    this.heap.length = 0;
  }

  private arm(): void {
    while (this.heap[0]?.cancelled) this.pop();
    const head = this.heap[0];
    if (this.closed || this.firing || !head) return;
    if (this.armed && this.armed.at <= head.at) return;
    if (this.armed) this.clock.clearTimeout(this.armed.handle);
    const at = head.at;
    this.armed = { at, handle: this.clock.setTimeout(() => this.fire(at), at - this.clock.now()) };
  }

  private fire(at: number): void {
    this.armed = undefined;
    // Everything due by the armed time (or by the clock, if it ran late) runs in (time, seq) order.
    const limit = Math.max(at, this.clock.now());
    this.firing = true;
    try {
      for (let head = this.heap[0]; head && head.at <= limit && !this.closed; head = this.heap[0]) {
        this.pop();
        if (head.cancelled) continue;
        this.last = Math.max(this.last, head.at);
        head.fn();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private less(a: QueueItem, b: QueueItem): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(item: QueueItem): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as QueueItem;
      if (!this.less(item, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  private pop(): QueueItem | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && this.less(h[r] as QueueItem, h[l] as QueueItem) ? r : l;
      if (!this.less(h[c] as QueueItem, last)) break;
      h[i] = h[c] as QueueItem;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
