/**
 * The audit log's hash chain: each entry's hash covers the previous entry's hash and its own
 * canonical content, so editing, dropping or reordering any entry breaks every hash after it.
 * Both stores use `chainEntry` to append; `verifyChain` is what `bulkhead audit log --verify` runs.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from './store.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function recordOf(e: AuditRecord): AuditRecord {
  return {
    time: e.time,
    user: e.user,
    verb: e.verb,
    resource: e.resource,
    namespace: e.namespace,
    name: e.name,
    tenant: e.tenant,
    decision: e.decision,
    code: e.code,
    reason: e.reason,
    sourceIp: e.sourceIp,
    requestId: e.requestId,
  };
}

export function auditHash(prevHash: string, seq: number, record: AuditRecord): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson({ seq, ...recordOf(record) }))
    .digest('hex');
}

/** Builds the entry that follows `prev` (undefined for the first). */
export function chainEntry(prev: { seq: number; hash: string } | undefined, record: AuditRecord): AuditEntry {
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? GENESIS_HASH;
  return { ...recordOf(record), seq, prevHash, hash: auditHash(prevHash, seq, record) };
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly checked: number;
  /** The first entry whose link or hash does not hold. */
  readonly firstBadSeq?: number;
  readonly problem?: string;
}

/**
 * Checks a run of consecutive entries. `prev` is the entry before the first one given (undefined
 * when the run starts at seq 1).
 */
export function verifyChain(entries: readonly AuditEntry[], prev?: { seq: number; hash: string }): ChainVerdict {
  let last = prev;
  let checked = 0;
  for (const e of entries) {
    const expectedSeq = (last?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) return { ok: false, checked, firstBadSeq: e.seq, problem: `expected seq ${expectedSeq}, found ${e.seq}` };
    const expectedPrev = last?.hash ?? GENESIS_HASH;
    if (e.prevHash !== expectedPrev) return { ok: false, checked, firstBadSeq: e.seq, problem: 'prevHash does not match the previous entry' };
    if (auditHash(e.prevHash, e.seq, e) !== e.hash) return { ok: false, checked, firstBadSeq: e.seq, problem: 'hash does not match the entry content' };
    last = e;
    checked++;
  }
  return { ok: true, checked };
}
