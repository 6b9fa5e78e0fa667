// The whole platform on PostgreSQL: the same API, controllers and watch as on SQLite, with the
// store in a fresh schema. Runs when BULKHEAD_TEST_PG_URL is set (.ci/run sets it).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMachine } from '../../src/api/index.js';
import { eventually, startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

const PG = process.env['BULKHEAD_TEST_PG_URL'];
if (!PG) console.warn('BULKHEAD_TEST_PG_URL not set: skipping the platform-on-PostgreSQL suite');
const schema = `e2e_${randomBytes(4).toString('hex')}`;

describe.skipIf(!PG)('platform on PostgreSQL', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startTestPlatform({ storeUrl: `${PG}?schema=${schema}` });
  });
  afterAll(async () => {
    await run?.stop();
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('creates, places and runs a VM, and keeps the audit chain', async () => {
    expect((await run.admin.post(`${V1}/tenants`, tenant('pgco', 'moderate'))).status).toBe(201);
    expect((await run.admin.post(`${V1}/virtualmachines`, vm('pg-vm', 'pgco', 2, 4096))).status).toBe(201);
    const v = await eventually(async () => {
      const x = (await run.admin.get<VirtualMachine>(`${V1}/virtualmachines/pg-vm`)).body;
      return x.status?.phase === 'Running' ? x : undefined;
    }, 15_000, 'pg-vm Running');
    expect(v.status?.numaNodes).toHaveLength(1);
    const log = await run.admin.get<{ items: { verb: string; name?: string }[] }>('/audit/log?limit=1000');
    expect(log.body.items.some((e) => e.verb === 'create' && e.name === 'pg-vm')).toBe(true);
  });
});
