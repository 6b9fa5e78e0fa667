/**
 * Authentication of /v2 requests, which the platform's bearer middleware skips:
 *   Authorization: Bearer bh_...   a platform token, as `skopeo --registry-token` sends it
 *   Authorization: Bearer bhr_...  a robot token
 *   Authorization: Bearer bhx_...  a short-lived token from GET /v2/token (the Docker token flow)
 *   Authorization: Basic u:p       a user's password or `robot$name:<robot token>` (docker/podman login)
 * Basic with a password runs scrypt, so a successful header is cached for 30 s (keyed by its
 * sha256); a push of many blobs then costs one scrypt. Robot expiry is re-checked at every use.
 */
import { createHash } from 'node:crypto';
import { UnauthorizedError, type User } from '../api/index.js';
import type { Clock } from '../clock/index.js';
import type { TokenService } from '../security/index.js';
import type { Store } from '../store/index.js';
import type { Identity } from './access.js';
import { authenticateRobot, isRobotToken } from './robots.js';
import { SessionTokens } from './session-tokens.js';

const BASIC_CACHE_MS = 30_000;

export class CredentialChecker {
  private readonly cache = new Map<string, { identity: Identity; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly sessions: SessionTokens,
  ) {}

  /** The caller's identity; anonymous without an Authorization header; UnauthorizedError when credentials are wrong. */
  async identify(authorization: string | undefined): Promise<Identity> {
    if (!authorization) return { kind: 'anonymous' };
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return this.bearer(bearer[1] ?? '');
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    if (!basic) throw new UnauthorizedError('unsupported Authorization scheme (use Basic or Bearer)');
    const key = createHash('sha256').update(authorization).digest('hex');
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < BASIC_CACHE_MS) {
      if (hit.identity.kind === 'robot') return this.robotStillValid(hit.identity);
      return hit.identity;
    }
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new UnauthorizedError('malformed Basic credentials');
    const user = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const identity = await this.basic(user, secret);
    this.cache.set(key, { identity, at: Date.now() });
    if (this.cache.size > 10_000) this.cache.clear();
    return identity;
  }

  private async bearer(token: string): Promise<Identity> {
    if (isRobotToken(token)) return this.robot(token, undefined);
    if (SessionTokens.isSessionToken(token)) return this.sessions.verify(token, this.clock.now());
    return { kind: 'user', principal: await this.tokens.authenticate(token) };
  }

  private async basic(user: string, secret: string): Promise<Identity> {
    if (isRobotToken(secret)) return this.robot(secret, user);
    // A platform token works as a password too (what `docker login -p $BULKHEAD_TOKEN` sends).
    if (secret.startsWith('bh_')) {
      const principal = await this.tokens.authenticate(secret);
      if (principal.user !== user) throw new UnauthorizedError('the token belongs to another user');
      return { kind: 'user', principal };
    }
    const u: User = await this.tokens.checkPassword(user, secret);
    const groups = (u.spec as { groups?: string[] } | undefined)?.groups ?? [];
    return { kind: 'user', principal: { user: u.metadata.name, groups: [...groups] } };
  }

  private async robot(token: string, username: string | undefined): Promise<Identity> {
    const robot = await authenticateRobot(this.store, token, username, this.clock.now());
    return { kind: 'robot', robot, principal: { user: `robot$${robot.metadata.name}`, groups: [] } };
  }

  private robotStillValid(identity: Identity & { kind: 'robot' }): Identity {
    const exp = identity.robot.spec?.expiresAt;
    if (exp !== undefined && Date.parse(exp) <= this.clock.now()) throw new UnauthorizedError(`robot "${identity.robot.metadata.name}" expired at ${exp}`);
    return identity;
  }
}
