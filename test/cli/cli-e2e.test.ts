/**
 * The compiled `bulkhead` against a fake API server: real exit codes, real stdout/stderr. Covers
 * one-line errors, Status messages, apply's create/configure/unchanged flow, audit verification
 * and the isolation check's exit code.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chainEntry } from '../../src/store/audit-chain.js';
import type { AuditEntry, AuditRecord } from '../../src/store/store.js';
import { ensureBuilt, runCli } from './spawn-cli.js';
import { seed, startFakeServer, type FakeServer } from './fake-server.js';

let dir: string;
let fake: FakeServer;
let env: Record<string, string>;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'bulkhead-cli-'));
}, 120_000);

beforeEach(async () => {
  fake = await startFakeServer({ token: 'adm' });
  env = { BULKHEAD_CONFIG: join(dir, `config-${Math.random().toString(36).slice(2)}.json`), BULKHEAD_SERVER: fake.url, BULKHEAD_TOKEN: 'adm' };
});

afterEach(async () => {
  await fake.close();
});

const cli = (args: string[], stdin?: string) => runCli(args, { env, stdin });

/** A URL where nothing listens (a port just released), so connecting is refused. */
async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

describe('bulkhead version', () => {
  it('answers --client in well under 500 ms', async () => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['version', '--client'], { env: { BULKHEAD_CONFIG: join(dir, 'none.json') } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^client: \d+\.\d+\.\d+\n$/);
      best = Math.min(best, r.ms);
    }
    expect(best).toBeLessThan(500);
  });

  it('loads no server, database, logger or schema code', async () => {
    const log = join(dir, 'loaded.txt');
    writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`);
    writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
    const r = await runCli(['version', '--client'], { env: { BULKHEAD_CONFIG: join(dir, 'none.json') }, nodeArgs: ['--import', join(dir, 'register.mjs')] });
    expect(r.code).toBe(0);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((u) => u.endsWith('/dist/src/cli/main.js'))).toBe(true);
    const heavy = loaded.filter((u) => /\/(fastify|pino|better-sqlite3|pg|@sinclair|yaml)\/|\/dist\/src\/(server|platform|store\/sqlite|api)\//.test(u));
    expect(heavy).toEqual([]);
  });

  it('prints the server version when the server answers', async () => {
    const r = await cli(['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ client: { version: expect.any(String) }, server: { version: '0.1.0', apiVersion: 'bulkhead.dev/v1' } });
  });

  it('still exits 0 with the client version when no server answers', async () => {
    const r = await runCli(['version'], { env: { ...env, BULKHEAD_SERVER: await refusedUrl() } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^client: /);
    expect(r.stderr).toContain('not reachable');
  });
});

describe('errors', () => {
  it('unknown command and unknown flag: one line, exit 1', async () => {
    for (const args of [['frobnicate'], ['get', 'zones', '--bogus'], ['get', 'zones', '-o', 'xml']]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stdout).toBe('');
    }
  });

  it('unknown kind lists the known ones', async () => {
    const r = await cli(['get', 'widgets']);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringContaining('unknown kind "widgets"; known kinds: zones (zn), hosts (ho), virtualmachines (vm, vms)')]);
  });

  it('prints the Status message of a server error as one line', async () => {
    const r = await cli(['get', 'vm', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: VirtualMachine "nope" not found\n');
  });

  it('a 401 says why', async () => {
    const r = await runCli(['get', 'zones'], { env: { ...env, BULKHEAD_TOKEN: 'wrong' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: authentication required\n');
  });

  it('connection refused names the server and suggests npm start', async () => {
    const url = await refusedUrl();
    const r = await runCli(['get', 'zones'], { env: { ...env, BULKHEAD_SERVER: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot connect to the Bulkhead server at ${url} (connection refused); start one with \`npm start\` or point --server / BULKHEAD_SERVER at it\n`);
  });

  it('flag validation happens before any request', async () => {
    const r = await cli(['vm', 'create', 'web-1', '--tenant', 'acme', '--cpus', 'two', '--memory-mib', '1024']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: --cpus must be a whole number > 0, got "two"\n');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('get', () => {
  beforeEach(() => {
    seed(fake.state, 'zones', [
      { apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'zone-a', creationTimestamp: new Date(Date.now() - 3 * 3600_000).toISOString() }, spec: { isolation: 'per-tenant' }, status: { hosts: 8 } },
      { apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'zone-b' }, spec: {} },
      { apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'zone-c' }, spec: {} },
    ]);
  });

  it('prints a table, paging through every page', async () => {
    const r = await cli(['get', 'zn']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NAME\s+ISOLATION\s+CPU-OVERCOMMIT%\s+HOSTS\s+READY\s+VMS\s+AGE$/);
    expect(out[1]).toMatch(/^zone-a\s+per-tenant\s+<none>\s+8\s+<none>\s+<none>\s+3h$/);
    expect(out).toHaveLength(4);
    expect(fake.requests.every((q) => q.authorization === 'Bearer adm')).toBe(true);
  });

  it('--limit fetches one page and says more remain', async () => {
    const r = await cli(['get', 'zones', '--limit', '2', '-o', 'name']);
    expect(r.stdout).toBe('zone/zone-a\nzone/zone-b\n');
    expect(r.stderr).toContain('--continue 2');
  });

  it('-o json prints { items } for a list and the object for one', async () => {
    const list = JSON.parse((await cli(['get', 'zones', '-o', 'json'])).stdout) as { items: { metadata: { name: string } }[] };
    expect(Object.keys(list)).toEqual(['items']);
    expect(list.items.map((i) => i.metadata.name)).toEqual(['zone-a', 'zone-b', 'zone-c']);
    const one = JSON.parse((await cli(['get', 'zone', 'zone-b', '-o', 'json'])).stdout) as { kind: string };
    expect(one.kind).toBe('Zone');
  });

  it('-w -o json prints the list then one event per line', async () => {
    fake.state.watchEvents = [{ type: 'MODIFIED', object: { apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'zone-b' }, spec: { isolation: 'shared' } } }];
    const r = await cli(['get', 'zones', '-w', '-o', 'json']);
    expect(r.code).toBe(0);
    const events = lines(r.stdout).map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED zone-a', 'ADDED zone-b', 'ADDED zone-c', 'MODIFIED zone-b']);
    const watchReq = fake.requests.find((q) => q.query.get('watch') === 'true');
    expect(watchReq?.query.get('resourceVersion')).toMatch(/^\d+$/);
  });

  it('a watch ERROR event is one error line and exit 1', async () => {
    fake.state.watchEvents = [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Gone', message: 'too old resource version: 1' } }];
    const r = await cli(['get', 'zones', '-w']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: too old resource version: 1\n');
  });
});

describe('apply', () => {
  const manifest = `apiVersion: bulkhead.dev/v1
kind: Zone
metadata:
  name: zone-a
spec:
  isolation: per-tenant
---
apiVersion: bulkhead.dev/v1
kind: Tenant
metadata:
  name: acme
  labels: { tier: gold }
spec:
  sensitivity: high
`;

  it('creates, then reports unchanged, then configured', async () => {
    const file = join(dir, 'm1.yaml');
    writeFileSync(file, manifest);
    let r = await cli(['apply', '-f', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('zone/zone-a created\ntenant/acme created\n');

    r = await cli(['apply', '-f', file]);
    expect(r.stdout).toBe('zone/zone-a unchanged\ntenant/acme unchanged\n');
    expect(fake.requests.filter((q) => q.method === 'PUT')).toHaveLength(0);

    r = await cli(['apply', '-f', '-'], manifest.replace('sensitivity: high', 'sensitivity: moderate'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('zone/zone-a unchanged\ntenant/acme configured\n');
    const put = fake.requests.find((q) => q.method === 'PUT');
    expect(put?.path).toBe('/apis/bulkhead.dev/v1/tenants/acme');
    expect(put?.body).toMatchObject({ metadata: { name: 'acme', labels: { tier: 'gold' }, resourceVersion: expect.any(String) }, spec: { sensitivity: 'moderate' } });
  });

  it('retries the update on a Conflict', async () => {
    seed(fake.state, 'tenants', [{ apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } }]);
    fake.state.conflictsToInject = 2;
    const r = await cli(['apply', '-f', '-'], manifest.split('---')[1]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('tenant/acme configured\n');
    expect(fake.requests.filter((q) => q.method === 'PUT')).toHaveLength(3);
  });

  it('a bad second document means nothing is sent', async () => {
    const bad = `${manifest}---\napiVersion: bulkhead.dev/v1\nkind: Tenant\nmetadata:\n  name: beta\nspec:\n  sensitivity: extreme\n`;
    const r = await cli(['apply', '-f', '-'], bad);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('document 3 (line 16)');
    expect(r.stderr).toContain('spec.sensitivity');
    expect(fake.requests).toHaveLength(0);
  });

  it('a YAML syntax error names the line', async () => {
    const r = await cli(['apply', '-f', '-'], 'apiVersion: bulkhead.dev/v1\nkind: Zone\nmetadata:\n  name: [zone-a\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: <stdin>: YAML error at line \d+, column \d+: .+\n$/);
    expect(fake.requests).toHaveLength(0);
  });

  it('gives up after 3 conflicts with one line naming the object', async () => {
    seed(fake.state, 'tenants', [{ apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'acme' }, spec: { sensitivity: 'low' } }]);
    fake.state.conflictsToInject = 10;
    const r = await cli(['apply', '-f', '-'], manifest);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('zone/zone-a created\nerror: tenant/acme: the object has been modified; please apply your changes to the latest version\n');
    expect(fake.requests.filter((q) => q.method === 'PUT')).toHaveLength(3);
  });
});

describe('vm, host, user, token, login', () => {
  it('vm create posts a VirtualMachine', async () => {
    const r = await cli(['vm', 'create', 'web-1', '--tenant', 'acme', '--cpus', '2', '--memory-mib', '4096', '--zone', 'zone-a', '--encrypted-memory']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('virtualmachine/web-1 created\n');
    expect(fake.requests[0]?.body).toEqual({
      apiVersion: 'bulkhead.dev/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'web-1' },
      spec: { tenant: 'acme', cpus: 2, memoryMiB: 4096, zone: 'zone-a', encryptedMemory: true },
    });
  });

  it('vm create --wait follows the VM to Running, progress on stderr', async () => {
    fake.state.onGet = (_plural, vm, n) => ({ ...vm, status: n < 2 ? { phase: 'Pending' } : { phase: 'Running', host: 'h-002', numaNodes: [0] } });
    const r = await cli(['vm', 'create', 'web-1', '--tenant', 'acme', '--cpus', '2', '--memory-mib', '4096', '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('virtualmachine/web-1 running on h-002\n');
    expect(r.stderr).toContain('virtualmachine/web-1: Pending');
    expect(r.stderr).toContain('virtualmachine/web-1: Running on h-002 (NUMA 0)');
  });

  it('vm create --wait fails with the scheduler message when it cannot be placed', async () => {
    const unschedulable = { type: 'Scheduled', status: 'False', reason: 'Unschedulable', message: '0/16 hosts fit: 16 InsufficientMemory', lastTransitionTime: new Date().toISOString() };
    fake.state.onGet = (_plural, vm) => ({ ...vm, status: { phase: 'Pending', conditions: [unschedulable] } });
    const r = await cli(['vm', 'create', 'big-1', '--tenant', 'acme', '--cpus', '2', '--memory-mib', '4096', '--wait', '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).at(-1)).toBe('error: virtualmachine/big-1 cannot be scheduled: 0/16 hosts fit: 16 InsufficientMemory');
  });

  it('delete --wait returns once the object is gone', async () => {
    seed(fake.state, 'zones', [{ apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'zone-z' }, spec: {} }]);
    const r = await cli(['delete', 'zone', 'zone-z', '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('zone/zone-z deleted\n');
    expect(fake.requests.map((q) => q.method)).toEqual(['DELETE', 'GET']);
  });

  it('host fail posts the fault action', async () => {
    seed(fake.state, 'hosts', [{ apiVersion: 'bulkhead.dev/v1', kind: 'Host', metadata: { name: 'h-001' }, spec: {}, status: { state: 'Ready' } }]);
    const r = await cli(['host', 'fail', 'h-001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('host/h-001 failed (state Failed)\n');
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/apis/bulkhead.dev/v1/hosts/h-001/fault', body: { action: 'fail' } });
  });

  it('user create posts the user then sets the password from stdin', async () => {
    const r = await cli(['user', 'create', 'alice', '--password-stdin', '--group', 'ops', '--group', 'dev'], 's3cret\n');
    expect(r.code).toBe(0);
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /apis/bulkhead.dev/v1/users', 'PUT /auth/users/alice/password']);
    expect(fake.requests[0]?.body).toMatchObject({ kind: 'User', spec: { groups: ['ops', 'dev'] } });
    expect(fake.state.passwords.get('alice')).toBe('s3cret');
  });

  it('token create prints only the token on stdout', async () => {
    const r = await cli(['token', 'create', '--ttl', '24h', '--description', 'ci']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('secret-token-value\n');
    expect(r.stderr).toContain('shown only once');
    expect(fake.requests[0]?.body).toEqual({ description: 'ci', ttlSeconds: 86400 });
  });

  it('login saves server, token and user with mode 0600', async () => {
    fake.state.passwords.set('admin', 'pw');
    const r = await runCli(['login', '--username', 'admin', '--password-stdin'], { env: { BULKHEAD_CONFIG: env.BULKHEAD_CONFIG ?? '', BULKHEAD_SERVER: fake.url }, stdin: 'pw\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`logged in to ${fake.url} as admin\n`);
    const path = env.BULKHEAD_CONFIG ?? '';
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ server: fake.url, token: 'tok-admin', user: 'admin' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // The saved token is used when neither flag nor env gives one.
    fake.state.token = 'tok-admin';
    const w = await runCli(['whoami', '-o', 'json'], { env: { BULKHEAD_CONFIG: path } });
    expect(w.code).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ user: 'admin' });
  });

  it('a wrong password is one line, exit 1, nothing saved', async () => {
    const r = await runCli(['login', '--username', 'admin', '--password', 'nope'], { env: { BULKHEAD_CONFIG: env.BULKHEAD_CONFIG ?? '', BULKHEAD_SERVER: fake.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: invalid username or password\n');
    expect(() => statSync(env.BULKHEAD_CONFIG ?? '')).toThrow();
  });
});

function auditChain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const rec: AuditRecord = { time: new Date(1_700_000_000_000 + i * 1000).toISOString(), user: 'admin', verb: 'create', resource: 'zones', name: `z${i}`, decision: 'allow', code: 201 };
    entries.push(chainEntry(entries[entries.length - 1], rec));
  }
  return entries;
}

describe('audit', () => {
  it('log prints the table', async () => {
    fake.state.audit = auditChain(3);
    const r = await cli(['audit', 'log', '--limit', '2']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^SEQ\s+TIME\s+USER\s+VERB\s+RESOURCE\s+NAME\s+DECISION\s+CODE$/);
    expect(out).toHaveLength(3);
    expect(out[2]).toMatch(/^2\s+\S+\s+admin\s+create\s+zones\s+z1\s+allow\s+201$/);
  });

  it('--verify pages through an intact chain and exits 0', async () => {
    fake.state.audit = auditChain(2500);
    const r = await cli(['audit', 'log', '--verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('audit chain intact: 2500 entries\n');
    expect(fake.requests.filter((q) => q.path === '/audit/log')).toHaveLength(3);
  });

  it('--verify finds a tampered entry and exits 1', async () => {
    const chain = auditChain(5);
    const victim = chain[2];
    if (!victim) throw new Error('no entry');
    chain[2] = { ...victim, decision: 'deny' };
    fake.state.audit = chain;
    const r = await cli(['audit', 'log', '--verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('audit chain BROKEN at seq 3: hash does not match the entry content\n');
  });

  it('--verify finds a dropped entry', async () => {
    fake.state.audit = auditChain(5).filter((e) => e.seq !== 4);
    const r = await cli(['audit', 'log', '--verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('audit chain BROKEN at seq 5: expected seq 4, found 5\n');
  });

  it('isolation: none is exit 0 with the counts', async () => {
    fake.state.isolation = { violations: [], checkedHosts: 16, checkedVms: 40 };
    const r = await cli(['audit', 'isolation']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no isolation violations (16 hosts, 40 VMs checked)\n');
  });

  it('isolation: a violation is a table and exit 1', async () => {
    fake.state.isolation = {
      violations: [{ host: 'h-003', zone: 'zone-a', isolation: 'per-tenant', reason: 'tenants acme and beta share the host', vms: [{ name: 'a1', tenant: 'acme', sensitivity: 'high' }, { name: 'b1', tenant: 'beta', sensitivity: 'low' }] }],
      checkedHosts: 16,
      checkedVms: 40,
    };
    const r = await cli(['audit', 'isolation']);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^HOST\s+ZONE\s+ISOLATION\s+REASON\s+VMS$/);
    expect(out[1]).toContain('a1(acme/high),b1(beta/low)');
    const j = await cli(['audit', 'isolation', '-o', 'json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ checkedHosts: 16 });
  });
});
