/**
 * Writes a zone's figures into status at the end of its DRS pass: each running VM's
 * `status.resources`, each pool's entitlement and reservations, each rule's compliance. Only what
 * changed enough is written (see status-figures.ts); a write that loses a race with another
 * controller is skipped (the next pass tries again).
 */
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, type VirtualMachine } from '../../api/index.js';
import type { DrsRuleObject, ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import type { Informer } from '../../controllers/index.js';
import type { DrsRule } from '../../drs/index.js';
import type { Store } from '../../store/index.js';
import { ruleCompliance } from '../drs/rule-objects.js';
import type { UsageSnapshot } from '../model/usage-snapshot.js';
import { poolStatus, poolStatusChanged, vmResourceStatus, vmStatusChanged, type VmStatusWithResources } from './status-figures.js';

/** Writes in flight at once. */
const CONCURRENCY = 16;

export interface StatusWriterDeps {
  readonly store: Store;
  readonly log: Logger;
  readonly vms: Informer<VirtualMachine>;
  readonly pools: Informer<ResourcePoolObject>;
  readonly rules: Informer<DrsRuleObject>;
}

/** Counts of what one zone's status write did. */
export interface WriteCounts {
  vms: number;
  pools: number;
  rules: number;
}

async function inBatches(tasks: readonly (() => Promise<void>)[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += CONCURRENCY) await Promise.all(tasks.slice(i, i + CONCURRENCY).map((t) => t()));
}

export class StatusWriter {
  constructor(private readonly deps: StatusWriterDeps) {}

  /** Writes the statuses of `zone`'s VMs, pools and rules that moved since the last write. */
  async writeZone(zone: string, snapshot: UsageSnapshot, rules: readonly DrsRule[], dropped: ReadonlyMap<string, string>): Promise<WriteCounts> {
    const at = new Date(snapshot.atMs).toISOString();
    const counts: WriteCounts = { vms: 0, pools: 0, rules: 0 };
    const tasks: (() => Promise<void>)[] = [];
    const hostOf = new Map<string, string>();
    const perPool = new Map<string, number>();
    snapshot.result.vms.forEach((e, i) => {
      hostOf.set(e.name, e.host);
      if (e.zone !== zone) return;
      const info = snapshot.vmInfo[i];
      if (info?.pool !== undefined) perPool.set(info.pool, (perPool.get(info.pool) ?? 0) + 1);
      const vm = this.deps.vms.get(e.name);
      if (vm === undefined || info === undefined) return;
      const next = vmResourceStatus(e, info.pool, info.poolSource, at);
      const status = vm.status as VmStatusWithResources | undefined;
      if (!vmStatusChanged(status?.resources, next)) return;
      tasks.push(async () => {
        if (await this.write(vm, (v) => ({ ...v, status: { ...(v.status as VmStatusWithResources | undefined), resources: next } }))) counts.vms++;
      });
    });
    const figures = new Map(snapshot.result.pools.map((p) => [p.name, p]));
    for (const pool of this.deps.pools.list()) {
      if (pool.spec?.zone !== zone) continue;
      const name = pool.metadata.name;
      const why = snapshot.invalidPools.get(name);
      const condition =
        why === undefined
          ? { type: 'Valid', status: 'True' as const, reason: 'Admitted', message: 'in the pool tree; reservations admitted' }
          : { type: 'Valid', status: 'False' as const, reason: 'NotAdmitted', message: `left out of the pool tree (its VMs run in the zone root): ${why}` };
      const next = poolStatus(name, figures.get(name), snapshot.tree, perPool.get(name) ?? 0, condition, pool.status?.conditions, at, pool.metadata.generation);
      if (!poolStatusChanged(pool.status, next)) continue;
      tasks.push(async () => {
        if (await this.write(pool, (p) => ({ ...p, status: next }))) counts.pools++;
      });
    }
    const byName = new Map(rules.map((r) => [r.name, r]));
    for (const obj of this.deps.rules.list()) {
      if (obj.spec?.zone !== zone) continue;
      const rule = byName.get(obj.metadata.name);
      const reason = dropped.get(obj.metadata.name);
      const c = rule === undefined ? { satisfied: false, message: `not enforced: ${reason ?? 'invalid'}` } : ruleCompliance(rule, (v) => hostOf.get(v));
      if (obj.status?.satisfied === c.satisfied && obj.status.message === c.message) continue;
      tasks.push(async () => {
        if (await this.write(obj, (r) => ({ ...r, status: { ...r.status, satisfied: c.satisfied, message: c.message, checkedAt: at } }))) counts.rules++;
      });
    }
    await inBatches(tasks);
    return counts;
  }

  /**
   * One status write of `build(latest)`; when another controller wrote the object meanwhile, it is
   * re-read and written again (twice at most). False when it kept losing or the object is gone.
   */
  private async write<T extends VirtualMachine | ResourcePoolObject | DrsRuleObject>(cached: T, build: (latest: T) => T): Promise<boolean> {
    let latest = cached;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.deps.store.update(build(latest), { subresource: 'status' });
        return true;
      } catch (err) {
        if (err instanceof NotFoundError) return false;
        if (!(err instanceof ConflictError)) {
          this.deps.log.warn({ kind: cached.kind, name: cached.metadata.name, err: (err as Error).message }, 'balance: status write failed');
          return false;
        }
        const fresh = await this.deps.store.tryGet<T>(cached.kind, '', cached.metadata.name);
        if (fresh === undefined) return false;
        latest = fresh;
      }
    }
    return false;
  }
}
