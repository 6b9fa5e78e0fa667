// The registry's CLI commands against the real platform: project create/list/member add and
// robot create, whose printed token then works for the registry.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../cli/spawn-cli.js';
import { V1, startTestPlatform, tenant, type Running } from './harness.js';
import { Oci, createUser } from './registry-client.js';

let run: Running;
let env: Record<string, string>;
const cli = (args: string[]) => runCli(args, { env });

beforeAll(async () => {
  ensureBuilt();
  run = await startTestPlatform();
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  env = { BULKHEAD_CONFIG: join(mkdtempSync(join(tmpdir(), 'bulkhead-regcli-')), 'config.json'), BULKHEAD_SERVER: run.platform.url, BULKHEAD_TOKEN: run.platform.adminToken ?? '' };
}, 120_000);
afterAll(async () => run?.stop());

describe('bulkhead project and robot', () => {
  it('creates a project with a quota, lists it, adds a member', async () => {
    const c = await cli(['project', 'create', 'acme-web', '--tenant', 'acme', '--public', '--quota-bytes', '1000000']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain('project/acme-web created (public)');
    const l = await cli(['project', 'list']);
    expect(l.stdout).toMatch(/acme-web\s+acme\s+true/);
    const ghost = await cli(['project', 'member', 'add', 'acme-web', '--user', 'dana', '--role', 'developer']);
    expect(ghost.code).toBe(1); // dana is not a user yet
    await createUser(run, 'dana', 'dana-secret-pw');
    const m = await cli(['project', 'member', 'add', 'acme-web', '--user', 'dana', '--role', 'developer']);
    expect(m.code, m.stderr).toBe(0);
    const p = await run.admin.get<{ spec: { members: unknown[]; quota: unknown } }>(`${V1}/projects/acme-web`);
    expect(p.body.spec.members).toEqual([{ kind: 'User', name: 'dana', role: 'developer' }]);
    expect(p.body.spec.quota).toEqual({ storageBytes: 1000000 });
    const bad = await cli(['project', 'member', 'add', 'acme-web', '--user', 'dana', '--role', 'boss']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--role must be one of');
  });

  it('creates a robot and prints its token alone on stdout, once', async () => {
    const r = await cli(['robot', 'create', 'ci', '--project', 'acme-web', '--permissions', 'pull,push', '--ttl', '30d']);
    expect(r.code, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^bhr_ci\./);
    expect(r.stderr).toContain('robot$ci');
    const oci = Oci.basic(run.platform.url, 'robot$ci', token);
    expect((await oci.fetch('GET', '/v2/')).status).toBe(200);
    await oci.pushImage('acme-web/app', 'v1', 1);
    const list = await cli(['robot', 'list']);
    expect(list.stdout).toMatch(/ci\s+acme-web\s+pull,push/);
  });
});
