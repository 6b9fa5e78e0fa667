/** One list page over an ObjectReader: label filtering, keyset paging and the continue token. */
import { ValidationError, type Resource } from '../../api/index.js';
import { matchesSelector, toRequirements } from '../label-selector.js';
import type { ListOptions, ListResult } from '../store.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { ObjectReader } from './engine.js';

const FULL_CHUNK = 1000;

/**
 * Lists `kind` in (namespace, name) order. Pages are keyset-based, so an item that exists
 * throughout a paged walk is returned exactly once. `revision` is the first page's (or
 * `fixedRevision`, inside a transaction), which is the safe point to start a watch from.
 */
export async function listObjects<T extends Resource>(
  reader: ObjectReader,
  kind: string,
  opts: ListOptions | undefined,
  fixedRevision?: number,
): Promise<ListResult<T>> {
  const reqs = toRequirements(opts?.labelSelector);
  const limit = opts?.limit ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 0) throw ValidationError.field('limit', 'must be a non-negative integer');
  let after = { namespace: opts?.namespace ?? '', name: '' };
  let revision = fixedRevision;
  if (opts?.continue) {
    const c = decodeContinue(opts.continue);
    after = { namespace: c.namespace, name: c.name };
    revision = c.revision;
  }
  const chunkSize = limit === 0 ? FULL_CHUNK : reqs.length === 0 ? limit + 1 : Math.max(limit + 1, 200);
  const items: T[] = [];
  for (;;) {
    const chunk = await reader.listChunk(kind, opts?.namespace, after, chunkSize);
    revision ??= chunk.revision;
    for (const json of chunk.rows) {
      const obj = JSON.parse(json) as T;
      after = { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name };
      if (!matchesSelector(obj.metadata.labels, reqs)) continue;
      if (limit > 0 && items.length === limit) {
        const last = items[limit - 1];
        const cursor = { namespace: last?.metadata.namespace ?? '', name: last?.metadata.name ?? '', revision };
        return { items, revision, continue: encodeContinue(cursor) };
      }
      items.push(obj);
    }
    if (chunk.rows.length < chunkSize) return { items, revision };
  }
}
