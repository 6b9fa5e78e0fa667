import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoriesFrom } from './advisory-source.js';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/osv');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-osv-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const advisory = (id: string) => JSON.stringify({ id, modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] });

describe('advisoriesFrom', () => {
  it('starts empty without the directory, and picks up files dropped in later (after the recheck interval)', async () => {
    let t = 0;
    const osv = join(dir, 'osv');
    const load = advisoriesFrom(osv, { recheckMs: 1000, now: () => t });
    expect((await load()).size).toBe(0);
    await cp(FIXTURES, osv, { recursive: true });
    t = 500;
    expect((await load()).size).toBe(0); // not looked at again yet
    t = 1500;
    const loaded = (await load()).size;
    expect(loaded).toBeGreaterThan(0);
    await writeFile(join(osv, 'extra.json'), advisory('GHSA-test-0001'));
    t = 3000;
    expect((await load()).size).toBe(loaded + 1);
  });

  it('returns the same database while nothing changes, and keeps it when a reload fails', async () => {
    let t = 0;
    await writeFile(join(dir, 'a.json'), advisory('GHSA-test-0002'));
    const load = advisoriesFrom(dir, { recheckMs: 1, now: () => t });
    const first = await load();
    t = 10;
    expect(await load()).toBe(first);
    await writeFile(join(dir, 'broken.json'), '{ not json');
    t = 20;
    expect(await load()).toBe(first);
  });
});
