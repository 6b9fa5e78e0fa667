/**
 * In-process fan-out of committed events to watchers. Each watcher replays history first while
 * live events wait in a buffer; a per-watcher high-water mark drops anything already queued, so
 * every event is delivered once, in revision order, with no gap between replay and live.
 */
import type { Resource } from '../../api/index.js';
import type { WatchHandlers, WatchOptions } from '../store.js';
import type { StoredEvent } from './engine.js';

/** One subscription's queue and filter. */
export class Watcher {
  private lastQueued: number;
  private live = false;
  private pending: StoredEvent[] = [];
  private queue: StoredEvent[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly opts: WatchOptions,
    private readonly handlers: WatchHandlers,
    private readonly onClose: (w: Watcher) => void,
  ) {
    this.lastQueued = opts.fromRevision;
  }

  /** A history row read during replay (must come in revision order). */
  replay(e: StoredEvent): void {
    this.enqueue(e);
  }

  /** Replay is done: deliver the live events that arrived meanwhile, then everything else as it comes. */
  goLive(): void {
    this.live = true;
    const pending = this.pending;
    this.pending = [];
    for (const e of pending) this.enqueue(e);
  }

  /** A live event, called by the hub after commit. */
  offer(e: StoredEvent): void {
    if (this.closed) return;
    if (this.live) this.enqueue(e);
    else this.pending.push(e);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.pending = [];
    this.onClose(this);
  }

  /** Ends the watch abnormally; the client should relist. */
  fail(err: Error): void {
    if (this.closed) return;
    this.close();
    this.handlers.onError?.(err);
  }

  private enqueue(e: StoredEvent): void {
    if (this.closed || e.revision <= this.lastQueued) return;
    this.lastQueued = e.revision;
    if (this.opts.kind !== undefined && e.kind !== this.opts.kind) return;
    if (this.opts.namespace !== undefined && e.namespace !== this.opts.namespace) return;
    this.queue.push(e);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  // Handlers run outside the writer's commit path, so a slow or throwing handler cannot stall writes.
  private drain(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    for (const e of batch) {
      if (this.closed) return;
      try {
        this.handlers.onEvent({ type: e.type, object: JSON.parse(e.json) as Resource, revision: e.revision });
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
  }
}

/** The set of open watchers of one store. */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  /** Registers a watcher in replay mode: live events are buffered until `goLive()`. */
  add(opts: WatchOptions, handlers: WatchHandlers): Watcher {
    const w = new Watcher(opts, handlers, (x) => this.watchers.delete(x));
    this.watchers.add(w);
    return w;
  }

  /** Events of one commit, in revision order; commits must be published in commit order. */
  publish(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    for (const w of this.watchers) for (const e of events) w.offer(e);
  }

  /** Ends every watcher with `err` (store closing). */
  failAll(err: Error): void {
    for (const w of [...this.watchers]) w.fail(err);
  }

  get size(): number {
    return this.watchers.size;
  }
}
