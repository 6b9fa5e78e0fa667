/** Config precedence (flag > env > file > default), the 0600 file, and the HTTP client's error mapping. */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFrom, parseWatchLine } from '../../src/cli/client.js';
import { DEFAULT_SERVER, configPath, loadConfig, normalizeServer, resolveConnection, saveConfig } from '../../src/cli/config.js';

describe('resolveConnection', () => {
  const saved = { server: 'http://saved:1', token: 'saved-token' };
  it('flag beats env beats saved beats default', () => {
    const env = { BULKHEAD_SERVER: 'http://env:2', BULKHEAD_TOKEN: 'env-token' };
    expect(resolveConnection({ server: 'http://flag:3', token: 'flag-token' }, env, saved)).toEqual({ server: 'http://flag:3', token: 'flag-token' });
    expect(resolveConnection({}, env, saved)).toEqual({ server: 'http://env:2', token: 'env-token' });
    expect(resolveConnection({}, {}, saved)).toEqual({ server: 'http://saved:1', token: 'saved-token' });
    expect(resolveConnection({}, {}, {})).toEqual({ server: DEFAULT_SERVER, token: undefined });
  });
  it('normalizes server URLs', () => {
    expect(normalizeServer('10.0.0.5:8080')).toBe('http://10.0.0.5:8080');
    expect(normalizeServer('https://bh.example/')).toBe('https://bh.example');
    expect(() => normalizeServer('ftp://x')).toThrow('only http and https');
  });
});

describe('config file', () => {
  it('BULKHEAD_CONFIG chooses the file; saving makes it 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bh-config-'));
    const path = configPath({ BULKHEAD_CONFIG: join(dir, 'sub', 'c.json') });
    expect(loadConfig(path)).toEqual({});
    saveConfig(path, { server: 'http://s', token: 't', user: 'u' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadConfig(path)).toEqual({ server: 'http://s', token: 't', user: 'u' });
  });
  it('defaults to ~/.config/bulkhead/config.json', () => {
    expect(configPath({})).toMatch(/\.config\/bulkhead\/config\.json$/);
  });
});

describe('Status bodies', () => {
  it('an ApiError carries code, reason and message', () => {
    const e = apiErrorFrom(404, 'Not Found', { kind: 'Status', code: 404, reason: 'NotFound', message: 'Zone "x" not found', details: { name: 'x' } });
    expect(e).toMatchObject({ status: 404, reason: 'NotFound', message: 'Zone "x" not found', details: { name: 'x' } });
  });
  it('a body that is not a Status still gives a one-line message', () => {
    expect(apiErrorFrom(502, 'Bad Gateway', undefined).message).toBe('server returned 502 Bad Gateway');
  });
  it('watch lines: events parse, ERROR throws its Status', () => {
    expect(parseWatchLine('{"type":"ADDED","object":{"metadata":{"name":"a"}}}').type).toBe('ADDED');
    expect(() => parseWatchLine('{"type":"ERROR","object":{"code":410,"reason":"Gone","message":"too old"}}')).toThrow(new ApiError(410, 'Gone', 'too old'));
    expect(() => parseWatchLine('nope')).toThrow(/not JSON/);
  });
});
