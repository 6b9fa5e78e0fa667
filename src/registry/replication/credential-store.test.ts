// Write-only replication credentials: the clear password comes back only through get(), the
// stored object holds it sealed (not in clear), under a 0600 key file; a sealed value copied
// under another name does not open; replace and delete behave.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../api/index.js';
import { openSqliteStore, type Store } from '../../store/index.js';
import { CredentialStore, REPLICATION_CREDENTIAL_KIND } from './credential-store.js';

let dir: string;
let store: Store;
let creds: CredentialStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bh-repl-creds-'));
  store = await openSqliteStore({ path: ':memory:' });
  creds = new CredentialStore(store, join(dir, 'registry', 'replication.key'));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CredentialStore', () => {
  it('seals the password at rest and opens it for the client', async () => {
    expect(await creds.put('hub', { username: 'robot$ci', password: 'very-secret-token' })).toBe(true);
    const raw = await store.get<Resource<{ username: string; sealed: string }>>(REPLICATION_CREDENTIAL_KIND, '', 'hub');
    expect(JSON.stringify(raw)).not.toContain('very-secret-token');
    expect(raw.spec?.username).toBe('robot$ci');
    expect(await creds.get('hub')).toEqual({ username: 'robot$ci', password: 'very-secret-token' });
    expect((await stat(join(dir, 'registry', 'replication.key'))).mode & 0o777).toBe(0o600);
    // A second store over the same key file (another API server) reads it too.
    expect(await new CredentialStore(store, join(dir, 'registry', 'replication.key')).get('hub')).toEqual({ username: 'robot$ci', password: 'very-secret-token' });
  });

  it('does not open a sealed value moved to another name', async () => {
    await creds.put('hub', { username: 'u', password: 'p' });
    const raw = await store.get<Resource<{ username: string; sealed: string }>>(REPLICATION_CREDENTIAL_KIND, '', 'hub');
    await store.create({ ...raw, metadata: { name: 'stolen' } });
    await expect(creds.get('stolen')).rejects.toThrow();
  });

  it('replaces, lists without passwords, and deletes', async () => {
    await creds.put('a', { username: 'u1', password: 'p1' });
    expect(await creds.put('a', { username: 'u2', password: 'p2' })).toBe(false);
    expect(await creds.get('a')).toEqual({ username: 'u2', password: 'p2' });
    const list = await creds.list();
    expect(list.map((c) => [c.name, c.username])).toEqual([['a', 'u2']]);
    expect(JSON.stringify(list)).not.toContain('p2');
    expect(await creds.delete('a')).toBe(true);
    expect(await creds.delete('a')).toBe(false);
    expect(await creds.get('a')).toBeUndefined();
  });
});
