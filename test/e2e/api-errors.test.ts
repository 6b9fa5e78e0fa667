// Bad input and faults at the API edge: each gets a 4xx Status naming what is wrong, nothing is
// half-written, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../src/clock/index.js';
import { startTestPlatform, tenant, V1, vm, type Running } from './harness.js';

interface Status {
  kind: string;
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { field: string; message: string }[] };
}

let run: Running;
beforeAll(async () => {
  // The control plane's clock runs 2000x faster here so a token's 60 s lifetime passes in 30 ms.
  run = await startTestPlatform({ bodyLimitBytes: 64 * 1024, controlClock: new ScaledClock(2000) });
  expect((await run.admin.post(`${V1}/tenants`, tenant('acme', 'moderate'))).status).toBe(201);
});
afterAll(async () => run?.stop());

describe('public endpoints', () => {
  it('serves version, health and the OpenAPI document without a token', async () => {
    const v = await run.anon.get<{ version: string; apiVersion: string }>('/version');
    expect(v.status).toBe(200);
    expect(v.body.apiVersion).toBe('bulkhead.dev/v1');
    expect((await run.anon.get('/healthz')).status).toBe(200);
    const doc = await run.anon.get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain(`${V1}/virtualmachines/{name}`);
  });
});

describe('authentication', () => {
  it('refuses a request without a token with a 401 Status', async () => {
    const r = await run.anon.get<Status>(`${V1}/hosts`);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
  });
  it('refuses unknown and malformed tokens', async () => {
    const unknown = await run.anon.as('bh_aaaaaaaaaaaa.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').get<Status>(`${V1}/hosts`);
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toMatch(/unknown or revoked token/);
    const malformed = await run.anon.as('nonsense').get<Status>(`${V1}/hosts`);
    expect(malformed.status).toBe(401);
    expect(malformed.body.message).toMatch(/malformed/);
  });
  it('refuses an expired token', async () => {
    await run.admin.post(`${V1}/users`, { apiVersion: 'bulkhead.dev/v1', kind: 'User', metadata: { name: 'shortlived' } });
    const minted = await run.admin.post<{ token: string }>('/auth/tokens', { user: 'shortlived', ttlSeconds: 60 });
    expect(minted.status).toBe(201);
    // The platform clock runs 2000x faster than wall time: 60 s pass in 30 ms.
    await new Promise((r) => setTimeout(r, 1200));
    const r = await run.anon.as(minted.body.token).get<Status>('/auth/whoami');
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/expired/);
  });
});

describe('validation', () => {
  it('rejects malformed JSON with 400', async () => {
    const r = await run.admin.req<Status>('POST', `${V1}/tenants`, '{"kind": "Tenant", ', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/malformed JSON/);
  });
  it('rejects malformed YAML with 400 and the line', async () => {
    const r = await run.admin.req<Status>('POST', `${V1}/tenants`, 'kind: Tenant\nmetadata:\n  name: [unclosed\n', { 'content-type': 'application/yaml' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/malformed YAML/);
  });
  it('accepts YAML bodies', async () => {
    const r = await run.admin.req('POST', `${V1}/tenants`, 'apiVersion: bulkhead.dev/v1\nkind: Tenant\nmetadata:\n  name: yaml-co\nspec:\n  sensitivity: low\n', { 'content-type': 'application/yaml' });
    expect(r.status).toBe(201);
  });
  it('rejects an unknown resource type with 404', async () => {
    const r = await run.admin.post<Status>(`${V1}/widgets`, { kind: 'Widget', metadata: { name: 'x' } });
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/widgets/);
  });
  it('rejects a kind that does not match the URL', async () => {
    const r = await run.admin.post<Status>(`${V1}/tenants`, { apiVersion: 'bulkhead.dev/v1', kind: 'Zone', metadata: { name: 'z' } });
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.[0]?.field).toBe('kind');
  });
  it('names missing and wrong-typed fields', async () => {
    const r = await run.admin.post<Status>(`${V1}/virtualmachines`, vm('bad', 'acme', 'four' as unknown as number, 1024));
    expect(r.status).toBe(422);
    expect(r.body.details?.causes?.map((c) => c.field)).toContain('spec.cpus');
    const missing = await run.admin.post<Status>(`${V1}/virtualmachines`, { apiVersion: 'bulkhead.dev/v1', kind: 'VirtualMachine', metadata: { name: 'bad' }, spec: { tenant: 'acme', cpus: 2 } });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/spec\.memoryMiB: required field is missing/);
  });
  it('names unsupported enum values with the allowed ones', async () => {
    const r = await run.admin.post<Status>(`${V1}/tenants`, tenant('bad-level', 'secret' as 'low'));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.sensitivity: unsupported value "secret"; must be one of "low", "moderate", "high"/);
  });
  it('rejects names that are not DNS labels', async () => {
    for (const name of ['Upper', 'has_underscore', '-lead', 'x'.repeat(64)]) {
      const r = await run.admin.post<Status>(`${V1}/tenants`, tenant(name, 'low'));
      expect(r.status, name).toBe(422);
      expect(r.body.details?.causes?.[0]?.field).toBe('metadata.name');
    }
  });
  it('rejects unknown fields', async () => {
    const r = await run.admin.post<Status>(`${V1}/tenants`, { ...tenant('extra', 'low'), spec: { sensitivity: 'low', colour: 'red' } });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.colour: unknown field/);
  });
  it('rejects a VM of a tenant that does not exist, naming spec.tenant', async () => {
    const r = await run.admin.post<Status>(`${V1}/virtualmachines`, vm('orphan', 'nobody', 2, 2048));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.tenant: tenant "nobody" does not exist/);
  });
  it('rejects bodies over the limit with 413 and keeps serving', async () => {
    const big = { ...tenant('big', 'low'), metadata: { name: 'big', annotations: { blob: 'x'.repeat(70 * 1024) } } };
    const r = await run.admin.post<Status>(`${V1}/tenants`, big);
    expect(r.status).toBe(413);
    expect(r.body.reason).toBe('RequestEntityTooLarge');
    expect((await run.admin.get(`${V1}/tenants/big`)).status).toBe(404);
    expect((await run.admin.get(`${V1}/tenants/acme`)).status).toBe(200);
  });
  it('rejects a create of a taken name with 409 AlreadyExists', async () => {
    const r = await run.admin.post<Status>(`${V1}/tenants`, tenant('acme', 'low'));
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('AlreadyExists');
  });
  it('rejects an update with a stale resourceVersion with 409 Conflict and keeps the newer write', async () => {
    const cur = await run.admin.get<{ metadata: { resourceVersion: string } }>(`${V1}/tenants/acme`);
    const rv = cur.body.metadata.resourceVersion;
    const first = await run.admin.put(`${V1}/tenants/acme`, { ...tenant('acme', 'moderate'), metadata: { name: 'acme', resourceVersion: rv }, spec: { sensitivity: 'moderate', displayName: 'Acme One' } });
    expect(first.status).toBe(200);
    const stale = await run.admin.put<Status>(`${V1}/tenants/acme`, { ...tenant('acme', 'moderate'), metadata: { name: 'acme', resourceVersion: rv }, spec: { sensitivity: 'moderate', displayName: 'Acme Two' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    const now = await run.admin.get<{ spec: { displayName: string } }>(`${V1}/tenants/acme`);
    expect(now.body.spec.displayName).toBe('Acme One');
  });
  it('rejects changes to immutable fields', async () => {
    const r = await run.admin.put<Status>(`${V1}/tenants/acme`, tenant('acme', 'low'));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.sensitivity: field is immutable/);
  });
  it('rejects bad query parameters with 400', async () => {
    const r = await run.admin.get<Status>(`${V1}/hosts?limit=ten`);
    expect(r.status).toBe(400);
    const sel = await run.admin.get<Status>(`${V1}/hosts?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(sel.status).toBe(422);
    expect(sel.body.message).toMatch(/labelSelector/);
  });
  it('refuses to create hosts through the API', async () => {
    const r = await run.admin.post<Status>(`${V1}/hosts`, { kind: 'Host', metadata: { name: 'h' }, spec: {} });
    expect(r.status).toBe(405);
  });
});
