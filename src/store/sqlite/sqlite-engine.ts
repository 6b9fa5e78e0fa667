/** The Engine on better-sqlite3: prepared statements over one writer and one read-only connection. */
import { UnavailableError, type ObjectKey } from '../../api/index.js';
import type { Chunk, CommittedReader, Engine, ObjectReader, ObjectWriter, StoredEvent, WriteSession } from '../core/engine.js';
import type { AuditEntry, AuditRecord, WatchEventType } from '../store.js';
import type { Db } from './sqlite-schema.js';

interface EventRow {
  revision: number;
  kind: string;
  namespace: string;
  name: string;
  type: WatchEventType;
  data: string;
}
interface AuditRow {
  seq: number;
  hash: string;
  prev_hash: string;
  data: string;
}

function objectReader(db: Db, revisionNow: () => number): ObjectReader {
  const get = db.prepare<[string, string, string], { data: string }>('SELECT data FROM objects WHERE kind = ? AND namespace = ? AND name = ?');
  const all = db.prepare<[string, string, string, number], { data: string }>(
    'SELECT data FROM objects WHERE kind = ? AND (namespace, name) > (?, ?) ORDER BY namespace, name LIMIT ?',
  );
  const inNs = db.prepare<[string, string, string, number], { data: string }>(
    'SELECT data FROM objects WHERE kind = ? AND namespace = ? AND name > ? ORDER BY name LIMIT ?',
  );
  // One read transaction, so the rows and the revision come from the same snapshot.
  const chunk = db.transaction((kind: string, ns: string | undefined, after: { namespace: string; name: string }, limit: number): Chunk => {
    const rows = ns === undefined ? all.all(kind, after.namespace, after.name, limit) : inNs.all(kind, ns, after.name, limit);
    return { revision: revisionNow(), rows: rows.map((r) => r.data) };
  });
  return {
    getObject: async (key) => get.get(key.kind, key.namespace, key.name)?.data,
    listChunk: async (kind, ns, after, limit) => chunk(kind, ns, after, limit),
  };
}

function metaValue(db: Db, key: 'revision' | 'compacted'): () => number {
  const stmt = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  return () => stmt.get(key)?.value ?? 0;
}

function committedReader(db: Db): CommittedReader {
  const revision = metaValue(db, 'revision');
  const compacted = metaValue(db, 'compacted');
  const events = db.prepare<[number, number], EventRow>(
    'SELECT revision, kind, namespace, name, type, data FROM events WHERE revision > ? ORDER BY revision LIMIT ?',
  );
  const audit = db.prepare<[number, number], AuditRow>('SELECT seq, hash, prev_hash, data FROM audit WHERE seq > ? ORDER BY seq LIMIT ?');
  return {
    ...objectReader(db, revision),
    revision: async () => revision(),
    compactedRevision: async () => compacted(),
    events: async (after, limit): Promise<StoredEvent[]> =>
      events.all(after, limit).map((r) => ({ revision: r.revision, type: r.type, kind: r.kind, namespace: r.namespace, name: r.name, json: r.data })),
    readAudit: async (after, limit): Promise<AuditEntry[]> =>
      audit.all(after, limit).map((r) => ({ ...(JSON.parse(r.data) as AuditRecord), seq: r.seq, prevHash: r.prev_hash, hash: r.hash })),
  };
}

function objectWriter(db: Db, revisionNow: () => number): ObjectWriter {
  const insert = db.prepare('INSERT INTO objects (kind, namespace, name, uid, rv, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const replace = db.prepare('UPDATE objects SET rv = ?, data = ? WHERE kind = ? AND namespace = ? AND name = ?');
  const remove = db.prepare('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?');
  const event = db.prepare('INSERT INTO events (revision, kind, namespace, name, type, data) VALUES (?, ?, ?, ?, ?, ?)');
  const lastAudit = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const insertAudit = db.prepare('INSERT INTO audit (seq, hash, prev_hash, data) VALUES (?, ?, ?, ?)');
  const ev = (rev: number, k: ObjectKey, type: WatchEventType, json: string): void => {
    event.run(rev, k.kind, k.namespace, k.name, type, json);
  };
  return {
    ...objectReader(db, revisionNow),
    insertObject: async (k, uid, rev, json) => {
      if (insert.run(k.kind, k.namespace, k.name, uid, rev, json).changes === 0) return false;
      ev(rev, k, 'ADDED', json);
      return true;
    },
    replaceObject: async (k, rev, json) => {
      replace.run(rev, json, k.kind, k.namespace, k.name);
      ev(rev, k, 'MODIFIED', json);
    },
    removeObject: async (k, rev, json) => {
      remove.run(k.kind, k.namespace, k.name);
      ev(rev, k, 'DELETED', json);
    },
    lastAudit: async () => lastAudit.get(),
    insertAudit: async (e) => {
      const { seq, prevHash, hash, ...record } = e;
      insertAudit.run(seq, hash, prevHash, JSON.stringify(record));
    },
  };
}

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM)/;

/** SQLite engine: the writer connection is used only under the WriteQueue's lock. */
export function sqliteEngine(writer: Db, reader: Db, historyLimit: number, onClose: () => void): Engine {
  const begin = writer.prepare('BEGIN IMMEDIATE');
  const commit = writer.prepare('COMMIT');
  const rollback = writer.prepare('ROLLBACK');
  const setMeta = writer.prepare('UPDATE meta SET value = ? WHERE key = ?');
  const compactTo = writer.prepare('DELETE FROM events WHERE revision <= ?');
  const revision = metaValue(writer, 'revision');
  const compacted = metaValue(writer, 'compacted');
  const slack = Math.max(1, Math.ceil(historyLimit / 10)); // compact in steps, not on every write
  const w = objectWriter(writer, revision);
  return {
    reader: committedReader(reader),
    async begin(): Promise<WriteSession> {
      begin.run();
      const start = revision();
      return {
        writer: w,
        revision: start,
        async commit(rev: number) {
          if (rev !== start) {
            setMeta.run(rev, 'revision');
            const floor = rev - historyLimit;
            if (floor - compacted() >= slack) {
              compactTo.run(floor);
              setMeta.run(floor, 'compacted');
            }
          }
          commit.run();
        },
        async rollback() {
          if (writer.inTransaction) rollback.run();
        },
      };
    },
    isRetryable: () => false,
    mapError(err: unknown): Error {
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && UNAVAILABLE.test(code)) return new UnavailableError(`sqlite: ${(err as Error).message}`, { cause: err });
      if (err instanceof TypeError && /database connection is not open/.test(err.message)) return new UnavailableError('store is closed', { cause: err });
      return err instanceof Error ? err : new Error(String(err));
    },
    async close() {
      reader.close();
      writer.close();
      onClose();
    },
  };
}
