/**
 * Executions live in the policy's status (newest first, the last MAX_EXECUTIONS), written with the
 * store's optimistic concurrency. Starting one is a compare-and-swap on the status: it fails while
 * another execution is Running and still making progress, so API servers sharing a store run at
 * most one execution per policy between them. A Running execution whose `updatedAt` is older than
 * STALE_MS was cut off (its server stopped) and is marked Failed by the next claim.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../api/index.js';
import { MAX_EXECUTIONS, type ReplicationExecution, type ReplicationPolicy, type ReplicationTriggerType } from '../../api/kinds/replication.js';
import type { Clock } from '../../clock/index.js';
import type { Store } from '../../store/index.js';

export const POLICY_KIND = 'ReplicationPolicy';
/** A Running execution not updated for this long (platform clock) is considered dead. */
export const STALE_MS = 10 * 60_000;

const compact = (iso: string) => iso.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

export class ExecutionLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Read-modify-write of the executions list, retried on a lost race. */
  private async edit<T>(policy: string, fn: (p: ReplicationPolicy, list: readonly ReplicationExecution[]) => { list: readonly ReplicationExecution[]; result: T }): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const p = await this.store.get<ReplicationPolicy>(POLICY_KIND, '', policy);
      const { list, result } = fn(p, p.status?.executions ?? []);
      try {
        await this.store.update<ReplicationPolicy>({ ...p, status: { ...p.status, executions: list.slice(0, MAX_EXECUTIONS) } }, { subresource: 'status' });
        return result;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 8) throw err;
      }
    }
  }

  /** The policy's executions, newest first. */
  async list(policy: string): Promise<readonly ReplicationExecution[]> {
    const p = await this.store.get<ReplicationPolicy>(POLICY_KIND, '', policy);
    return p.status?.executions ?? [];
  }

  /**
   * Records a new Running execution and returns it, or throws ConflictError naming the live one.
   * Throws NotFoundError when the policy does not exist.
   */
  claim(policy: string, trigger: ReplicationTriggerType, user: string): Promise<ReplicationExecution> {
    const now = this.now();
    return this.edit(policy, (_p, list) => {
      const live = list.find((e) => e.state === 'Running' && this.clock.now() - Date.parse(e.updatedAt) < STALE_MS);
      if (live) throw new ConflictError(`replication policy "${policy}" is already running execution ${live.id} (started ${live.startTime})`);
      const reaped = list.map((e) => (e.state === 'Running' ? { ...e, state: 'Failed' as const, endTime: now, message: `interrupted: no progress since ${e.updatedAt}` } : e));
      const exec: ReplicationExecution = {
        id: `${compact(now)}-${randomBytes(3).toString('hex')}`,
        trigger,
        user,
        state: 'Running',
        startTime: now,
        updatedAt: now,
        total: 0,
        copied: 0,
        skipped: 0,
        failed: 0,
        deleted: 0,
        errors: [],
      };
      return { list: [exec, ...reaped], result: exec };
    });
  }

  /**
   * Replaces execution `id` with `next` (stamping updatedAt); false when it is no longer listed.
   * A finished execution is final: a late heartbeat cannot turn it back into Running.
   */
  async save(policy: string, next: ReplicationExecution): Promise<boolean> {
    const stamped = { ...next, updatedAt: this.now() };
    try {
      return await this.edit(policy, (_p, list) => {
        const found = list.find((e) => e.id === next.id);
        if (!found) return { list, result: false };
        if (found.state !== 'Running') return { list, result: true };
        return { list: list.map((e) => (e.id === next.id ? stamped : e)), result: true };
      });
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
}
