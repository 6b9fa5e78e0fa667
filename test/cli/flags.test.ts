/** Flag parsing at the edge: each mistake is a one-line UserError naming the flag, before any request. */
import { describe, expect, it } from 'vitest';
import { parseServerOptions } from '../../src/cli/commands/server.js';
import { vmCreateCommand } from '../../src/cli/commands/vm.js';
import { userCreateCommand } from '../../src/cli/commands/user.js';
import { UserError } from '../../src/cli/errors.js';
import { parseDurationSeconds, parsePositiveInt } from '../../src/cli/flags.js';
import { fakeContext } from './fake-context.js';

describe('parsePositiveInt', () => {
  it.each(['1', '42', ' 7 '])('accepts %j', (s) => {
    expect(parsePositiveInt(s, '--cpus')).toBe(Number(s));
  });
  it.each(['0', '-1', '1.5', 'two', '', '1e3', '0x10', '99999999999999999999'])('rejects %j', (s) => {
    expect(() => parsePositiveInt(s, '--cpus')).toThrow(new UserError(`--cpus must be a whole number > 0, got "${s}"`));
  });
  it('allows zero when asked', () => {
    expect(parsePositiveInt('0', '--after', { allowZero: true })).toBe(0);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['90', 90],
    ['30s', 30],
    ['15m', 900],
    ['24h', 86400],
    ['7d', 604800],
    ['1h30m', 5400],
    ['2w', 1209600],
  ])('%s -> %d', (s, want) => {
    expect(parseDurationSeconds(s, '--ttl')).toBe(want);
  });
  it.each(['', '0', '0s', '5q', 'h', '1.5h', '24h junk'])('rejects %j', (s) => {
    expect(() => parseDurationSeconds(s, '--ttl')).toThrow(/^--ttl must be a duration like 30m, 24h or 7d/);
  });
});

describe('vm create flags', () => {
  const base = { tenant: 'acme', cpus: '2', memoryMib: '4096', timeout: '5m' };
  it.each([
    [{ cpus: '0' }, '--cpus must be a whole number > 0, got "0"'],
    [{ cpus: 'x' }, '--cpus must be a whole number > 0, got "x"'],
    [{ memoryMib: '-5' }, '--memory-mib must be a whole number > 0, got "-5"'],
    [{ memoryMib: '1.5' }, '--memory-mib must be a whole number > 0, got "1.5"'],
    [{ tenant: '' }, '--tenant must not be empty'],
    [{ timeout: 'soon' }, '--timeout must be a duration like 30m, 24h or 7d, got "soon"'],
  ])('%j -> %s, without contacting the server', async (bad, want) => {
    const ctx = fakeContext();
    await expect(vmCreateCommand.handler(ctx, { args: ['web-1'], opts: { ...base, ...bad } })).rejects.toThrow(new UserError(want));
    expect(ctx.clientCalls).toBe(0);
  });
});

describe('user create flags', () => {
  it('--password and --password-stdin together is an error', async () => {
    const ctx = fakeContext();
    await expect(userCreateCommand.handler(ctx, { args: ['alice'], opts: { password: 'x', passwordStdin: true } })).rejects.toThrow('use either --password or --password-stdin, not both');
    expect(ctx.clientCalls).toBe(0);
  });
  it('an empty stdin password is an error', async () => {
    const ctx = fakeContext({ stdin: '\n' });
    await expect(userCreateCommand.handler(ctx, { args: ['alice'], opts: { passwordStdin: true } })).rejects.toThrow('--password-stdin: no password on stdin');
    expect(ctx.clientCalls).toBe(0);
  });
});

describe('server flags', () => {
  it('defaults, and BULKHEAD_PORT when --port is absent', () => {
    expect(parseServerOptions({ host: '127.0.0.1', data: './data', logLevel: 'info' }, {})).toEqual({ port: 8080, host: '127.0.0.1', dataDir: './data', logLevel: 'info' });
    expect(parseServerOptions({}, { BULKHEAD_PORT: '9000' }).port).toBe(9000);
    expect(parseServerOptions({ port: '7000' }, { BULKHEAD_PORT: '9000' }).port).toBe(7000);
  });
  it('passes the optional ones through typed', () => {
    expect(parseServerOptions({ topology: 'dc.yaml', timeScale: '60', seed: '42', store: 'postgres://x/y' }, {})).toMatchObject({ topologyFile: 'dc.yaml', timeScale: 60, seed: 42, storeUrl: 'postgres://x/y' });
  });
  it.each([
    [{ port: '70000' }, '--port must be at most 65535'],
    [{ port: 'http' }, '--port must be a whole number'],
    [{ timeScale: '-2' }, '--time-scale must be a number > 0'],
    [{ logLevel: 'loud' }, '--log-level must be one of'],
  ])('%j is rejected', (opts, want) => {
    expect(() => parseServerOptions(opts, {})).toThrow(want);
  });
});
