/**
 * Reads the blob store's files straight from disk (the store's interface has no listing): the
 * committed blobs under `<root>/blobs/<alg>/<2 hex>/<hex>` and the uploads in flight under
 * `<root>/uploads/<uuid>/`. Removal still goes through the BlobStore (remove, cancel).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DIGEST_ALGORITHMS, isDigest } from '../names.js';

export interface BlobFile {
  readonly digest: string;
  readonly size: number;
  /**
   * When the file last changed (ms): the later of mtime and ctime. A commit renames the upload
   * into place, which sets ctime even when the bytes were written long before, so a blob that is
   * committed but not linked yet always looks new.
   */
  readonly changedAt: number;
}

export interface UploadDir {
  readonly id: string;
  /** When the upload last received bytes or was created (ms). */
  readonly touchedAt: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Path of a committed blob (the store's layout). */
export function blobFilePath(root: string, digest: string): string {
  const [alg, hex] = digest.split(':') as [string, string];
  return join(root, 'blobs', alg, hex.slice(0, 2), hex);
}

/** Size and change time of a committed blob, or undefined when it is not there. */
export async function statBlob(root: string, digest: string): Promise<BlobFile | undefined> {
  const st = await stat(blobFilePath(root, digest)).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  return { digest, size: st.size, changedAt: Math.max(st.mtimeMs, st.ctimeMs) };
}

/** Every committed blob file whose name is a valid digest (anything else is left alone). */
export async function listBlobFiles(root: string): Promise<BlobFile[]> {
  const out: BlobFile[] = [];
  for (const alg of DIGEST_ALGORITHMS) {
    for (const prefix of await entries(join(root, 'blobs', alg))) {
      if (!prefix.isDirectory()) continue;
      for (const f of await entries(join(root, 'blobs', alg, prefix.name))) {
        const digest = `${alg}:${f.name}`;
        if (!f.isFile() || !isDigest(digest) || !f.name.startsWith(prefix.name)) continue;
        const info = await statBlob(root, digest);
        if (info) out.push(info);
      }
    }
  }
  return out.sort((a, b) => a.digest.localeCompare(b.digest));
}

/** Last activity of one upload: the newest mtime of its directory, data and info files. */
export async function uploadTouchedAt(root: string, id: string): Promise<number | undefined> {
  const dir = join(root, 'uploads', id);
  const times = await Promise.all([dir, join(dir, 'data'), join(dir, 'info.json')].map((p) => stat(p).then((s) => s.mtimeMs).catch(() => undefined)));
  const known = times.filter((t): t is number => t !== undefined);
  return known.length === 0 ? undefined : Math.max(...known);
}

/** Upload directories (named by UUID) with their last activity. */
export async function listUploads(root: string): Promise<UploadDir[]> {
  const out: UploadDir[] = [];
  for (const e of await entries(join(root, 'uploads'))) {
    if (!e.isDirectory() || !UUID_RE.test(e.name)) continue;
    const touchedAt = await uploadTouchedAt(root, e.name);
    if (touchedAt !== undefined) out.push({ id: e.name, touchedAt });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
