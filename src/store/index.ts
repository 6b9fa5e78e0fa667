/** The store's one door: the Store contract, both implementations, label selectors and the audit chain. */
import type { Store } from './store.js';
import { openPostgresStore } from './postgres/pg-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export * from './store.js';
export * from './audit-chain.js';
export { parseLabelSelector, matchesSelector } from './label-selector.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export { openPostgresStore, type PostgresStoreOptions } from './postgres/pg-store.js';

/**
 * Opens a store from a URL: `postgres://…` / `postgresql://…` for PostgreSQL, `sqlite:PATH` or a
 * plain file path (or `:memory:`) for SQLite.
 */
export function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    // `?schema=NAME` selects a schema (several platforms can share one database); pg must not see it.
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    return openPostgresStore({ connectionString: u.toString(), ...(schema ? { schema } : {}) });
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path === '') throw new RangeError('sqlite store needs a path: sqlite:PATH');
  return openSqliteStore({ path });
}
