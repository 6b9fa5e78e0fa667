/**
 * One line per maintenance run for the audit trail: what went (counts, bytes, and the first
 * artifact names), so `bulkhead audit` shows who deleted what even when nobody pushed a DELETE.
 */
import type { RetentionResult } from '../retention/types.js';
import type { GcResult } from './types.js';

const MAX_NAMES = 20;

function names(list: readonly string[], total: number): string {
  if (total === 0) return '';
  const shown = list.slice(0, MAX_NAMES).join(', ');
  return `: ${shown}${total > MAX_NAMES ? `, and ${total - MAX_NAMES} more` : ''}`;
}

export function gcSummary(r: GcResult): string {
  const verb = r.dryRun ? 'dry run, would delete' : 'deleted';
  const head = `${r.status}: ${verb} ${r.blobsDeleted} blob(s), ${r.bytesFreed} bytes; ${r.manifestsDeleted} untagged manifest(s)${names(r.manifests, r.manifestsDeleted)}; ${r.linksRemoved} dangling link(s); ${r.uploadsCancelled} abandoned upload(s)`;
  return r.error === undefined ? head : `${head}; error: ${r.error}`;
}

export function retentionSummary(r: RetentionResult): string {
  const deleted = r.repositories.flatMap((repo) => repo.deleted.map((d) => `${repo.repository}@${d.digest}${d.tags.length ? ` (${d.tags.join(',')})` : ''}`));
  const head = `${r.status}: ${r.dryRun ? 'dry run, would delete' : 'deleted'} ${r.deletedCount} artifact(s), kept ${r.keptCount}${names(deleted, r.deletedCount)}`;
  return r.error === undefined ? head : `${head}; error: ${r.error}`;
}
