/**
 * The advisory database behind scans: OSV JSON and zip files under `<data>/registry/osv/`, loaded
 * on first use and loaded again when the files change (a file added, removed, replaced or
 * touched), checked at most every `recheckMs` of wall time, so an operator who drops in a new
 * osv.dev export does not have to restart the server. A failed load keeps the previous database.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AdvisoryStore } from './osv.js';

/** A cheap fingerprint of a directory tree: every file's path, size and modification time. */
export async function treeSignature(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        const st = await stat(p).catch(() => undefined);
        if (st) parts.push(`${p}\0${st.size}\0${st.mtimeMs}`);
      }
    }
  };
  await walk(dir);
  return parts.join('\n');
}

export interface AdvisorySourceOptions {
  /** How often, at most, the directory is looked at again (default 10 s). */
  readonly recheckMs?: number;
  /** Wall time (injectable for tests). */
  readonly now?: () => number;
}

/** A loader for `dir`; each call returns the current database. */
export function advisoriesFrom(dir: string, opts: AdvisorySourceOptions = {}): () => Promise<AdvisoryStore> {
  const recheckMs = opts.recheckMs ?? 10_000;
  const now = opts.now ?? Date.now;
  let current: { store: AdvisoryStore; signature: string } | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<AdvisoryStore> | undefined;

  const load = async (): Promise<AdvisoryStore> => {
    const signature = await treeSignature(dir);
    if (current && signature === current.signature) return current.store;
    const store = new AdvisoryStore();
    if (await stat(dir).catch(() => undefined)) await store.importPath(dir);
    current = { store, signature };
    return store;
  };

  return () => {
    if (pending) return pending;
    if (current && now() - checkedAt < recheckMs) return Promise.resolve(current.store);
    checkedAt = now();
    pending = load()
      .catch((err: unknown) => {
        if (current) return current.store;
        throw err;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
