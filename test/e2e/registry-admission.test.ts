// Admission rules for registry projects: a project belongs to an existing tenant, for good, and
// cannot be deleted while it still holds repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, V1, type Running } from './harness.js';
import { createProject, Oci } from './registry-client.js';

let run: Running;
beforeAll(async () => {
  run = await startTestPlatform();
});
afterAll(async () => run?.stop());

const project = (name: string, tenant: string) => ({ apiVersion: 'bulkhead.dev/v1', kind: 'Project', metadata: { name }, spec: { tenant } });

describe('project admission', () => {
  it('refuses a project of a tenant that does not exist, naming spec.tenant', async () => {
    const r = await run.admin.post<{ message: string }>(`${V1}/projects`, project('ghost-images', 'ghost'));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.tenant: tenant "ghost" does not exist/);
  });

  it("refuses to move a project to another tenant", async () => {
    await createProject(run, 'moving', 'acme');
    await run.admin.post(`${V1}/tenants`, { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name: 'other' }, spec: { sensitivity: 'low' } });
    const r = await run.admin.put<{ message: string }>(`${V1}/projects/moving`, project('moving', 'other'));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.tenant: field is immutable/);
  });

  it('refuses a member who is not a user, naming the field', async () => {
    await createProject(run, 'members', 'acme');
    const cur = await run.admin.get<{ metadata: { resourceVersion: string }; spec: Record<string, unknown> }>(`${V1}/projects/members`);
    const r = await run.admin.put<{ message: string }>(`${V1}/projects/members`, {
      ...project('members', 'acme'),
      spec: { ...cur.body.spec, members: [{ kind: 'User', name: 'nobody', role: 'developer' }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/spec\.members\[0\]\.name: user "nobody" does not exist/);
  });

  it('refuses to delete a project that holds repositories, and deletes an empty one', async () => {
    await createProject(run, 'full', 'acme');
    await Oci.bearer(run.platform.url, run.platform.adminToken).pushImage('full/app', 'v1');
    const r = await run.admin.del<{ message: string }>(`${V1}/projects/full`);
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/still holds repositories/);
    await createProject(run, 'empty', 'acme');
    expect((await run.admin.del(`${V1}/projects/empty`)).status).toBe(200);
  });
});
