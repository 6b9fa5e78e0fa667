// Registry access: Harbor roles from project members, public/private projects, Basic auth with a
// password, the Docker token flow, robot accounts (scope and expiry), quotas, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/store/store.js';
import { V1, startTestPlatform, type Running } from './harness.js';
import { Oci, blob, createProject, createUser, errorCode } from './registry-client.js';

let run: Running;
let admin: Oci;
const url = () => run.platform.url;

beforeAll(async () => {
  run = await startTestPlatform();
  await createUser(run, 'dana', 'dana-password-1', ['shop-devs']);
  await createUser(run, 'gus', 'gus-password-12');
  await createUser(run, 'eve', 'eve-password-12');
  await createProject(run, 'shop', 'acme', {
    members: [
      { kind: 'Group', name: 'shop-devs', role: 'developer' },
      { kind: 'User', name: 'gus', role: 'guest' },
    ],
  });
  await createProject(run, 'pub', 'acme', { public: true });
  admin = Oci.bearer(url(), run.platform.adminToken);
  await admin.pushImage('shop/app', 'v1', 1);
  await admin.pushImage('pub/base', 'v1', 1);
});
afterAll(async () => run?.stop());

async function mintRobot(body: Record<string, unknown>): Promise<{ username: string; token: string }> {
  const res = await run.admin.post<{ username: string; token: string }>('/registry/v1/robots', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('projects and roles', () => {
  it('a developer (by group) pushes and pulls with Basic user:password but may not delete', async () => {
    const dana = Oci.basic(url(), 'dana', 'dana-password-1');
    expect((await dana.fetch('GET', '/v2/')).status).toBe(200);
    const img = await dana.pushImage('shop/app', 'dana', 1);
    expect((await dana.fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    const del = await dana.fetch('DELETE', `/v2/shop/app/manifests/${img.digest}`);
    expect(del.status).toBe(403);
    expect(await errorCode(del)).toBe('DENIED');
  });

  it('a guest pulls but cannot push; a non-member is denied; a wrong password is 401 with a challenge', async () => {
    const gus = Oci.basic(url(), 'gus', 'gus-password-12');
    expect((await gus.fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    const push = await gus.pushBlob('shop/app', blob(10));
    expect(push.status).toBe(403);
    const eve = Oci.basic(url(), 'eve', 'eve-password-12');
    const denied = await eve.fetch('GET', '/v2/shop/app/manifests/v1');
    expect(denied.status).toBe(403);
    expect(await errorCode(denied)).toBe('DENIED');
    const bad = await Oci.basic(url(), 'gus', 'wrong-password').fetch('GET', '/v2/shop/app/manifests/v1');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('Bearer realm=');
  });

  it('a public project is pulled anonymously; pushes and private projects ask for credentials', async () => {
    const anon = new Oci(url());
    expect((await anon.fetch('GET', '/v2/pub/base/manifests/v1')).status).toBe(200);
    expect((await anon.fetch('GET', '/v2/pub/base/tags/list')).status).toBe(200);
    const push = await anon.pushBlob('pub/base', blob(10));
    expect(push.status).toBe(401);
    const priv = await anon.fetch('GET', '/v2/shop/app/manifests/v1');
    expect(priv.status).toBe(401);
    expect(priv.headers.get('www-authenticate')).toContain('scope="repository:shop/app:pull"');
  });

  it('the Docker token flow: Basic credentials for a short-lived bearer token; anonymous tokens stay anonymous', async () => {
    const res = await Oci.basic(url(), 'dana', 'dana-password-1').fetch('GET', '/v2/token?service=bulkhead&scope=repository:shop/app:pull,push');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expires_in: number };
    expect(body.expires_in).toBeGreaterThanOrEqual(60);
    expect((await Oci.bearer(url(), body.token).fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    const anon = (await (await new Oci(url()).fetch('GET', '/v2/token')).json()) as { token: string };
    expect((await Oci.bearer(url(), anon.token).fetch('GET', '/v2/pub/base/manifests/v1')).status).toBe(200);
    expect((await Oci.bearer(url(), anon.token).fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(401);
    expect((await Oci.bearer(url(), `${body.token}x`).fetch('GET', '/v2/')).status).toBe(401);
  });
});

describe('robot accounts', () => {
  it('gets exactly its permissions on its own project', async () => {
    const r = await mintRobot({ name: 'ci-pull', project: 'shop', permissions: ['pull'] });
    expect(r.username).toBe('robot$ci-pull');
    const robot = Oci.basic(url(), r.username, r.token);
    expect((await robot.fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    expect((await robot.pushBlob('shop/app', blob(5))).status).toBe(403);
    expect((await Oci.bearer(url(), r.token).fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    await createProject(run, 'other', 'acme');
    await admin.pushImage('other/x', 'v1', 0);
    expect((await robot.fetch('GET', '/v2/other/x/manifests/v1')).status).toBe(403);
    expect((await Oci.basic(url(), 'robot$someone-else', r.token).fetch('GET', '/v2/')).status).toBe(401);
    const pusher = await mintRobot({ name: 'ci-push', project: 'shop', permissions: ['pull', 'push'] });
    await Oci.basic(url(), pusher.username, pusher.token).pushImage('shop/app', 'from-ci', 1);
  });

  it('stops working when it expires', async () => {
    const r = await mintRobot({ name: 'short', project: 'shop', permissions: ['pull'], ttlSeconds: 1 });
    const robot = Oci.bearer(url(), r.token);
    expect((await robot.fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(200);
    await new Promise((res) => setTimeout(res, 1100));
    expect((await robot.fetch('GET', '/v2/shop/app/manifests/v1')).status).toBe(401);
  });

  it('only project admins or tenant admins may mint robots', async () => {
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: 'dana', password: 'dana-password-1' });
    const res = await run.anon.as(login.body.token).post('/registry/v1/robots', { name: 'sneaky', project: 'shop', permissions: ['push'] });
    expect(res.status).toBe(403);
  });
});

describe('quotas', () => {
  it('refuses a push over the storage quota with the numbers, counting a shared blob once', async () => {
    await createProject(run, 'tiny', 'acme', { quota: { storageBytes: 3000, artifacts: 2 } });
    const b = blob(1500);
    expect((await admin.pushBlob('tiny/a', b)).status).toBe(201);
    const m = await admin.fetch('POST', `/v2/tiny/b/blobs/uploads/?mount=${b.digest}&from=tiny/a`);
    expect(m.status).toBe(201);
    const big = blob(1600);
    const over = await admin.fetch('POST', `/v2/tiny/a/blobs/uploads/?digest=${big.digest}`, big.bytes, { 'content-type': 'application/octet-stream' });
    expect(over.status).toBe(403);
    const body = (await over.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors[0]?.code).toBe('DENIED');
    expect(body.errors[0]?.message).toMatch(/adding 1600 bytes of storage to the current 1500 would exceed the limit of 3000/);
    const project = await run.admin.get<{ status: { usage: { storageBytes: number } } }>(`${V1}/projects/tiny`);
    expect(project.body.status.usage.storageBytes).toBe(1500);
  });

  it('refuses a push over the artifact quota', async () => {
    await createProject(run, 'few', 'acme', { quota: { artifacts: 1 } });
    await admin.pushImage('few/a', 'v1', 0);
    const cfg = blob(3);
    await admin.pushBlob('few/a', cfg);
    const res = await admin.pushManifest('few/a', 'v2', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg.digest, size: 3 }, layers: [] })));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/artifact.*limit of 1/);
  });
});

describe('audit', () => {
  it('records pushes, pulls, deletes and denials of repositories with user, name and tenant', async () => {
    const img = await admin.pushImage('shop/audited', 'v1', 1);
    await admin.fetch('GET', '/v2/shop/audited/manifests/v1');
    await admin.fetch('DELETE', `/v2/shop/audited/manifests/${img.digest}`);
    await Oci.basic(url(), 'eve', 'eve-password-12').fetch('GET', '/v2/shop/audited/manifests/v1');
    await run.platform.store.revision();
    const items: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await run.admin.get<{ items: AuditEntry[] }>(`/audit/log?after=${after}&limit=1000`);
      items.push(...page.body.items);
      if (page.body.items.length < 1000) break;
      after = page.body.items[page.body.items.length - 1]?.seq ?? 0;
    }
    const repo = items.filter((e) => e.resource === 'repositories' && e.name?.startsWith('shop/audited'));
    const seen = repo.map((e) => `${e.verb}:${e.decision}:${e.user}`);
    expect(seen).toContain('push:allow:admin');
    expect(seen).toContain('pull:allow:admin');
    expect(seen).toContain('delete:allow:admin');
    expect(seen).toContain('pull:deny:eve');
    expect(repo.every((e) => e.tenant === 'acme')).toBe(true);
    const push = repo.find((e) => e.verb === 'push');
    expect(push?.name).toBe(`shop/audited:v1@${img.digest}`);
  });
});
