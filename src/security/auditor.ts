/**
 * Writes the audit trail: every mutating request and every denied one becomes an entry of the
 * store's hash chain. The store's write queue keeps appends in call order and commits those that
 * arrive together in one transaction, so entries are not serialised one commit each here.
 */
import type { Logger } from 'pino';
import type { AuditEntry, AuditRecord, Store } from '../store/index.js';

export class Auditor {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Appends a record; resolves to the entry, never rejects (a failure is logged loudly). */
  record(rec: AuditRecord): Promise<AuditEntry | undefined> {
    const p = this.store.appendAudit(rec).catch((err: unknown) => {
      this.log.error({ err, rec }, 'audit append failed');
      return undefined;
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  /** Resolves when every record so far has been written. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
