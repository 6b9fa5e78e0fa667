// Password hashing: a stored hash verifies its own password only, carries its own salt, and a
// corrupt stored value is a failed login, never a crash.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('verifies the password it hashed and refuses others', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash: two hashes of one password differ and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('s3cret-pass'), hashPassword('s3cret-pass')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword('s3cret-pass', a)).toBe(true);
    expect(await verifyPassword('s3cret-pass', b)).toBe(true);
  });

  it('handles non-ASCII passwords', async () => {
    const stored = await hashPassword('pässwörd-ñ-日本');
    expect(await verifyPassword('pässwörd-ñ-日本', stored)).toBe(true);
    expect(await verifyPassword('passwörd-ñ-日本', stored)).toBe(false);
  });

  it('a tampered hash no longer verifies', async () => {
    const stored = await hashPassword('tamper-me-please');
    const parts = stored.split('$');
    const hash = parts[5] ?? '';
    const flipped = (hash[0] === 'A' ? 'B' : 'A') + hash.slice(1);
    expect(await verifyPassword('tamper-me-please', [...parts.slice(0, 5), flipped].join('$'))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a hash'],
    ['other algorithm', 'bcrypt$16384$8$1$AAAA$AAAA'],
    ['too few parts', 'scrypt$16384$8$1$AAAA'],
    ['too many parts', 'scrypt$16384$8$1$AAAA$AAAA$AAAA'],
  ])('a malformed stored hash (%s) is false, not an exception', async (_name, stored) => {
    await expect(verifyPassword('whatever-password', stored)).resolves.toBe(false);
  });

  // A corrupt Credential must fail closed (false), never reject (a 500 on login).
  it.each([
    ['non-numeric cost', 'scrypt$lots$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
    ['cost not a power of two', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
    ['absurd memory cost', 'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
  ])('a stored hash with bad parameters (%s) is false, not an exception', async (_name, stored) => {
    await expect(verifyPassword('whatever-password', stored)).resolves.toBe(false);
  });

  // An empty hash field would give a 0-byte key, and two empty buffers compare equal.
  it('a stored hash with an empty hash field matches no password', async () => {
    await expect(verifyPassword('any password at all', 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$')).resolves.toBe(false);
  });
});
