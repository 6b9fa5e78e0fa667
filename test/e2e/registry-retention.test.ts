// Tag retention end to end: a project's rules from its spec, images and signatures pushed over
// /v2, POST /registry/v1/projects/{project}/retention (dry run, roles), what stays pullable, the
// quota it frees (with the garbage collection after it), history, audit and the CLI command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/cli/client.js';
import { registryRetentionCommand } from '../../src/cli/commands/registry-maintenance.js';
import { render } from '../../src/cli/render.js';
import { ScaledClock } from '../../src/clock/index.js';
import type { AuditEntry } from '../../src/store/index.js';
import { fakeContext } from '../cli/fake-context.js';
import { Api, V1, eventually, startTestPlatform, type Running } from './harness.js';
import { SkewClock } from './skew-clock.js';
import { OCI_MANIFEST, Oci, blob, createProject, createUser, digestOf, imageManifest } from './registry-client.js';

const HOUR = 3_600_000;

interface Pushed {
  readonly digest: string;
  /** Bytes it adds to a project: manifest, config and layers. */
  readonly bytes: number;
}

interface RetentionRun {
  id: string;
  status: string;
  dryRun: boolean;
  keptCount: number;
  deletedCount: number;
  repositories: { repository: string; kept: { digest: string; tags: string[]; reasons: string[] }[]; deleted: { digest: string; tags: string[] }[] }[];
  untouched: string[];
}

const clock = new SkewClock();
let run: Running;
let admin: Oci;
const users: Record<string, Api> = {};
const images: Record<string, Pushed> = {};

/** A one-layer image; `subject` makes it an OCI referrer (pushed by digest when `tag` is undefined). */
async function push(repo: string, tag: string | undefined, subject?: Pushed): Promise<Pushed> {
  const config = blob(120);
  const layer = blob(600 + Math.floor(Math.random() * 400));
  for (const b of [config, layer]) expect((await admin.pushBlob(repo, b)).status).toBe(201);
  const manifest = imageManifest(config, [layer], subject ? { subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: 1 } } : {});
  const digest = digestOf(manifest);
  const res = await admin.pushManifest(repo, tag ?? digest, manifest);
  expect(res.status, await res.clone().text()).toBe(201);
  return { digest, bytes: manifest.length + config.bytes.length + layer.bytes.length };
}

const cosignTag = (p: Pushed) => `${p.digest.replace(':', '-')}.sig`;
const status = async (repo: string, ref: string) => (await admin.fetch('HEAD', `/v2/${repo}/manifests/${ref}`)).status;
const usage = async (project: string) => (await run.admin.get<{ status: { usage: { storageBytes: number; artifacts: number } } }>(`${V1}/projects/${project}`)).body.status.usage;
const retention = (as: Api, project: string, body: Record<string, unknown> = {}) => as.post<RetentionRun>(`/registry/v1/projects/${project}/retention`, body);

beforeAll(async () => {
  run = await startTestPlatform({ controlClock: clock });
  for (const [name, role] of [['mia', 'maintainer'], ['dev', 'developer'], ['gil', 'guest']] as const) {
    await createUser(run, name, `${name}-secret-pw`);
    const login = await run.anon.post<{ token: string }>('/auth/login', { username: name, password: `${name}-secret-pw` });
    users[role] = run.anon.as(login.body.token);
  }
  await createProject(run, 'rel', 'acme', {
    members: [
      { kind: 'User', name: 'mia', role: 'maintainer' },
      { kind: 'User', name: 'dev', role: 'developer' },
      { kind: 'User', name: 'gil', role: 'guest' },
    ],
    immutableTags: [{ tags: 'pinned' }],
    retention: {
      rules: [
        { repositories: 'app', tags: 'v*', latestPushed: 2 },
        { repositories: 'app', tags: 'release-*', always: true },
      ],
    },
  });
  await createProject(run, 'norules', 'acme');
  admin = Oci.bearer(run.platform.url, run.platform.adminToken);
  images.release = await push('rel/app', 'release-1');
  for (let i = 1; i <= 5; i++) images[`v${i}`] = await push('rel/app', `v${i}`);
  images.untagged = await push('rel/app', undefined);
  images.pinned = await push('rel/app', 'pinned');
  images.sigV5 = await push('rel/app', cosignTag(images.v5!));
  images.sigV1 = await push('rel/app', cosignTag(images.v1!));
  images.refV4 = await push('rel/app', undefined, images.v4);
  images.refV2 = await push('rel/app', undefined, images.v2);
  for (let i = 1; i <= 3; i++) images[`cache${i}`] = await push('rel/cache', `v${i}`);
}, 60_000);
afterAll(async () => run?.stop());

const KEPT = ['release', 'v4', 'v5', 'pinned', 'sigV5', 'refV4'];
const DELETED = ['v1', 'v2', 'v3', 'untagged', 'sigV1', 'refV2'];
const digests = (names: string[]) => names.map((n) => images[n]!.digest).sort();

describe('POST /registry/v1/projects/{project}/retention', () => {
  it('checks roles: a guest may not even dry-run, a developer may dry-run but not run; unknown project 404; no rules 422', async () => {
    expect((await retention(users.guest!, 'rel', { dryRun: true })).status).toBe(403);
    expect((await retention(users.developer!, 'rel', { dryRun: true })).status).toBe(200);
    const denied = await retention(users.developer!, 'rel');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    expect((await retention(run.admin, 'nope')).status).toBe(404);
    const none = await retention(run.admin, 'norules');
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({ kind: 'Status', reason: 'Invalid' });
  });

  it('a dry run reports what would go and deletes nothing', async () => {
    const dry = await retention(run.admin, 'rel', { dryRun: true });
    expect(dry.status).toBe(200);
    const app = dry.body.repositories.find((r) => r.repository === 'rel/app');
    expect(app?.deleted.map((d) => d.digest).sort()).toEqual(digests(DELETED));
    expect(dry.body.untouched).toEqual(['rel/cache']);
    for (const n of DELETED) expect(await status('rel/app', images[n]!.digest), n).toBe(200);
  });

  it('keeps the latest N by push time, tag patterns, immutable tags and signatures of kept images; deletes the rest and frees quota', async () => {
    const before = await usage('rel');
    const r = await retention(users.maintainer!, 'rel');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('Succeeded');
    const app = r.body.repositories.find((x) => x.repository === 'rel/app');
    expect(app?.kept.map((k) => k.digest).sort()).toEqual(digests(KEPT));
    expect(app?.deleted.map((d) => d.digest).sort()).toEqual(digests(DELETED));
    expect(app?.kept.find((k) => k.digest === images.pinned!.digest)?.reasons).toEqual(['immutable tag pinned']);
    expect(app?.kept.find((k) => k.digest === images.sigV5!.digest)?.reasons).toEqual([`accessory of ${images.v5!.digest}`]);
    for (const n of KEPT) expect(await status('rel/app', images[n]!.digest), n).toBe(200);
    for (const n of DELETED) expect(await status('rel/app', images[n]!.digest), n).toBe(404);
    for (const t of ['v4', 'v5', 'release-1', 'pinned', cosignTag(images.v5!)]) expect(await status('rel/app', t), t).toBe(200);
    for (const t of ['v1', 'v2', 'v3', cosignTag(images.v1!)]) expect(await status('rel/app', t), t).toBe(404);
    for (let i = 1; i <= 3; i++) expect(await status('rel/cache', `v${i}`)).toBe(200); // no rule matches rel/cache

    const after = await usage('rel');
    expect(after.artifacts).toBe(before.artifacts - DELETED.length);
    expect(after.storageBytes).toBeLessThan(before.storageBytes);
    // The layers and configs of deleted artifacts are released by garbage collection after the window.
    clock.skip(3 * HOUR);
    expect((await run.admin.post('/registry/v1/gc', {})).status).toBe(200);
    const remaining = [...KEPT, 'cache1', 'cache2', 'cache3'].reduce((n, k) => n + images[k]!.bytes, 0);
    expect(await usage('rel')).toEqual({ storageBytes: remaining, artifacts: KEPT.length + 3 });
  });

  it('records the run in the project history and the audit trail (verb retention, deleted artifacts named)', async () => {
    const h = await run.admin.get<{ items: RetentionRun[] }>('/registry/v1/projects/rel/retention');
    expect(h.status).toBe(200);
    expect(h.body.items.map((i) => i.dryRun)).toEqual([false, true, true]);
    expect((await users.guest!.get('/registry/v1/projects/rel/retention')).status).toBe(200);
    const log = await run.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
    const entry = log.body.items.filter((e) => e.verb === 'retention' && e.decision === 'allow' && e.user === 'mia').pop();
    expect(entry).toMatchObject({ name: 'rel', tenant: 'acme', code: 200 });
    expect(entry?.reason).toContain(`deleted ${DELETED.length} artifact(s)`);
    expect(entry?.reason).toContain(`rel/app@${images.v1!.digest} (v1)`);
  });

  it('bulkhead registry retention prints kept and deleted artifacts with why', async () => {
    images.v6 = await push('rel/app', 'v6');
    const ctx = fakeContext({ client: new ApiClient({ baseUrl: run.platform.url, token: run.platform.adminToken }) });
    const out = await registryRetentionCommand.handler(ctx, { args: ['rel'], opts: { dryRun: true } });
    const text = (await render(out, { format: 'table', color: false })).stdout;
    expect(text).toMatch(/^retention-\S+: Succeeded in [\d.]+s; project rel: would delete 2, kept \d+ \(dry run/);
    expect(text).toMatch(/REPOSITORY\s+DIGEST\s+TAGS\s+ACTION\s+WHY/);
    expect(text).toMatch(/rel\/app\s+sha256:\w{12}\s+v4\s+delete\s+no rule keeps it/);
    expect(text).toMatch(/rel\/app\s+sha256:\w{12}\s+v6\s+keep\s+rule 1 \(latest 2 pushed, tags v\*\)/);
    expect(text).toContain('not matched by any rule (untouched): rel/cache');
  });
});

describe('scheduled retention', () => {
  it('runs on the platform clock every `everyMinutes`, as system:retention, audited', async () => {
    // 3000 platform seconds per wall second: the one-minute schedule check comes every 20 ms.
    const fast = await startTestPlatform({ controlClock: new ScaledClock(3000) });
    try {
      await createProject(fast, 'sched', 'acme', { retention: { rules: [{ tags: '**', latestPushed: 1 }], everyMinutes: 5 } });
      const oci = Oci.bearer(fast.platform.url, fast.platform.adminToken);
      const first = await oci.pushImage('sched/app', 'v1', 1);
      await oci.pushImage('sched/app', 'v2', 1);
      await eventually(async () => ((await oci.fetch('HEAD', `/v2/sched/app/manifests/${first.digest}`)).status === 404 ? true : undefined), 15_000, 'the scheduled run');
      expect((await oci.fetch('HEAD', '/v2/sched/app/manifests/v2')).status).toBe(200);
      const h = await fast.admin.get<{ items: (RetentionRun & { user: string })[] }>('/registry/v1/projects/sched/retention');
      expect(h.body.items[0]).toMatchObject({ user: 'system:retention', dryRun: false, status: 'Succeeded' });
      const log = await fast.admin.get<{ items: AuditEntry[] }>('/audit/log?after=0&limit=1000');
      expect(log.body.items.some((e) => e.verb === 'retention' && e.user === 'system:retention' && e.name === 'sched')).toBe(true);
    } finally {
      await fast.stop();
    }
  });
});
