/**
 * The Engine on node-postgres. Writers serialise on a row lock of the revision counter, taken at
 * BEGIN and held to COMMIT, so revision order is commit order and revisions have no gaps; the
 * same lock serialises audit appends. Reads run on the pool and see only committed data.
 */
import type pg from 'pg';
import { UnavailableError } from '../../api/index.js';
import type { Chunk, CommittedReader, Engine, ObjectReader, ObjectWriter, StoredEvent, WriteSession } from '../core/engine.js';
import type { AuditEntry, AuditRecord, WatchEventType } from '../store.js';
import type { PgNames } from './pg-schema.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

interface EventRow {
  revision: string;
  kind: string;
  namespace: string;
  name: string;
  type: WatchEventType;
  data: string;
}

function objectReader(db: Queryable, n: PgNames): ObjectReader {
  return {
    async getObject(k) {
      const r = await db.query<{ data: string }>({
        name: 'bh_get',
        text: `SELECT data::text AS data FROM ${n.objects} WHERE kind = $1 AND namespace = $2 AND name = $3`,
        values: [k.kind, k.namespace, k.name],
      });
      return r.rows[0]?.data;
    },
    // One statement, so the rows and the revision come from the same snapshot.
    async listChunk(kind, ns, after, limit): Promise<Chunk> {
      const where = ns === undefined ? '(o.namespace, o.name) > ($2, $3)' : 'o.namespace = $2 AND o.name > $3';
      const r = await db.query<{ rev: string; data: string | null }>({
        name: ns === undefined ? 'bh_list_all' : 'bh_list_ns',
        text: `WITH r AS (SELECT value FROM ${n.meta} WHERE key = 'revision')
          SELECT r.value AS rev, c.data FROM r LEFT JOIN LATERAL (
            SELECT o.data::text AS data FROM ${n.objects} o WHERE o.kind = $1 AND ${where}
            ORDER BY o.namespace, o.name LIMIT $4) c ON true`,
        values: [kind, ns ?? after.namespace, after.name, limit],
      });
      const rows: string[] = [];
      for (const row of r.rows) if (row.data !== null) rows.push(row.data);
      return { revision: Number(r.rows[0]?.rev ?? 0), rows };
    },
  };
}

function committedReader(pool: pg.Pool, n: PgNames): CommittedReader {
  const meta = async (key: string): Promise<number> => {
    const r = await pool.query<{ value: string }>({ name: 'bh_meta', text: `SELECT value FROM ${n.meta} WHERE key = $1`, values: [key] });
    return Number(r.rows[0]?.value ?? 0);
  };
  return {
    ...objectReader(pool, n),
    revision: () => meta('revision'),
    compactedRevision: () => meta('compacted'),
    async events(after, limit): Promise<StoredEvent[]> {
      const r = await pool.query<EventRow>({
        name: 'bh_events',
        text: `SELECT revision, kind, namespace, name, type, data::text AS data FROM ${n.events} WHERE revision > $1 ORDER BY revision LIMIT $2`,
        values: [after, limit],
      });
      return r.rows.map((e) => ({ revision: Number(e.revision), type: e.type, kind: e.kind, namespace: e.namespace, name: e.name, json: e.data }));
    },
    async readAudit(after, limit): Promise<AuditEntry[]> {
      const r = await pool.query<{ seq: string; hash: string; prev_hash: string; data: AuditRecord }>({
        name: 'bh_audit_read',
        text: `SELECT seq, hash, prev_hash, data FROM ${n.audit} WHERE seq > $1 ORDER BY seq LIMIT $2`,
        values: [after, limit],
      });
      return r.rows.map((a) => ({ ...a.data, seq: Number(a.seq), prevHash: a.prev_hash, hash: a.hash }));
    },
  };
}

// Each write stores the object and its history row in one statement (one round trip).
function objectWriter(c: pg.PoolClient, n: PgNames): ObjectWriter {
  const event = (type: WatchEventType): string =>
    `INSERT INTO ${n.events} (revision, kind, namespace, name, type, data) VALUES ($4, $1, $2, $3, '${type}', $5::jsonb)`;
  return {
    ...objectReader(c, n),
    async insertObject(k, uid, rev, json) {
      const r = await c.query({
        name: 'bh_insert',
        text: `WITH o AS (INSERT INTO ${n.objects} (kind, namespace, name, uid, rv, data) VALUES ($1, $2, $3, $6, $4, $5::jsonb)
            ON CONFLICT DO NOTHING RETURNING kind, namespace, name, rv, data)
          INSERT INTO ${n.events} (revision, kind, namespace, name, type, data) SELECT rv, kind, namespace, name, 'ADDED', data FROM o`,
        values: [k.kind, k.namespace, k.name, rev, json, uid],
      });
      return r.rowCount === 1;
    },
    async replaceObject(k, rev, json) {
      await c.query({
        name: 'bh_replace',
        text: `WITH o AS (UPDATE ${n.objects} SET rv = $4, data = $5::jsonb WHERE kind = $1 AND namespace = $2 AND name = $3) ${event('MODIFIED')}`,
        values: [k.kind, k.namespace, k.name, rev, json],
      });
    },
    async removeObject(k, rev, json) {
      await c.query({
        name: 'bh_remove',
        text: `WITH o AS (DELETE FROM ${n.objects} WHERE kind = $1 AND namespace = $2 AND name = $3) ${event('DELETED')}`,
        values: [k.kind, k.namespace, k.name, rev, json],
      });
    },
    async lastAudit() {
      const r = await c.query<{ seq: string; hash: string }>({ name: 'bh_audit_last', text: `SELECT seq, hash FROM ${n.audit} ORDER BY seq DESC LIMIT 1` });
      const row = r.rows[0];
      return row && { seq: Number(row.seq), hash: row.hash };
    },
    async insertAudit(e) {
      const { seq, prevHash, hash, ...record } = e;
      await c.query({
        name: 'bh_audit_insert',
        text: `INSERT INTO ${n.audit} (seq, hash, prev_hash, data) VALUES ($1, $2, $3, $4::jsonb)`,
        values: [seq, hash, prevHash, JSON.stringify(record)],
      });
    },
  };
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function pgEngine(pool: pg.Pool, n: PgNames, historyLimit: number): Engine {
  const slack = Math.max(1, Math.ceil(historyLimit / 10)); // compact in steps, not on every write
  return {
    reader: committedReader(pool, n),
    async begin(): Promise<WriteSession> {
      const c = await pool.connect();
      let meta: pg.QueryResult<{ key: string; value: string }>;
      try {
        const res = (await c.query(`BEGIN; SELECT key, value FROM ${n.meta} WHERE key IN ('revision', 'compacted') FOR UPDATE`)) as unknown as pg.QueryResult[];
        meta = res[1] as pg.QueryResult<{ key: string; value: string }>;
      } catch (e) {
        c.release(e instanceof Error ? e : true);
        throw e;
      }
      const value = (key: string): number => Number(meta.rows.find((r) => r.key === key)?.value ?? 0);
      const start = value('revision');
      const compacted = value('compacted');
      let done = false;
      const finish = (err?: unknown): void => {
        if (done) return;
        done = true;
        c.release(err === undefined ? undefined : err instanceof Error ? err : true);
      };
      return {
        writer: objectWriter(c, n),
        revision: start,
        async commit(rev: number) {
          // Integers only are interpolated; the notification is delivered only if COMMIT succeeds.
          let sql = '';
          if (rev !== start) {
            if (!Number.isSafeInteger(rev)) throw new RangeError(`bad revision ${rev}`);
            sql += `UPDATE ${n.meta} SET value = ${rev} WHERE key = 'revision';`;
            const floor = rev - historyLimit;
            if (floor - compacted >= slack) {
              sql += `DELETE FROM ${n.events} WHERE revision <= ${floor}; UPDATE ${n.meta} SET value = ${floor} WHERE key = 'compacted';`;
            }
            sql += `SELECT pg_notify('${n.channel}', '${rev}');`;
          }
          try {
            await c.query(`${sql} COMMIT`);
          } catch (e) {
            finish(e);
            throw e;
          }
          finish();
        },
        async rollback() {
          if (done) return;
          try {
            await c.query('ROLLBACK');
            finish();
          } catch (e) {
            finish(e);
          }
        },
      };
    },
    isRetryable: (err) => RETRYABLE.has(codeOf(err)),
    mapError(err: unknown): Error {
      const code = codeOf(err);
      const msg = err instanceof Error ? err.message : String(err);
      if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || UNAVAILABLE_NODE.has(code) || /Connection terminated|Client has encountered a connection error/.test(msg)) {
        return new UnavailableError(`postgres: ${msg}`, { cause: err });
      }
      return err instanceof Error ? err : new Error(msg);
    },
    async close() {
      await pool.end();
    },
  };
}
