// A server killed with SIGKILL in the middle of writes restarts with every acknowledged write
// present and no torn object. Runs the real compiled CLI (`bulkhead server`) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, eventually, V1 } from './harness.js';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(dataDir: string, port: number): Promise<{ child: ChildProcess; api: Api }> {
  const child = spawn(process.execPath, [CLI, 'server', '--port', String(port), '--data', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => ((await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined), 20_000, `server up (${stderr})`);
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  return { child, api: new Api(url, token) };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('crash durability', () => {
  it('keeps every acknowledged write across kill -9', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bulkhead-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    const { child, api } = await startServer(dataDir, port);
    const acked = new Map<string, string>(); // name -> displayName acknowledged
    let stop = false;
    let n = 0;
    const worker = async (w: number) => {
      while (!stop) {
        const name = `t-${w}-${n++}`;
        const displayName = `tenant ${name} ${'x'.repeat(200)}`;
        const r = await api
          .post(`${V1}/tenants`, { apiVersion: 'bulkhead.dev/v1', kind: 'Tenant', metadata: { name }, spec: { sensitivity: 'moderate', displayName } })
          .catch(() => undefined);
        if (r?.status === 201) acked.set(name, displayName);
        else if (r === undefined) return; // the server is gone
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    await eventually(async () => (acked.size >= 400 ? true : undefined), 30_000, '400 acknowledged writes');
    const gone = exited(child);
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await gone;

    const again = await startServer(dataDir, port);
    try {
      const list = await again.api.get<{ items: { metadata: { name: string }; spec: { sensitivity: string; displayName: string } }[] }>(`${V1}/tenants`);
      expect(list.status).toBe(200);
      const stored = new Map(list.body.items.map((t) => [t.metadata.name, t]));
      for (const [name, displayName] of acked) {
        const t = stored.get(name);
        expect(t, `acknowledged ${name} missing after restart`).toBeDefined();
        expect(t!.spec).toEqual({ sensitivity: 'moderate', displayName });
      }
      // The audit chain survived too and still verifies.
      const verify = await again.api.get<{ items: { seq: number }[] }>('/audit/log?after=0&limit=1');
      expect(verify.status).toBe(200);
    } finally {
      const gone2 = exited(again.child);
      again.child.kill('SIGTERM');
      await gone2;
    }
  }, 90_000);
});
