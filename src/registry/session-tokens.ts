/**
 * Short-lived registry tokens for the Docker token flow: a client answered with a Bearer challenge
 * calls `GET /v2/token` (with Basic credentials, or none for anonymous pulls) and sends the token
 * back. Tokens are HMAC-signed with a key in the data directory, so any API server sharing it can
 * check them; each use re-reads the user or robot, so disabling one takes effect at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UnauthorizedError, type RobotAccount, type User } from '../api/index.js';
import type { Store } from '../store/index.js';
import type { Identity } from './access.js';

/** Seconds a registry token is valid (the token spec says never below 60). */
export const SESSION_TOKEN_SECONDS = 300;
const PREFIX = 'bhx_';

interface Claims {
  readonly sub: string;
  readonly kind: Identity['kind'];
  readonly exp: number;
}

export class SessionTokens {
  private key: Buffer | undefined;

  constructor(
    private readonly keyFile: string,
    private readonly store: Store,
  ) {}

  private async secret(): Promise<Buffer> {
    if (this.key) return this.key;
    const existing = await readFile(this.keyFile).catch(() => undefined);
    if (existing && existing.length >= 32) return (this.key = existing);
    await mkdir(dirname(this.keyFile), { recursive: true });
    const fresh = randomBytes(32);
    await writeFile(this.keyFile, fresh, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    this.key = await readFile(this.keyFile);
    return this.key;
  }

  static isSessionToken(s: string): boolean {
    return s.startsWith(PREFIX);
  }

  async issue(who: Identity, nowMs: number): Promise<string> {
    const sub = who.kind === 'anonymous' ? '' : who.kind === 'robot' ? who.robot.metadata.name : who.principal.user;
    const claims: Claims = { sub, kind: who.kind, exp: Math.floor(nowMs / 1000) + SESSION_TOKEN_SECONDS };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const mac = createHmac('sha256', await this.secret()).update(body).digest('base64url');
    return `${PREFIX}${body}.${mac}`;
  }

  async verify(token: string, nowMs: number): Promise<Identity> {
    const fail = new UnauthorizedError('invalid or expired registry token');
    const [body, mac] = token.slice(PREFIX.length).split('.');
    if (!body || !mac) throw fail;
    const want = createHmac('sha256', await this.secret()).update(body).digest();
    const got = Buffer.from(mac, 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw fail;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    if (claims.exp * 1000 <= nowMs) throw fail;
    if (claims.kind === 'anonymous') return { kind: 'anonymous' };
    if (claims.kind === 'robot') {
      const robot = await this.store.tryGet<RobotAccount>('RobotAccount', '', claims.sub);
      if (!robot?.spec || robot.spec.disabled) throw fail;
      return { kind: 'robot', robot, principal: { user: `robot$${robot.metadata.name}`, groups: [] } };
    }
    const user = await this.store.tryGet<User>('User', '', claims.sub);
    const spec = user?.spec as { disabled?: boolean; groups?: string[] } | undefined;
    if (!user || spec?.disabled) throw fail;
    return { kind: 'user', principal: { user: user.metadata.name, groups: [...(spec?.groups ?? [])] } };
  }
}
