/**
 * StoreOps on an open write session: applies the object rules, numbers every write with the next
 * revision and collects the watch events to publish once the session commits.
 */
import { AlreadyExistsError, NotFoundError, type ObjectKey, type Resource } from '../../api/index.js';
import { chainEntry } from '../audit-chain.js';
import type { AuditEntry, AuditRecord, DeleteOptions, ListOptions, ListResult, StoreOps, UpdateOptions, WatchEventType } from '../store.js';
import type { ObjectWriter, StoredEvent } from './engine.js';
import { listObjects } from './list-objects.js';
import { checkedKey, prepareCreate, prepareDelete, prepareUpdate, type Outcome } from './object-rules.js';

const noop = (): void => undefined;

export class TxOps implements StoreOps {
  /** Events of the writes so far, in revision order. */
  readonly events: StoredEvent[] = [];
  private rev: number;
  private open = true;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly w: ObjectWriter,
    revision: number,
    private readonly now: () => number,
  ) {
    this.rev = revision;
  }

  /** The revision of the last write in this session (the committed one before any write). */
  get revision(): number {
    return this.rev;
  }

  /** Resolves when every op started so far has finished. */
  settled(): Promise<void> {
    return this.tail.then(noop);
  }

  /** Ends the session: later calls fail instead of writing outside the transaction. */
  finish(): void {
    this.open = false;
  }

  // Calls are serialised so that `Promise.all([tx.create(a), tx.create(b)])` numbers writes correctly.
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.tail.then(() => {
      if (!this.open) throw new Error('store transaction already finished');
      return f();
    });
    this.tail = p.then(noop, noop);
    return p;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private record(rev: number, type: WatchEventType, key: ObjectKey, json: string): void {
    this.rev = rev;
    this.events.push({ revision: rev, type, kind: key.kind, namespace: key.namespace, name: key.name, json });
  }

  private async stored(key: ObjectKey): Promise<Resource> {
    const json = await this.w.getObject(key);
    if (json === undefined) throw new NotFoundError(key.kind, key.name, key.namespace || undefined);
    return JSON.parse(json) as Resource;
  }

  private async apply<T extends Resource>(key: ObjectKey, stored: Resource, out: Outcome, rev: number): Promise<T> {
    if (out.kind === 'noop') return stored as T;
    const json = JSON.stringify(out.obj);
    if (out.kind === 'write') {
      await this.w.replaceObject(key, rev, json);
      this.record(rev, 'MODIFIED', key, json);
    } else {
      await this.w.removeObject(key, rev, json);
      this.record(rev, 'DELETED', key, json);
    }
    return JSON.parse(json) as T;
  }

  create<T extends Resource>(obj: T): Promise<T> {
    return this.serial(async () => {
      const key = checkedKey(obj);
      const rev = this.rev + 1;
      const next = prepareCreate(obj, rev, this.iso());
      const json = JSON.stringify(next);
      if (!(await this.w.insertObject(key, next.metadata.uid ?? '', rev, json))) {
        throw new AlreadyExistsError(key.kind, key.name, key.namespace || undefined);
      }
      this.record(rev, 'ADDED', key, json);
      return JSON.parse(json) as T;
    });
  }

  get<T extends Resource>(kind: string, namespace: string, name: string): Promise<T> {
    return this.serial(async () => (await this.stored({ kind, namespace, name })) as T);
  }

  tryGet<T extends Resource>(kind: string, namespace: string, name: string): Promise<T | undefined> {
    return this.serial(async () => {
      const json = await this.w.getObject({ kind, namespace, name });
      return json === undefined ? undefined : (JSON.parse(json) as T);
    });
  }

  list<T extends Resource>(kind: string, opts?: ListOptions): Promise<ListResult<T>> {
    return this.serial(() => listObjects<T>(this.w, kind, opts, this.rev));
  }

  update<T extends Resource>(obj: T, opts?: UpdateOptions): Promise<T> {
    return this.serial(async () => {
      const key = checkedKey(obj);
      const stored = await this.stored(key);
      const rev = this.rev + 1;
      return this.apply<T>(key, stored, prepareUpdate(stored, obj, opts, rev), rev);
    });
  }

  delete<T extends Resource>(kind: string, namespace: string, name: string, opts?: DeleteOptions): Promise<T> {
    return this.serial(async () => {
      const key = { kind, namespace, name };
      const stored = await this.stored(key);
      const rev = this.rev + 1;
      return this.apply<T>(key, stored, prepareDelete(stored, opts, rev, this.iso()), rev);
    });
  }

  /** Appends to the audit chain; the session's write lock serialises appenders. */
  appendAudit(record: AuditRecord): Promise<AuditEntry> {
    return this.serial(async () => {
      const entry = chainEntry(await this.w.lastAudit(), record);
      await this.w.insertAudit(entry);
      return { ...entry };
    });
  }
}
