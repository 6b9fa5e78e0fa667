/**
 * The CLI's saved settings (server URL, token, user) and how a command's effective server and token
 * are chosen: flag, then environment, then the saved file, then the default. The file holds a bearer
 * token, so it is written with mode 0600.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from './errors.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** What `bulkhead login` saves. */
export interface SavedConfig {
  readonly server?: string;
  readonly token?: string;
  readonly user?: string;
}

/** Where the config lives: BULKHEAD_CONFIG, else ~/.config/bulkhead/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.BULKHEAD_CONFIG || join(homedir(), '.config', 'bulkhead', 'config.json');
}

/** Reads the saved config; a missing file is an empty config, a corrupt one a UserError. */
export function loadConfig(path: string): SavedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`config ${path} is not valid JSON; fix or delete it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UserError(`config ${path} must be a JSON object`);
  const rec = parsed as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof rec[k] === 'string' && rec[k] !== '' ? (rec[k] as string) : undefined);
  return { server: str('server'), token: str('token'), user: str('user') };
}

/** Writes the config with mode 0600 (its directory 0700), replacing what was there. */
export function saveConfig(path: string, config: SavedConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The server and token a command talks with. */
export interface Connection {
  readonly server: string;
  readonly token: string | undefined;
}

/** Picks server and token: flag, then env, then saved config, then the default server. */
export function resolveConnection(flags: { server?: string; token?: string }, env: NodeJS.ProcessEnv, saved: SavedConfig): Connection {
  const server = flags.server || env.BULKHEAD_SERVER || saved.server || DEFAULT_SERVER;
  const token = flags.token || env.BULKHEAD_TOKEN || saved.token || undefined;
  return { server: normalizeServer(server), token };
}

/** Checks a server URL and strips trailing slashes; a bare host:port gets http://. */
export function normalizeServer(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UserError(`invalid server URL "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserError(`invalid server URL "${raw}": only http and https are supported`);
  return withScheme.replace(/\/+$/, '');
}
