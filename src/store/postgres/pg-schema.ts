/** PostgreSQL schema for one store: tables created on open, inside a schema so stores (and tests) are isolated. */
import type pg from 'pg';
import { ValidationError } from '../../api/index.js';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** Quoted, validated identifiers of one store's tables and notification channel. */
export interface PgNames {
  readonly schema: string;
  readonly objects: string;
  readonly events: string;
  readonly meta: string;
  readonly audit: string;
  /** LISTEN/NOTIFY channel carrying the latest committed revision. */
  readonly channel: string;
}

export function pgNames(schema: string): PgNames {
  if (!SCHEMA_NAME.test(schema)) throw ValidationError.field('schema', 'must match [a-z_][a-z0-9_]* (at most 40 characters)');
  const q = `"${schema}"`;
  return {
    schema: q,
    objects: `${q}.objects`,
    events: `${q}.events`,
    meta: `${q}.meta`,
    audit: `${q}.audit`,
    channel: `bulkhead_events_${schema}`,
  };
}

/** Creates the schema and tables if absent; an advisory lock keeps concurrent openers from racing. */
export async function ensureSchema(client: pg.ClientBase, n: PgNames): Promise<void> {
  // COLLATE "C": list order is byte order, the same as SQLite's, whatever the database locale.
  await client.query(`
    BEGIN;
    SELECT pg_advisory_xact_lock(hashtext('bulkhead-schema:${n.schema}'));
    CREATE SCHEMA IF NOT EXISTS ${n.schema};
    CREATE TABLE IF NOT EXISTS ${n.objects} (
      kind text COLLATE "C" NOT NULL, namespace text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
      uid text NOT NULL, rv bigint NOT NULL, data jsonb NOT NULL,
      PRIMARY KEY (kind, namespace, name)
    );
    CREATE TABLE IF NOT EXISTS ${n.events} (
      revision bigint PRIMARY KEY, kind text NOT NULL, namespace text NOT NULL, name text NOT NULL,
      type text NOT NULL, data jsonb NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${n.meta} (key text PRIMARY KEY, value bigint NOT NULL);
    INSERT INTO ${n.meta} (key, value) VALUES ('revision', 0), ('compacted', 0) ON CONFLICT DO NOTHING;
    CREATE TABLE IF NOT EXISTS ${n.audit} (
      seq bigint PRIMARY KEY, hash text NOT NULL, prev_hash text NOT NULL, data jsonb NOT NULL
    );
    COMMIT;
  `);
}
