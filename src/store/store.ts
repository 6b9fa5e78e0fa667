/**
 * The Store contract: the single source of truth every other layer reads and writes. Two
 * implementations (SQLite embedded, PostgreSQL) pass one conformance suite (store.conformance.ts).
 *
 * Objects are keyed by (kind, namespace, name); namespace is '' for platform-scoped objects.
 * Every write bumps one global revision; an object's metadata.resourceVersion is the revision of
 * its last write, as a decimal string.
 */
import type { ObjectKey, Resource } from '../api/index.js';

/** A parsed label selector: all requirements must hold (Kubernetes semantics). */
export type LabelRequirement =
  | { readonly key: string; readonly op: '='; readonly value: string }
  | { readonly key: string; readonly op: '!='; readonly value: string }
  | { readonly key: string; readonly op: 'in'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' }
  | { readonly key: string; readonly op: '!' };

export interface ListOptions {
  /** Only objects of this namespace; all namespaces when undefined. */
  readonly namespace?: string;
  /** Kubernetes label-selector string (`app=web,tier!=db,env in (a,b),!legacy`) or parsed form. */
  readonly labelSelector?: string | readonly LabelRequirement[];
  /** Page size; 0 or undefined for all. */
  readonly limit?: number;
  /** Opaque token from a previous page's `continue`. */
  readonly continue?: string;
}

export interface ListResult<T extends Resource = Resource> {
  readonly items: T[];
  /** Store revision the list reflects: watch from here to follow changes without a gap. */
  readonly revision: number;
  /** Present when more items remain. */
  readonly continue?: string;
}

export const WATCH_EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED'] as const;
export type WatchEventType = (typeof WATCH_EVENT_TYPES)[number];

export interface WatchEvent<T extends Resource = Resource> {
  readonly type: WatchEventType;
  /** For DELETED, the object as it was last, with resourceVersion = the delete's revision. */
  readonly object: T;
  readonly revision: number;
}

export interface WatchOptions {
  /** Only this kind; all kinds when undefined. */
  readonly kind?: string;
  readonly namespace?: string;
  /** Deliver every change with revision > fromRevision. Throws GoneError if compacted away. */
  readonly fromRevision: number;
}

/** A live subscription. Events arrive in revision order, each once. */
export interface Watch {
  close(): void;
}

export interface WatchHandlers {
  onEvent(event: WatchEvent): void;
  /** The watch ended abnormally (store closed, fell too far behind). The client should relist. */
  onError?(err: Error): void;
}

export interface UpdateOptions {
  /**
   * 'status' writes only status (spec and metadata are taken from the stored object);
   * undefined writes spec and metadata, keeping the stored status.
   * 'all' writes everything (used by controllers that own the whole object).
   */
  readonly subresource?: 'status' | 'all';
}

export interface DeleteOptions {
  /** Precondition: delete only if the stored resourceVersion matches. */
  readonly resourceVersion?: string;
}

/** The operations available inside and outside a transaction. */
export interface StoreOps {
  /**
   * Creates an object. Fills uid, resourceVersion, generation=1, creationTimestamp.
   * Throws AlreadyExistsError.
   */
  create<T extends Resource>(obj: T): Promise<T>;
  /** Throws NotFoundError. */
  get<T extends Resource>(kind: string, namespace: string, name: string): Promise<T>;
  /** Returns undefined when absent. */
  tryGet<T extends Resource>(kind: string, namespace: string, name: string): Promise<T | undefined>;
  list<T extends Resource>(kind: string, opts?: ListOptions): Promise<ListResult<T>>;
  /**
   * Replaces an object. When obj.metadata.resourceVersion is set it must equal the stored one
   * (else ConflictError). generation is incremented when spec changes. Throws NotFoundError.
   * If the object has a deletionTimestamp and the update leaves no finalizers, it is deleted.
   */
  update<T extends Resource>(obj: T, opts?: UpdateOptions): Promise<T>;
  /**
   * Deletes an object. With finalizers present, only sets deletionTimestamp (MODIFIED event) and
   * returns the object; the object goes when an update removes the last finalizer.
   */
  delete<T extends Resource>(kind: string, namespace: string, name: string, opts?: DeleteOptions): Promise<T>;
}

/** One entry of the hash-chained audit log. */
export interface AuditRecord {
  readonly time: string;
  readonly user: string;
  readonly verb: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly tenant?: string;
  readonly decision: 'allow' | 'deny';
  readonly code: number;
  readonly reason?: string;
  readonly sourceIp?: string;
  readonly requestId?: string;
}

export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3, ... with no gaps. */
  readonly seq: number;
  /** sha256 hex of the previous entry ('' x 64 zeros for the first). */
  readonly prevHash: string;
  /** sha256 hex over prevHash and the canonical JSON of the record with seq. */
  readonly hash: string;
}

export interface Store extends StoreOps {
  /** Runs `fn` atomically: all its writes commit together or none do. Reads inside see its writes. */
  transaction<R>(fn: (tx: StoreOps) => Promise<R>): Promise<R>;
  /** Subscribes to changes after `opts.fromRevision`. Throws GoneError when that is compacted away. */
  watch(opts: WatchOptions, handlers: WatchHandlers): Promise<Watch>;
  /** The latest committed revision. */
  revision(): Promise<number>;
  /** Appends to the audit chain (seq and hashes computed by the store, serialized across writers). */
  appendAudit(record: AuditRecord): Promise<AuditEntry>;
  /** Audit entries with seq > afterSeq, in order, at most `limit`. */
  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export type { ObjectKey };
