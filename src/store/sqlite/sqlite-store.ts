/** The embedded Store: SQLite through better-sqlite3, in one file, surviving kill -9 (see sqlite-schema.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineStore } from '../core/engine-store.js';
import type { Store } from '../store.js';
import { sqliteEngine } from './sqlite-engine.js';
import { openReader, openWriter } from './sqlite-schema.js';

export interface SqliteStoreOptions {
  /** Database file path, or ':memory:' for a throwaway database (a temp file removed on close). */
  readonly path: string;
  /** Watch history rows kept; watching from an older revision throws GoneError. Default 100000. */
  readonly historyLimit?: number;
  /** Milliseconds since the epoch for creation and deletion timestamps. Default Date.now. */
  readonly now?: () => number;
}

/**
 * Opens (creating if needed) a SQLite store. `:memory:` uses a temporary file rather than a real
 * in-memory database because reads go through a second, read-only connection that must see the
 * same data.
 */
export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  let path = opts.path;
  let cleanup = (): void => undefined;
  if (path === ':memory:') {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-store-'));
    path = join(dir, 'store.db');
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  const historyLimit = opts.historyLimit ?? 100_000;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) throw new RangeError('historyLimit must be a positive integer');
  const writer = openWriter(path);
  const reader = openReader(path);
  const engine = sqliteEngine(writer, reader, historyLimit, cleanup);
  return new EngineStore(engine, { now: opts.now ?? Date.now });
}
