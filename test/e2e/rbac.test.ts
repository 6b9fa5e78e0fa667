// RBAC and tenancy: a tenant-admin of one tenant can neither see nor touch another tenant's
// objects; viewers only read; nobody grants what they do not hold; every denial is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/store/audit-chain.js';
import type { AuditEntry } from '../../src/store/store.js';
import { Api, startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

let run: Running;
let alice: Api; // tenant-admin of acme
let bob: Api; // tenant-admin of beta
let vic: Api; // platform viewer

async function userWithRole(name: string, role: string, tenantName?: string): Promise<Api> {
  expect((await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name } })).status).toBe(201);
  expect((await run.admin.put(`/auth/users/${name}/password`, { password: `${name}-secret-pw` })).status).toBe(200);
  const rb = { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: `${name}-${role}` }, spec: { role, subjects: [{ kind: 'User', name }], ...(tenantName ? { tenant: tenantName } : {}) } };
  expect((await run.admin.post(`${V1}/rolebindings`, rb)).status).toBe(201);
  const login = await run.anon.post<{ token: string }>('/auth/login', { username: name, password: `${name}-secret-pw` });
  expect(login.status).toBe(200);
  return run.anon.as(login.body.token);
}

beforeAll(async () => {
  run = await startTestPlatform();
  await run.admin.post(`${V1}/tenants`, tenant('acme', 'low'));
  await run.admin.post(`${V1}/tenants`, tenant('beta', 'high'));
  alice = await userWithRole('alice', 'tenant-admin', 'acme');
  bob = await userWithRole('bob', 'tenant-admin', 'beta');
  vic = await userWithRole('vic', 'viewer');
  expect((await bob.post(`${V1}/virtualmachines`, vm('beta-db', 'beta', 2, 2048))).status).toBe(201);
});
afterAll(async () => run?.stop());

describe('login', () => {
  it('exchanges a password for a token and refuses a wrong one without saying which part was wrong', async () => {
    const bad = await run.anon.post<{ message: string }>('/auth/login', { username: 'alice', password: 'wrong-password' });
    expect(bad.status).toBe(401);
    const nouser = await run.anon.post<{ message: string }>('/auth/login', { username: 'nobody', password: 'whatever-pw' });
    expect(nouser.status).toBe(401);
    expect(bad.body.message).toBe(nouser.body.message);
  });
  it('whoami shows the bindings', async () => {
    const me = await alice.get<{ user: string; bindings: { role: string; tenant?: string }[] }>('/auth/whoami');
    expect(me.body).toMatchObject({ user: 'alice', bindings: [{ role: 'tenant-admin', tenant: 'acme' }] });
  });
});

describe('tenant isolation', () => {
  it('lets a tenant-admin create VMs in its tenant', async () => {
    const r = await alice.post(`${V1}/virtualmachines`, vm('acme-web', 'acme', 2, 2048));
    expect(r.status).toBe(201);
  });
  it("refuses a VM in another tenant with 403", async () => {
    const r = await alice.post<{ message: string }>(`${V1}/virtualmachines`, vm('sneaky', 'beta', 2, 2048));
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/tenant "beta"/);
    expect((await run.admin.get(`${V1}/virtualmachines/sneaky`)).status).toBe(404);
  });
  it("hides another tenant's objects from lists", async () => {
    const r = await alice.get<{ items: { metadata: { name: string } }[] }>(`${V1}/virtualmachines`);
    expect(r.status).toBe(200);
    const names = r.body.items.map((i) => i.metadata.name);
    expect(names).toContain('acme-web');
    expect(names).not.toContain('beta-db');
  });
  it("answers 404 for another tenant's object, on get, update and delete", async () => {
    expect((await alice.get(`${V1}/virtualmachines/beta-db`)).status).toBe(404);
    expect((await alice.del(`${V1}/virtualmachines/beta-db`)).status).toBe(404);
    expect((await alice.put(`${V1}/virtualmachines/beta-db`, vm('beta-db', 'beta', 2, 2048))).status).toBe(404);
    expect((await run.admin.get(`${V1}/virtualmachines/beta-db`)).status).toBe(200);
  });
  it("does not stream another tenant's changes to a watcher", async () => {
    const list = await alice.get<{ metadata: { resourceVersion: string } }>(`${V1}/virtualmachines`);
    const ctrl = new AbortController();
    const res = await fetch(`${run.platform.url}${V1}/virtualmachines?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, {
      headers: { authorization: `Bearer ${alice.token}` },
      signal: ctrl.signal,
    });
    expect((await bob.post(`${V1}/virtualmachines`, vm('beta-secret', 'beta', 1, 1024))).status).toBe(201);
    expect((await alice.post(`${V1}/virtualmachines`, vm('acme-marker', 'acme', 1, 1024))).status).toBe(201);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    while (!text.includes('"acme-marker"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
    ctrl.abort();
    expect(text).toContain('acme-marker');
    expect(text).not.toContain('beta-secret');
  });

  it('only lists its own tenant among tenants', async () => {
    const r = await alice.get<{ items: { metadata: { name: string } }[] }>(`${V1}/tenants`);
    expect(r.body.items.map((i) => i.metadata.name)).toEqual(['acme']);
  });
  it('cannot see hosts or zones (platform infrastructure)', async () => {
    expect((await alice.get(`${V1}/hosts`)).status).toBe(403);
  });
  it("cannot bind roles in another tenant or grant platform-admin", async () => {
    const other = await alice.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'x1' }, spec: { role: 'tenant-member', subjects: [{ kind: 'User', name: 'alice' }], tenant: 'beta' } });
    expect(other.status).toBe(403);
    const escalate = await alice.post<{ message: string }>(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'x2' }, spec: { role: 'platform-admin', subjects: [{ kind: 'User', name: 'alice' }], tenant: 'acme' } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.message).toMatch(/cannot bind role "platform-admin"/);
    const platformScope = await alice.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'x3' }, spec: { role: 'viewer', subjects: [{ kind: 'User', name: 'alice' }] } });
    expect(platformScope.status).toBe(403);
  });
  it('may bind tenant-member in its own tenant', async () => {
    const r = await alice.post(`${V1}/rolebindings`, { apiVersion: 'bulkhead.dev/v1', kind: 'RoleBinding', metadata: { name: 'acme-members' }, spec: { role: 'tenant-member', subjects: [{ kind: 'Group', name: 'acme-devs' }], tenant: 'acme' } });
    expect(r.status).toBe(201);
  });
});

describe('viewer', () => {
  it('reads everything and changes nothing', async () => {
    expect((await vic.get(`${V1}/hosts`)).status).toBe(200);
    const all = await vic.get<{ items: unknown[] }>(`${V1}/virtualmachines`);
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    expect((await vic.post(`${V1}/tenants`, tenant('vics', 'low'))).status).toBe(403);
    expect((await vic.del(`${V1}/virtualmachines/beta-db`)).status).toBe(403);
    expect((await vic.get('/audit/log')).status).toBe(403);
  });
});

describe('tokens', () => {
  it('are self-service and revocable', async () => {
    const t = await alice.post<{ token: string; name: string }>('/auth/tokens', { description: 'ci' });
    expect(t.status).toBe(201);
    const other = await alice.post('/auth/tokens', { user: 'bob' });
    expect(other.status).toBe(403);
    const mine = await alice.get<{ items: { metadata: { name: string }; spec: { user: string } }[] }>(`${V1}/tokens`);
    expect(mine.body.items.every((i) => i.spec.user === 'alice')).toBe(true);
    expect((await alice.del(`${V1}/tokens/${t.body.name}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100)); // past the authentication cache
    expect((await run.anon.as(t.body.token).get('/auth/whoami')).status).toBe(401);
  });
});

describe('audit', () => {
  it('records mutations and denials in an intact hash chain', async () => {
    const entries: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await run.admin.get<{ items: AuditEntry[] }>(`/audit/log?after=${after}&limit=200`);
      entries.push(...page.body.items);
      if (page.body.items.length < 200) break;
      after = entries[entries.length - 1]!.seq;
    }
    expect(verifyChain(entries).ok).toBe(true);
    const denial = entries.find((e) => e.user === 'alice' && e.verb === 'create' && e.resource === 'virtualmachines' && e.decision === 'deny');
    expect(denial).toMatchObject({ code: 403, tenant: 'beta' });
    expect(entries.some((e) => e.user === 'alice' && e.verb === 'create' && e.name === 'acme-web' && e.decision === 'allow' && e.code === 201)).toBe(true);
    expect(entries.some((e) => e.user === 'anonymous' && e.verb === 'login' && e.code === 401)).toBe(true);
    expect(entries.some((e) => e.user === 'alice' && e.verb === 'get' && e.name === 'beta-db' && e.decision === 'deny' && e.code === 404)).toBe(true);
  });
});
