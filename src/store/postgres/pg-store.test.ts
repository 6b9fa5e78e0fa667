// Runs the store conformance suite on PostgreSQL when BULKHEAD_TEST_PG_URL is set; each store gets a fresh schema.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreConformance } from '../store.conformance.js';
import { openPostgresStore } from './pg-store.js';

const url = process.env.BULKHEAD_TEST_PG_URL;
if (!url) console.log('[pg-store.test] BULKHEAD_TEST_PG_URL is not set: skipping the PostgreSQL store suite (CI sets it).');

const prefix = `bh_test_${randomBytes(4).toString('hex')}`;
const schemas: string[] = [];
const schema = (): string => {
  const s = `${prefix}_${schemas.length}`;
  schemas.push(s);
  return s;
};

describe.skipIf(!url)('postgres store', () => {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  });

  runStoreConformance('postgres', (opts) => openPostgresStore({ connectionString: url ?? '', schema: schema(), poolSize: 4, ...opts }));

  it('shares one schema between two stores: writes of one reach the other’s watchers', async () => {
    const s = schema();
    const a = await openPostgresStore({ connectionString: url ?? '', schema: s });
    const b = await openPostgresStore({ connectionString: url ?? '', schema: s });
    try {
      const seen: string[] = [];
      await b.watch({ fromRevision: 0 }, { onEvent: (e) => seen.push(e.object.metadata.name) });
      await a.create({ apiVersion: 'v1', kind: 'Host', metadata: { name: 'h1' } });
      await b.create({ apiVersion: 'v1', kind: 'Host', metadata: { name: 'h2' } });
      const end = Date.now() + 5000;
      while (seen.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual(['h1', 'h2']);
      expect(await a.revision()).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
