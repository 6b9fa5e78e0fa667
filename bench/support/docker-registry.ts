/**
 * Starts `docker-registry` 2.8.2 (Debian package `docker-registry`) on loopback with its own
 * storage directory and no auth, for replication tests and side-by-side benchmarks. Never uses the
 * systemd service or the shipped config (which listens on every interface); see
 * shared/reference/registry.md §5.2.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DockerRegistry {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT`, as image references and skopeo want it. */
  readonly host: string;
  readonly root: string;
  stop(): Promise<void>;
}

/** True when the `docker-registry` binary is installed. */
export function hasDockerRegistry(): boolean {
  try {
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`docker-registry did not answer on ${url} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a private docker-registry; `stop()` kills it and removes its storage. */
export async function startDockerRegistry(): Promise<DockerRegistry> {
  const root = await mkdtemp(join(tmpdir(), 'bh-docker-registry-'));
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog: { disabled: true }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(root, 'data')} }`,
    '  delete: { enabled: true }',
    '  cache: { blobdescriptor: inmemory }',
    '  maintenance:',
    '    uploadpurging: { enabled: false }',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: bulkhead-test-secret',
    '',
  ].join('\n');
  const cfg = join(root, 'config.yml');
  await writeFile(cfg, config);
  const child = spawn('docker-registry', ['serve', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUp(url, child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    root,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
