/**
 * Bearer tokens and local passwords. A token is `bh_<id>.<secret>`; the store keeps a public
 * Token object (owner, expiry) and a Credential holding only sha256(secret), so a database dump
 * does not yield usable tokens. Passwords are scrypt hashes in a Credential per user.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  API_VERSION,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type Resource,
  type Token,
  type User,
} from '../api/index.js';
import type { Clock } from '../clock/index.js';
import type { Store } from '../store/index.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './passwords.js';
import { CREDENTIAL_KIND, type Principal } from './principal.js';

interface CredentialSpec {
  readonly secretHash?: string;
  readonly passwordHash?: string;
}
type Credential = Resource<CredentialSpec>;

const TOKEN_RE = /^bh_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export interface MintedToken {
  readonly name: string;
  readonly token: string;
  readonly user: string;
  readonly expiresAt?: string;
}

/** How long an authenticated token stays in the in-memory cache before the store is asked again. */
const CACHE_MS = 1000;

export class TokenService {
  /** Authenticated tokens; `checkedAt` is wall time (the cache is about load, not modeled time). */
  private readonly cache = new Map<string, { principal: Principal; expiresAt?: number; checkedAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Creates a token for `user`; the secret is only ever returned here. */
  async mint(user: string, opts: { ttlSeconds?: number; description?: string } = {}): Promise<MintedToken> {
    const u = await this.store.tryGet<User>('User', '', user);
    if (!u) throw ValidationError.field('user', `user "${user}" does not exist`);
    if (opts.ttlSeconds !== undefined && (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0))
      throw ValidationError.field('ttlSeconds', 'must be a positive integer');
    const id = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12).padEnd(12, '0');
    const secret = randomBytes(32).toString('base64url');
    const name = `tk-${id}`;
    const expiresAt = opts.ttlSeconds ? new Date(this.clock.now() + opts.ttlSeconds * 1000).toISOString() : undefined;
    await this.store.transaction(async (tx) => {
      const token: Token = {
        apiVersion: API_VERSION,
        kind: 'Token',
        metadata: { name, labels: { 'bulkhead.dev/user': user } },
        spec: { user, ...(opts.description ? { description: opts.description } : {}), ...(expiresAt ? { expiresAt } : {}) },
      };
      await tx.create(token);
      const cred: Credential = { apiVersion: API_VERSION, kind: CREDENTIAL_KIND, metadata: { name }, spec: { secretHash: sha256(secret) } };
      await tx.create(cred);
    });
    return { name, token: `bh_${id}.${secret}`, user, ...(expiresAt ? { expiresAt } : {}) };
  }

  /** Resolves a bearer token to its principal, or throws UnauthorizedError saying why. */
  async authenticate(bearer: string): Promise<Principal> {
    const m = TOKEN_RE.exec(bearer);
    if (!m) throw new UnauthorizedError('malformed bearer token');
    const now = this.clock.now();
    const cached = this.cache.get(bearer);
    if (cached && Date.now() - cached.checkedAt < CACHE_MS) {
      if (cached.expiresAt !== undefined && cached.expiresAt <= now) throw new UnauthorizedError('token expired');
      return cached.principal;
    }
    const name = `tk-${m[1]}`;
    const [token, cred] = await Promise.all([
      this.store.tryGet<Token>('Token', '', name),
      this.store.tryGet<Credential>(CREDENTIAL_KIND, '', name),
    ]);
    const expected = cred?.spec?.secretHash;
    const actual = sha256(m[2] as string);
    if (!token?.spec || !expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(actual))) {
      this.cache.delete(bearer);
      throw new UnauthorizedError('unknown or revoked token');
    }
    const expiresAt = token.spec.expiresAt ? Date.parse(token.spec.expiresAt) : undefined;
    if (expiresAt !== undefined && expiresAt <= now) throw new UnauthorizedError('token expired');
    const user = await this.store.tryGet<User>('User', '', token.spec.user);
    if (!user) throw new UnauthorizedError(`the token's user "${token.spec.user}" no longer exists`);
    if (user.spec && (user.spec as { disabled?: boolean }).disabled) throw new UnauthorizedError(`user "${user.metadata.name}" is disabled`);
    const principal: Principal = { user: user.metadata.name, groups: [...((user.spec as { groups?: string[] } | undefined)?.groups ?? [])], tokenName: name };
    this.cache.set(bearer, { principal, ...(expiresAt !== undefined ? { expiresAt } : {}), checkedAt: Date.now() });
    if (this.cache.size > 10_000) this.cache.clear();
    return principal;
  }

  /** Revokes a token: removes its record and its secret. */
  async revoke(name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.delete('Token', '', name);
      if (await tx.tryGet(CREDENTIAL_KIND, '', name)) await tx.delete(CREDENTIAL_KIND, '', name);
    });
    this.cache.clear();
  }

  async setPassword(user: string, password: string): Promise<void> {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
      throw ValidationError.field('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if (!(await this.store.tryGet<User>('User', '', user))) throw new NotFoundError('User', user);
    const passwordHash = await hashPassword(password);
    const name = `user-${user}`;
    const existing = await this.store.tryGet<Credential>(CREDENTIAL_KIND, '', name);
    const cred: Credential = { apiVersion: API_VERSION, kind: CREDENTIAL_KIND, metadata: { name }, spec: { passwordHash } };
    if (existing) await this.store.update(cred);
    else await this.store.create(cred);
  }

  /** Checks a user's password; the same error whatever was wrong, so names cannot be probed. */
  async checkPassword(user: string, password: string): Promise<User> {
    const fail = new UnauthorizedError('invalid username or password');
    const u = await this.store.tryGet<User>('User', '', user);
    const cred = await this.store.tryGet<Credential>(CREDENTIAL_KIND, '', `user-${user}`);
    const hash = cred?.spec?.passwordHash;
    // Hash even when the user is unknown, so timing does not reveal which names exist.
    const ok = await verifyPassword(password, hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86));
    if (!u || !hash || !ok) throw fail;
    if ((u.spec as { disabled?: boolean } | undefined)?.disabled) throw new UnauthorizedError(`user "${user}" is disabled`);
    return u;
  }

  async hasPassword(user: string): Promise<boolean> {
    return (await this.store.tryGet(CREDENTIAL_KIND, '', `user-${user}`)) !== undefined;
  }

  /** Deletes a user's credentials and tokens (called when the user is deleted). */
  async forgetUser(user: string): Promise<void> {
    const tokens = await this.store.list<Token>('Token', { labelSelector: `bulkhead.dev/user=${user}` });
    for (const t of tokens.items) await this.revoke(t.metadata.name).catch(() => undefined);
    if (await this.store.tryGet(CREDENTIAL_KIND, '', `user-${user}`)) await this.store.delete(CREDENTIAL_KIND, '', `user-${user}`);
    this.cache.clear();
  }
}
