/** The production Store on PostgreSQL: one schema per store, node-postgres Pool, LISTEN/NOTIFY watch feed. */
import pg from 'pg';
import { EngineStore } from '../core/engine-store.js';
import { WatchHub } from '../core/watch-hub.js';
import type { Store } from '../store.js';
import { pgEngine } from './pg-engine.js';
import { PgEventPump } from './pg-event-pump.js';
import { ensureSchema, pgNames } from './pg-schema.js';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema holding the tables (created if absent). Default 'bulkhead'. */
  readonly schema?: string;
  /** Watch history rows kept; watching from an older revision throws GoneError. Default 100000. */
  readonly historyLimit?: number;
  /** Milliseconds since the epoch for creation and deletion timestamps. Default Date.now. */
  readonly now?: () => number;
  /** Pool size. Default 10. */
  readonly poolSize?: number;
}

/** Connects, creates the schema if needed and starts following the events table. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const names = pgNames(opts.schema ?? 'bulkhead');
  const historyLimit = opts.historyLimit ?? 100_000;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) throw new RangeError('historyLimit must be a positive integer');
  const pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 10 });
  pool.on('error', () => undefined); // an idle client's lost connection; the pool replaces it
  try {
    const c = await pool.connect();
    try {
      await ensureSchema(c, names);
      c.release();
    } catch (e) {
      c.release(true);
      throw e;
    }
    const engine = pgEngine(pool, names, historyLimit);
    const hub = new WatchHub();
    const pump = new PgEventPump(opts.connectionString, names.channel, engine.reader, hub, await engine.reader.revision());
    await pump.start();
    return new EngineStore(engine, {
      now: opts.now ?? Date.now,
      hub,
      afterCommit: () => pump.kick(),
      beforeClose: () => pump.close(),
    });
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}
