// Runs the store conformance suite on SQLite: a temp file per store, and once on ':memory:'.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreConformance } from '../store.conformance.js';
import { openSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-sqlite-test-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance('sqlite (file)', (opts) => openSqliteStore({ path: join(dir, `store-${n++}.db`), ...opts }));

describe('sqlite specifics', () => {
  it('works on :memory: and keeps data across reopen of a file', async () => {
    const mem = await openSqliteStore({ path: ':memory:' });
    await mem.create({ apiVersion: 'v1', kind: 'Host', metadata: { name: 'h' } });
    expect((await mem.list('Host')).items).toHaveLength(1);
    await mem.close();

    const path = join(dir, 'reopen.db');
    const a = await openSqliteStore({ path });
    const created = await a.create({ apiVersion: 'v1', kind: 'Host', metadata: { name: 'h' } });
    await a.close();
    const b = await openSqliteStore({ path });
    expect(await b.get('Host', '', 'h')).toEqual(created);
    expect(await b.revision()).toBe(1);
    await b.close();
  });
});
