/**
 * Client side of registry authentication: learns the scheme from the first 401 and then answers
 * every request with Basic credentials, or with a Bearer token fetched from the challenge's realm
 * (`GET realm?service=..&scope=..`, Basic credentials when we have them, anonymous otherwise) and
 * cached per scope until shortly before it expires. Token lifetimes are the remote's wall-clock
 * seconds, so they are timed with Date.now(), not the platform clock (which may run faster).
 */
import { preferredChallenge } from './auth-challenge.js';
import { RegistryRequestError, RegistryUnreachableError } from './errors.js';
import type { HttpTransport } from './transport.js';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

interface BearerRealm {
  readonly realm: string;
  readonly service?: string;
}

/** Tokens are refreshed this long before the remote says they expire. */
const EXPIRY_MARGIN_MS = 10_000;
/** What the token spec says to assume when `expires_in` is missing. */
const DEFAULT_TOKEN_SECONDS = 60;

export class RegistryAuth {
  private scheme: 'anonymous' | 'basic' | 'bearer' | undefined;
  private bearer: BearerRealm | undefined;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** Whether a scheme has been learned (after the first answered request). */
  get known(): boolean {
    return this.scheme !== undefined;
  }

  private basicHeader(): string | undefined {
    const c = this.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  /** The Authorization header for a request needing `scopes` (fetching a token when due). */
  async header(scopes: readonly string[]): Promise<string | undefined> {
    if (this.scheme === 'basic') return this.basicHeader();
    if (this.scheme !== 'bearer' || !this.bearer) return undefined;
    const key = scopes.join(' ');
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return `Bearer ${hit.token}`;
    const token = await this.fetchToken(this.bearer, scopes);
    return `Bearer ${token}`;
  }

  /** A request succeeded without credentials: the registry is open (until a 401 says otherwise). */
  noteAnonymous(): void {
    this.scheme ??= 'anonymous';
  }

  /**
   * Learns from a 401's challenge. True when a retry with `header()` may now succeed; false when
   * it cannot (no challenge we understand, or Basic asked and we have no credentials).
   */
  learn(wwwAuthenticate: string | null, scopes: readonly string[]): boolean {
    const c = preferredChallenge(wwwAuthenticate);
    const before = this.scheme;
    if (c?.scheme === 'bearer' && c.params.realm) {
      this.scheme = 'bearer';
      this.bearer = { realm: c.params.realm, ...(c.params.service !== undefined ? { service: c.params.service } : {}) };
      // A cached token for these scopes was refused: drop it so the retry fetches a fresh one.
      this.tokens.delete(scopes.join(' '));
      return true;
    }
    if (c?.scheme === 'basic' && this.credentials) {
      this.scheme = 'basic';
      return before !== 'basic';
    }
    return false;
  }

  private async fetchToken(realm: BearerRealm, scopes: readonly string[]): Promise<string> {
    const url = new URL(realm.realm);
    if (realm.service !== undefined) url.searchParams.set('service', realm.service);
    for (const s of scopes) url.searchParams.append('scope', s);
    const basic = this.basicHeader();
    let res: Response;
    try {
      res = await this.transport(url.toString(), { method: 'GET', headers: { accept: 'application/json', ...(basic ? { authorization: basic } : {}) }, ...(this.signal ? { signal: this.signal } : {}) });
    } catch (err) {
      throw new RegistryUnreachableError(url.origin + url.pathname, err);
    }
    const text = await res.text();
    if (res.status !== 200) throw new RegistryRequestError('GET', url.origin + url.pathname, res.status, undefined, `token request refused${text ? `: ${text.slice(0, 200)}` : ''}`);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RegistryRequestError('GET', url.origin + url.pathname, res.status, undefined, 'token response is not JSON');
    }
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw new RegistryRequestError('GET', url.origin + url.pathname, res.status, undefined, 'token response has no token');
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    this.tokens.set(scopes.join(' '), { token, expiresAt: Date.now() + seconds * 1000 });
    if (this.tokens.size > 1000) this.tokens.clear();
    return token;
  }
}
