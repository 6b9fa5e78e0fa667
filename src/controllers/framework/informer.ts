/**
 * An informer: lists a kind, then watches it from the list's revision, keeping a read cache and
 * calling handlers on each change. When the watch falls too far behind (GoneError) it relists.
 * Objects in the cache are frozen: handlers and controllers must never mutate them.
 */
import { GoneError, type Resource } from '../../api/index.js';
import type { Store, Watch, WatchEvent } from '../../store/index.js';

export interface InformerHandlers<T extends Resource> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

export function cacheKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Informer<T extends Resource = Resource> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private watch: Watch | undefined;
  private synced = false;
  private stopped = false;
  private lastRevision = 0;

  constructor(
    private readonly store: Store,
    readonly kind: string,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.cache.values()) h.onAdd?.(obj);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  get(name: string, namespace = ''): T | undefined {
    return this.cache.get(cacheKey(namespace, name));
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  size(): number {
    return this.cache.size;
  }

  /** Revision of the last event applied. */
  revision(): number {
    return this.lastRevision;
  }

  async start(): Promise<void> {
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.close();
    this.watch = undefined;
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    this.watch?.close();
    const { items, revision } = await this.store.list<T>(this.kind);
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = deepFreeze(raw);
      const key = cacheKey(obj.metadata.namespace, obj.metadata.name);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit((h) => h.onUpdate?.(old, obj));
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit((h) => h.onDelete?.(old));
      }
    }
    this.lastRevision = revision;
    this.synced = true;
    try {
      this.watch = await this.store.watch(
        { kind: this.kind, fromRevision: revision },
        { onEvent: (e) => this.apply(e), onError: (err) => this.restart(err) },
      );
    } catch (err) {
      this.restart(err as Error);
    }
  }

  private restart(err: Error): void {
    if (this.stopped) return;
    if (!(err instanceof GoneError)) this.onError(err);
    this.watch?.close();
    this.watch = undefined;
    setTimeout(() => void this.relist().catch((e: unknown) => this.restart(e as Error)), err instanceof GoneError ? 0 : 500).unref();
  }

  private apply(e: WatchEvent): void {
    if (e.revision <= this.lastRevision) return;
    this.lastRevision = e.revision;
    const obj = deepFreeze(e.object as T);
    const key = cacheKey(obj.metadata.namespace, obj.metadata.name);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      if (old) this.emit((h) => h.onDelete?.(obj));
      return;
    }
    this.cache.set(key, obj);
    if (old) this.emit((h) => h.onUpdate?.(old, obj));
    else this.emit((h) => h.onAdd?.(obj));
  }

  private emit(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) {
      try {
        fn(h);
      } catch (err) {
        this.onError(err as Error);
      }
    }
  }
}
