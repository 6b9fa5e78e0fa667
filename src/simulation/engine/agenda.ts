/**
 * The what-if engine's own events (samples, DRS passes, timeline actions, HA detection, pod starts,
 * churn) in a binary heap of (time, sequence) behind ONE clock timer, so they interleave in time
 * order with the simulated datacenter's operations on the same VirtualClock, and ties run in the
 * order they were scheduled: runs replay exactly. (The sim keeps its own queue the same way.)
 */
import type { Clock, TimerHandle } from '../../clock/index.js';

interface Item {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class Agenda {
  private readonly heap: Item[] = [];
  private seq = 0;
  private armed: { at: number; handle: TimerHandle } | undefined;
  private firing = false;
  private closed = false;
  /** Events run so far (for the benchmark's events/s). */
  ran = 0;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now();
  }

  /** Runs `fn` at absolute clock time `at` (now, if `at` has passed). */
  at(at: number, fn: () => void): void {
    if (this.closed) return;
    this.push({ at: Math.max(at, this.clock.now()), seq: this.seq++, fn });
    this.arm();
  }

  /** Runs `fn` `ms` from now. */
  after(ms: number, fn: () => void): void {
    this.at(this.clock.now() + Math.max(0, ms), fn);
  }

  /** Drops every pending event (end of run). */
  close(): void {
    this.closed = true;
    if (this.armed) this.clock.clearTimeout(this.armed.handle);
    this.armed = undefined;
    this.heap.length = 0;
  }

  private arm(): void {
    const head = this.heap[0];
    if (this.closed || this.firing || head === undefined) return;
    if (this.armed && this.armed.at <= head.at) return;
    if (this.armed) this.clock.clearTimeout(this.armed.handle);
    this.armed = { at: head.at, handle: this.clock.setTimeout(() => this.fire(), head.at - this.clock.now()) };
  }

  private fire(): void {
    this.armed = undefined;
    const now = this.clock.now();
    this.firing = true;
    try {
      for (let head = this.heap[0]; head !== undefined && head.at <= now && !this.closed; head = this.heap[0]) {
        this.pop();
        this.ran++;
        head.fn();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private less(a: Item, b: Item): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(item: Item): void {
    const h = this.heap;
    let i = h.push(item) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p] as Item;
      if (!this.less(item, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (h.length === 0 || last === undefined) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && this.less(h[r] as Item, h[l] as Item) ? r : l;
      if (!this.less(h[c] as Item, last)) break;
      h[i] = h[c] as Item;
      i = c;
    }
    h[i] = last;
  }
}
