/**
 * Finished maintenance runs, kept in the store (internal kinds, so they survive restarts and every
 * API server sees them): garbage collection under namespace '', retention under the project's
 * name. Only the newest `limit` runs per namespace are kept.
 */
import type { Resource } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import { internal } from '../metadata-kinds.js';

export const GC_RUN_KIND = 'RegistryGcRun';
export const RETENTION_RUN_KIND = 'RegistryRetentionRun';

/** What every recorded run has. */
export interface RunRecord {
  readonly id: string;
  readonly startedAt: string;
}

const newestFirst = <T extends RunRecord>(a: T, b: T) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);

export class RunHistory<T extends RunRecord> {
  constructor(
    private readonly store: Store,
    private readonly kind: string,
    private readonly limit: number,
  ) {}

  /** Records a finished run and drops the oldest beyond the limit. */
  async add(namespace: string, run: T): Promise<void> {
    await this.store.create(internal(this.kind, namespace, run.id, run));
    const all = await this.store.list<Resource<T>>(this.kind, { namespace });
    const old = all.items.filter((r) => r.spec).sort((a, b) => newestFirst(a.spec as T, b.spec as T)).slice(this.limit);
    for (const r of old) await this.store.delete(this.kind, namespace, r.metadata.name).catch(() => undefined);
  }

  /** The newest `n` runs, newest first. */
  async list(namespace: string, n = this.limit): Promise<T[]> {
    const all = await this.store.list<Resource<T>>(this.kind, { namespace });
    return all.items
      .map((r) => r.spec)
      .filter((s): s is T => s !== undefined)
      .sort(newestFirst)
      .slice(0, n);
  }

  /** When the newest run started (ms), if there is one. */
  async lastStartedAt(namespace: string): Promise<number | undefined> {
    const [last] = await this.list(namespace, 1);
    return last ? Date.parse(last.startedAt) : undefined;
  }
}
