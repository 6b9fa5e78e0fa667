/**
 * Writes the audit trail: every mutating request and every denied one becomes an entry of the
 * store's hash chain. Appends are queued so a slow store does not reorder entries.
 */
import type { Logger } from 'pino';
import type { AuditEntry, AuditRecord, Store } from '../store/index.js';

export class Auditor {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Appends a record; resolves to the entry, never rejects (a failure is logged loudly). */
  record(rec: AuditRecord): Promise<AuditEntry | undefined> {
    const p = this.tail.then(
      () => this.store.appendAudit(rec),
      () => this.store.appendAudit(rec),
    );
    this.tail = p.catch(() => undefined);
    return p.catch((err: unknown) => {
      this.log.error({ err, rec }, 'audit append failed');
      return undefined;
    });
  }

  /** Resolves when every record so far has been written. */
  async flush(): Promise<void> {
    await this.tail;
  }
}
