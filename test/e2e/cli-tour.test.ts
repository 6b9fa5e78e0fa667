// The README's tour as a test: the compiled `bulkhead` CLI against the real platform.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { startTestPlatform, type Running } from './harness.js';

let run: Running;
let dir: string;
let env: Record<string, string>;
const cli = (args: string[], stdin?: string) => runCli(args, { env, ...(stdin !== undefined ? { stdin } : {}) });

const TENANTS = `apiVersion: bulkhead.dev/v1
kind: Tenant
metadata: { name: acme }
spec: { sensitivity: low, displayName: Acme Corp }
---
apiVersion: bulkhead.dev/v1
kind: Tenant
metadata: { name: fedbank }
spec: { sensitivity: high, zones: [zone-b] }
`;

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform({ timeScale: 200 });
  dir = await mkdtemp(join(tmpdir(), 'bulkhead-tour-'));
  env = { BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '', BULKHEAD_CONFIG: join(dir, 'config.json') };
  await writeFile(join(dir, 'tenants.yaml'), TENANTS);
}, 60_000);
afterAll(async () => {
  await run?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the README tour', () => {
  it('lists the default datacenter', async () => {
    const zones = await cli(['get', 'zones', '-o', 'json']);
    expect(zones.code).toBe(0);
    expect((JSON.parse(zones.stdout) as { items: unknown[] }).items).toHaveLength(2);
    const hosts = await cli(['get', 'hosts', '-o', 'wide']);
    expect(hosts.code).toBe(0);
    expect(hosts.stdout.split('\n').filter((l) => l.startsWith('zone-'))).toHaveLength(16);
    expect(hosts.stdout).toMatch(/sev-es/);
  });

  it('applies tenants, then reports them unchanged', async () => {
    const first = await cli(['apply', '-f', join(dir, 'tenants.yaml')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('tenant/acme created\ntenant/fedbank created\n');
    const again = await cli(['apply', '-f', '-'], TENANTS);
    expect(again.stdout).toBe('tenant/acme unchanged\ntenant/fedbank unchanged\n');
  });

  it('creates VMs and waits for them to run, then explains the placement', async () => {
    const web = await cli(['vm', 'create', 'web-1', '--tenant', 'acme', '--cpus', '4', '--memory-mib', '8192', '--wait']);
    expect(web.code, web.stderr).toBe(0);
    expect(web.stdout).toMatch(/virtualmachine\/web-1 running on zone-[ab]-host-\d\d/);
    const ledger = await cli(['vm', 'create', 'ledger-1', '--tenant', 'fedbank', '--cpus', '8', '--memory-mib', '65536', '--encrypted-memory', '--wait']);
    expect(ledger.code, ledger.stderr).toBe(0);
    expect(ledger.stdout).toMatch(/running on zone-b-host-0[1-4]/); // zone-b only, sev-es hosts are 01-04
    const desc = await cli(['describe', 'vm', 'ledger-1']);
    expect(desc.code).toBe(0);
    expect(desc.stdout).toMatch(/Placement:/);
    expect(desc.stdout).toMatch(/ZoneNotAllowed\s+8/);
    expect(desc.stdout).toMatch(/MissingFeature:sev-es\s+4/);
  });

  it('shows why a VM that fits nowhere is pending', async () => {
    const r = await cli(['vm', 'create', 'huge', '--tenant', 'acme', '--cpus', '600', '--memory-mib', '4096', '--wait', '--timeout', '20s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/0\/16 hosts are available/);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);
  });

  it('fails a host, marks its VM lost, and the audits still pass', async () => {
    const json = await cli(['get', 'vm', 'web-1', '-o', 'json']);
    const host = (JSON.parse(json.stdout) as { status: { host: string } }).status.host;
    const fail = await cli(['host', 'fail', host]);
    expect(fail.code, fail.stderr).toBe(0);
    const vms = await cli(['get', 'vms']);
    expect(vms.stdout).toMatch(/web-1\s+acme\s+4\s+8192\s+Lost/);
    const iso = await cli(['audit', 'isolation']);
    expect(iso.code).toBe(0);
    expect(iso.stdout).toMatch(/no isolation violations/);
    const log = await cli(['audit', 'log', '--verify']);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/audit chain intact: \d+ entries/);
  });

  it('gives a tenant its own administrator who sees only that tenant', async () => {
    expect((await cli(['user', 'create', 'alice', '--password', 'correct horse battery'])).code).toBe(0);
    const bind = await cli(['apply', '-f', '-'], 'apiVersion: bulkhead.dev/v1\nkind: RoleBinding\nmetadata: { name: alice-acme }\nspec: { role: tenant-admin, tenant: acme, subjects: [{ kind: User, name: alice }] }\n');
    expect(bind.code, bind.stderr).toBe(0);
    const aliceEnv = { BULKHEAD_SERVER: run.platform.url, BULKHEAD_CONFIG: join(dir, 'alice.json') };
    const login = await runCli(['login', '--username', 'alice', '--password', 'correct horse battery'], { env: aliceEnv });
    expect(login.code, login.stderr).toBe(0);
    const vms = await runCli(['get', 'vms', '-o', 'json'], { env: aliceEnv });
    const names = (JSON.parse(vms.stdout) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort();
    expect(names).toEqual(['huge', 'web-1']);
    const denied = await runCli(['get', 'hosts'], { env: aliceEnv });
    expect(denied.code).toBe(1);
    expect(denied.stderr.trim()).toBe('error: user "alice" cannot list hosts');
  });

  it('answers bad input with one line and a non-zero exit', async () => {
    const unknownKind = await cli(['get', 'widgets']);
    expect(unknownKind.code).toBe(1);
    expect(unknownKind.stderr.trim().split('\n')).toHaveLength(1);
    const badFlag = await cli(['vm', 'create', 'x', '--tenant', 'acme', '--cpus', 'many', '--memory-mib', '1024']);
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
    const badYaml = await cli(['apply', '-f', '-'], 'kind: Tenant\nmetadata: [\n');
    expect(badYaml.code).toBe(1);
    const serverSide = await cli(['vm', 'create', 'orphan', '--tenant', 'nobody', '--cpus', '1', '--memory-mib', '1024']);
    expect(serverSide.code).toBe(1);
    expect(serverSide.stderr).toMatch(/spec\.tenant: tenant "nobody" does not exist/);
    const badToken = await runCli(['get', 'vms'], { env: { ...env, BULKHEAD_TOKEN: 'bh_nope' } });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/malformed bearer token/);
  });
});
