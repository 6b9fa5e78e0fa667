/**
 * The what-if engine's own events (samples, DRS passes, timeline actions, HA detection, pod starts,
 * churn), kept in the simulated datacenter's kind of queue (one binary heap of (time, sequence)
 * behind one clock timer, infra/sim/event-queue.ts) on the same VirtualClock, so they interleave in
 * time order with the datacenter's operations and ties run in the order they were scheduled: runs
 * replay exactly. Counts the events run, for the benchmark's events/s.
 */
import type { Clock } from '../../clock/index.js';
import { EventQueue } from '../../infra/sim/event-queue.js';

export class Agenda {
  private readonly queue: EventQueue;
  private closed = false;
  /** Events run so far. */
  ran = 0;

  constructor(private readonly clock: Clock) {
    this.queue = new EventQueue(clock);
  }

  now(): number {
    return this.clock.now();
  }

  /** Runs `fn` at absolute clock time `at` (now, if `at` has passed). */
  at(at: number, fn: () => void): void {
    this.after(at - this.clock.now(), fn);
  }

  /** Runs `fn` `ms` from now. */
  after(ms: number, fn: () => void): void {
    if (this.closed) return;
    this.queue.after(Math.max(0, ms), () => {
      this.ran++;
      fn();
    });
  }

  /** Drops every pending event (end of run). */
  close(): void {
    this.closed = true;
    this.queue.close();
  }
}
