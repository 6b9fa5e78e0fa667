// TokenService over a real SQLite store on a virtual clock: what a bearer token and a password
// let a user do, when they stop working, and that the store never holds a usable secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_VERSION, UnauthorizedError, ValidationError, type User } from '../api/index.js';
import { VirtualClock } from '../clock/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { CREDENTIAL_KIND } from './principal.js';
import { TokenService } from './tokens.js';

let store: Store;
let clock: VirtualClock;
let tokens: TokenService;

async function createUser(name: string, spec: User['spec'] = {}): Promise<User> {
  return store.create<User>({ apiVersion: API_VERSION, kind: 'User', metadata: { name }, spec });
}

async function setDisabled(name: string): Promise<void> {
  const u = await store.get<User>('User', '', name);
  await store.update<User>({ ...u, spec: { ...u.spec, disabled: true } });
}

/** The rejection of `p`, asserted to be an UnauthorizedError. */
async function unauthorized(p: Promise<unknown>): Promise<UnauthorizedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnauthorizedError);
  return err as UnauthorizedError;
}

beforeEach(async () => {
  store = await openSqliteStore({ path: ':memory:' });
  // Start at the wall clock's now: the 1 s authentication cache compares against Date.now() too.
  clock = new VirtualClock(Date.now());
  tokens = new TokenService(store, clock);
  await createUser('u', { groups: ['g', 'ops'] });
});

afterEach(async () => {
  await store.close();
});

describe('TokenService: tokens', () => {
  it('a minted token authenticates as its user, with the user’s groups', async () => {
    const minted = await tokens.mint('u', { description: 'ci' });
    expect(minted.token).toMatch(/^bh_[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);
    expect(minted.user).toBe('u');
    expect(minted.expiresAt).toBeUndefined();
    expect(await tokens.authenticate(minted.token)).toEqual({ user: 'u', groups: ['g', 'ops'], tokenName: minted.name });
    // Tokens without a ttl do not expire.
    await clock.advance(365 * 24 * 3600_000);
    expect((await tokens.authenticate(minted.token)).user).toBe('u');
  });

  it('each mint gives a distinct token', async () => {
    const a = await tokens.mint('u');
    const b = await tokens.mint('u');
    expect(a.name).not.toBe(b.name);
    expect(a.token).not.toBe(b.token);
  });

  it('refuses to mint for an unknown user or with a bad ttl, naming the field', async () => {
    await expect(tokens.mint('ghost')).rejects.toMatchObject({ causes: [{ field: 'user' }] });
    for (const ttlSeconds of [0, -1, 1.5]) await expect(tokens.mint('u', { ttlSeconds })).rejects.toMatchObject({ causes: [{ field: 'ttlSeconds' }] });
  });

  it('a token works until its ttl has passed on the clock, then is refused as expired', async () => {
    const minted = await tokens.mint('u', { ttlSeconds: 60 });
    expect(minted.expiresAt).toBe(new Date(clock.now() + 60_000).toISOString());
    await clock.advance(59_999);
    expect((await tokens.authenticate(minted.token)).user).toBe('u');
    await clock.advance(1);
    expect((await unauthorized(tokens.authenticate(minted.token))).message).toMatch(/expired/);
  });

  it('a token never authenticated before its expiry is refused after it', async () => {
    const minted = await tokens.mint('u', { ttlSeconds: 5 });
    await clock.advance(5_001);
    expect((await unauthorized(tokens.authenticate(minted.token))).message).toMatch(/expired/);
  });

  it('a revoked token is refused at once, and revoking one leaves the others working', async () => {
    const a = await tokens.mint('u');
    const b = await tokens.mint('u');
    await tokens.authenticate(a.token); // warm the cache: revocation must not wait for it
    await tokens.revoke(a.name);
    expect((await unauthorized(tokens.authenticate(a.token))).message).toMatch(/unknown or revoked/);
    expect((await tokens.authenticate(b.token)).user).toBe('u');
    expect(await store.tryGet('Token', '', a.name)).toBeUndefined();
    expect(await store.tryGet(CREDENTIAL_KIND, '', a.name)).toBeUndefined();
  });

  it('a token with the right id but a wrong secret is refused', async () => {
    const minted = await tokens.mint('u');
    const [prefix, secret = ''] = minted.token.split('.');
    const wrong = `${prefix}.${(secret[0] === 'A' ? 'B' : 'A') + secret.slice(1)}`;
    await unauthorized(tokens.authenticate(wrong));
  });

  it.each([
    '',
    'Bearer abc',
    'bh_short.secret',
    'bh_ABCDEFGHIJKL.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'bh_abcdefghijkl.too-short',
    'bh_abcdefghijkl.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ',
  ])('a malformed token %j is refused as malformed', async (bearer) => {
    expect((await unauthorized(tokens.authenticate(bearer))).message).toMatch(/malformed/);
  });

  it('a well-formed token that was never minted is refused', async () => {
    await unauthorized(tokens.authenticate(`bh_abcdefghijkl.${'a'.repeat(43)}`));
  });

  it('the store never holds the secret, only its hash', async () => {
    const minted = await tokens.mint('u', { description: 'secret keeper' });
    const secret = minted.token.split('.')[1] ?? '';
    expect(secret).toHaveLength(43);
    const stored = [...(await store.list('Token')).items, ...(await store.list(CREDENTIAL_KIND)).items];
    expect(stored.length).toBe(2);
    const dump = JSON.stringify(stored);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(minted.token);
    // Both records exist, under the token's name, and the credential holds something in place of the secret.
    expect(await store.get('Token', '', minted.name)).toMatchObject({ spec: { user: 'u', description: 'secret keeper' } });
    expect(await store.get(CREDENTIAL_KIND, '', minted.name)).toMatchObject({ spec: { secretHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it('a disabled user’s token is refused', async () => {
    const minted = await tokens.mint('u');
    await setDisabled('u');
    expect((await unauthorized(tokens.authenticate(minted.token))).message).toMatch(/disabled/);
  });

  it('a token of a deleted user is refused', async () => {
    const minted = await tokens.mint('u');
    await store.delete('User', '', 'u');
    await unauthorized(tokens.authenticate(minted.token));
  });

  it('forgetUser revokes every token of that user and only that user', async () => {
    await createUser('v');
    const a = await tokens.mint('u');
    const b = await tokens.mint('u');
    const c = await tokens.mint('v');
    await tokens.forgetUser('u');
    await unauthorized(tokens.authenticate(a.token));
    await unauthorized(tokens.authenticate(b.token));
    expect((await tokens.authenticate(c.token)).user).toBe('v');
  });
});

describe('TokenService: passwords', () => {
  it('a password set for a user checks, and the store holds no plain text', async () => {
    await tokens.setPassword('u', 'hunter2hunter2');
    expect(await tokens.hasPassword('u')).toBe(true);
    expect((await tokens.checkPassword('u', 'hunter2hunter2')).metadata.name).toBe('u');
    const creds = JSON.stringify((await store.list(CREDENTIAL_KIND)).items);
    expect(creds).not.toContain('hunter2');
  });

  it('setting a new password replaces the old one', async () => {
    await tokens.setPassword('u', 'first-password');
    await tokens.setPassword('u', 'second-password');
    expect((await tokens.checkPassword('u', 'second-password')).metadata.name).toBe('u');
    await unauthorized(tokens.checkPassword('u', 'first-password'));
  });

  it('a short password is refused with an error on the field `password`', async () => {
    const err = await tokens.setPassword('u', 'short').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).causes).toEqual([{ field: 'password', message: 'must be at least 8 characters' }]);
    expect(await tokens.hasPassword('u')).toBe(false);
    await expect(tokens.setPassword('u', '12345678')).resolves.toBeUndefined();
  });

  it('setting a password for an unknown user fails', async () => {
    await expect(tokens.setPassword('ghost', 'long-enough-password')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('unknown user, wrong password and no password set all fail with the same message', async () => {
    await createUser('nopass');
    await tokens.setPassword('u', 'right-password');
    const unknown = await unauthorized(tokens.checkPassword('ghost', 'right-password'));
    const wrong = await unauthorized(tokens.checkPassword('u', 'wrong-password'));
    const none = await unauthorized(tokens.checkPassword('nopass', 'right-password'));
    expect(unknown.message).toBe('invalid username or password');
    expect(wrong.message).toBe(unknown.message);
    expect(none.message).toBe(unknown.message);
  });

  it('a disabled user is refused even with the right password', async () => {
    await tokens.setPassword('u', 'right-password');
    await setDisabled('u');
    expect((await unauthorized(tokens.checkPassword('u', 'right-password'))).message).toMatch(/disabled/);
  });
});
