/**
 * The Store built on an Engine: committed reads go straight to the engine's reader, writes go
 * through the group-committing WriteQueue, and watches replay history then follow the WatchHub.
 */
import { GoneError, NotFoundError, ValidationError, type Resource } from '../../api/index.js';
import type {
  AuditEntry,
  AuditRecord,
  DeleteOptions,
  ListOptions,
  ListResult,
  Store,
  StoreOps,
  UpdateOptions,
  Watch,
  WatchHandlers,
  WatchOptions,
} from '../store.js';
import { UnavailableError } from '../../api/index.js';
import type { Engine, StoredEvent } from './engine.js';
import { listObjects } from './list-objects.js';
import { WatchHub } from './watch-hub.js';
import { WriteQueue } from './write-queue.js';

const REPLAY_PAGE = 1000;

export interface EngineStoreOptions {
  readonly now: () => number;
  /** Receives live events; defaults to publishing each commit's events to the hub directly. */
  readonly afterCommit?: (events: readonly StoredEvent[]) => void;
  /** Shared with whatever feeds live events (the PostgreSQL notifier). */
  readonly hub?: WatchHub;
  /** Runs after writes have drained and watchers are closed, before the engine closes. */
  readonly beforeClose?: () => Promise<void>;
}

export class EngineStore implements Store {
  readonly hub: WatchHub;
  private readonly queue: WriteQueue;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly opts: EngineStoreOptions,
  ) {
    const hub = opts.hub ?? new WatchHub();
    this.hub = hub;
    this.queue = new WriteQueue(engine, { now: opts.now, afterCommit: opts.afterCommit ?? ((events) => hub.publish(events)) });
  }

  private async read<T>(f: () => Promise<T>): Promise<T> {
    if (this.closing) throw new UnavailableError('store is closed');
    try {
      return await f();
    } catch (e) {
      throw this.engine.mapError(e);
    }
  }

  create<T extends Resource>(obj: T): Promise<T> {
    return this.queue.single((tx) => tx.create(obj));
  }

  async get<T extends Resource>(kind: string, namespace: string, name: string): Promise<T> {
    const obj = await this.tryGet<T>(kind, namespace, name);
    if (obj === undefined) throw new NotFoundError(kind, name, namespace || undefined);
    return obj;
  }

  tryGet<T extends Resource>(kind: string, namespace: string, name: string): Promise<T | undefined> {
    return this.read(async () => {
      const json = await this.engine.reader.getObject({ kind, namespace, name });
      return json === undefined ? undefined : (JSON.parse(json) as T);
    });
  }

  list<T extends Resource>(kind: string, opts?: ListOptions): Promise<ListResult<T>> {
    return this.read(() => listObjects<T>(this.engine.reader, kind, opts));
  }

  update<T extends Resource>(obj: T, opts?: UpdateOptions): Promise<T> {
    return this.queue.single((tx) => tx.update(obj, opts));
  }

  delete<T extends Resource>(kind: string, namespace: string, name: string, opts?: DeleteOptions): Promise<T> {
    return this.queue.single((tx) => tx.delete<T>(kind, namespace, name, opts));
  }

  transaction<R>(fn: (tx: StoreOps) => Promise<R>): Promise<R> {
    return this.queue.transaction(fn);
  }

  revision(): Promise<number> {
    return this.read(() => this.engine.reader.revision());
  }

  appendAudit(record: AuditRecord): Promise<AuditEntry> {
    return this.queue.single((tx) => tx.appendAudit(record));
  }

  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    return this.read(() => this.engine.reader.readAudit(afterSeq, limit));
  }

  async watch(opts: WatchOptions, handlers: WatchHandlers): Promise<Watch> {
    const from = opts.fromRevision;
    if (!Number.isSafeInteger(from) || from < 0) throw ValidationError.field('fromRevision', 'must be a non-negative integer');
    if (this.closing) throw new UnavailableError('store is closed');
    // Register first so live events committed during the replay are buffered, not lost.
    const w = this.hub.add(opts, handlers);
    try {
      const compacted = await this.engine.reader.compactedRevision();
      if (from < compacted) throw new GoneError(from, compacted);
      // Revisions have no gaps, so a hole in the replay means compaction overtook it.
      let cursor = from;
      for (;;) {
        const rows = await this.engine.reader.events(cursor, REPLAY_PAGE);
        for (const r of rows) {
          if (r.revision !== cursor + 1) throw new GoneError(from, r.revision - 1);
          w.replay(r);
          cursor = r.revision;
        }
        if (rows.length < REPLAY_PAGE) break;
      }
      w.goLive();
    } catch (e) {
      w.close();
      throw this.engine.mapError(e);
    }
    return { close: () => w.close() };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.close();
      this.hub.failAll(new UnavailableError('store closed'));
      await this.opts.beforeClose?.();
      await this.engine.close();
    })();
    return this.closing;
  }
}
