/** Opens the SQLite database file: pragmas, tables, and the writer and read-only connections. */
import Database from 'better-sqlite3';

export type Db = Database.Database;

const DDL = `
CREATE TABLE IF NOT EXISTS objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);
CREATE TABLE IF NOT EXISTS events (
  revision INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0), ('compacted', 0);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, prev_hash TEXT NOT NULL, data TEXT NOT NULL
);
`;

const BUSY_TIMEOUT_MS = 5000;

/**
 * The single writer connection. WAL with synchronous=NORMAL: a commit is durable once it is in the
 * WAL file, so a killed process (kill -9) loses nothing it acknowledged; a power loss or OS crash
 * may lose the last few commits, but never corrupts the database.
 */
export function openWriter(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec(DDL);
  return db;
}

/** A read-only connection: each statement sees the last committed state, never a writer's open transaction. */
export function openReader(path: string): Db {
  const db = new Database(path, { readonly: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}
