// kill -9 durability: a child process writes and acknowledges, is killed mid-stream, and every acknowledged write must survive intact.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';

const writer = fileURLToPath(new URL('../../../dist/src/store/sqlite/crash-writer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until `acks` acknowledgements, SIGKILLs it, and returns the complete ack lines. */
function runAndKill(path: string, tag: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (!killed && out.split('\n').length > acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      const lines = out.split('\n');
      lines.pop(); // a line without its newline may be torn; only complete lines were acknowledged
      resolve(lines);
    });
  });
}

describe('sqlite durability', () => {
  it('keeps every acknowledged write, untorn, across kill -9', async () => {
    if (!existsSync(writer)) throw new Error(`${writer} missing: build first (npx tsc -p tsconfig.build.json)`);
    const path = join(dir, 'crash.db');
    const acked = new Map<string, number>();
    for (let round = 0; round < 2; round++) {
      for (const line of await runAndKill(path, `r${round}`, 300)) {
        const [name, rv] = line.split(' ');
        if (!name || !rv) throw new Error(`bad ack line ${JSON.stringify(line)}`);
        acked.set(name, Math.max(acked.get(name) ?? 0, Number(rv)));
      }
    }
    expect(acked.size).toBeGreaterThan(300);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    for (const row of raw.prepare<[], { data: string }>('SELECT data FROM objects').all()) expect(() => JSON.parse(row.data)).not.toThrow();
    raw.close();

    const store = await openSqliteStore({ path });
    try {
      const items = new Map((await store.list('Item', { namespace: 'crash' })).items.map((o) => [o.metadata.name, o]));
      for (const [name, rv] of acked) {
        const obj = items.get(name);
        expect(obj, name).toBeDefined();
        expect(Number(obj?.metadata.resourceVersion), name).toBeGreaterThanOrEqual(rv);
      }
      // The revision counter and history survived with the objects: a watch from 0 replays every write.
      const last = await store.revision();
      const revisions: number[] = [];
      const w = await store.watch({ fromRevision: 0 }, { onEvent: (e) => revisions.push(e.revision) });
      const end = Date.now() + 5000;
      while (revisions.length < last && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      w.close();
      expect(revisions).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    } finally {
      await store.close();
    }
  });
});
