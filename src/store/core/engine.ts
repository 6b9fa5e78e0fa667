/**
 * The seam between the generic store logic (object rules, group commit, watch fan-out) and a
 * database: an Engine offers committed reads and write sessions that hold the global write lock.
 */
import type { ObjectKey } from '../../api/index.js';
import type { AuditEntry, WatchEventType } from '../store.js';

/** One row of the watch history; `json` is the object as the event carries it. */
export interface StoredEvent {
  readonly revision: number;
  readonly type: WatchEventType;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly json: string;
}

/** One chunk of a kind's objects in (namespace, name) order, with the revision it reflects. */
export interface Chunk {
  readonly revision: number;
  /** Objects as JSON text. */
  readonly rows: readonly string[];
}

/** Reads of objects; on a write session they see that session's own writes. */
export interface ObjectReader {
  getObject(key: ObjectKey): Promise<string | undefined>;
  /** Up to `limit` objects of `kind` strictly after `after` in (namespace, name) order. */
  listChunk(kind: string, namespace: string | undefined, after: { namespace: string; name: string }, limit: number): Promise<Chunk>;
}

/** Reads outside any transaction: they only ever see committed data. */
export interface CommittedReader extends ObjectReader {
  revision(): Promise<number>;
  /** Every revision <= this has been dropped from the watch history. */
  compactedRevision(): Promise<number>;
  /** History rows with revision > `after`, in order, at most `limit`. */
  events(after: number, limit: number): Promise<StoredEvent[]>;
  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]>;
}

/**
 * Writes under the global write lock. Each object write also stores its history row, so an
 * implementation may do both in one round trip.
 */
export interface ObjectWriter extends ObjectReader {
  /** Inserts object and ADDED row; false (and nothing written) when the key is taken. */
  insertObject(key: ObjectKey, uid: string, rev: number, json: string): Promise<boolean>;
  /** Replaces object and stores a MODIFIED row. */
  replaceObject(key: ObjectKey, rev: number, json: string): Promise<void>;
  /** Removes object and stores a DELETED row carrying `json`. */
  removeObject(key: ObjectKey, rev: number, json: string): Promise<void>;
  lastAudit(): Promise<{ seq: number; hash: string } | undefined>;
  insertAudit(entry: AuditEntry): Promise<void>;
}

/** An open database transaction holding the global write lock. */
export interface WriteSession {
  readonly writer: ObjectWriter;
  /** The committed revision when the lock was taken. */
  readonly revision: number;
  /** Stores the revision counter (and compacts history when due), then commits. */
  commit(revision: number): Promise<void>;
  rollback(): Promise<void>;
}

export interface Engine {
  readonly reader: CommittedReader;
  /** Begins a transaction and takes the global write lock. */
  begin(): Promise<WriteSession>;
  /** True when a failed session may simply be run again (serialization failure, deadlock). */
  isRetryable(err: unknown): boolean;
  /** Turns a driver error into a Bulkhead error (UnavailableError for a busy or lost database). */
  mapError(err: unknown): Error;
  close(): Promise<void>;
}
