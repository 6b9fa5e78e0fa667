/**
 * Live migration (vMotion) in the simulated datacenter. The VM keeps running on the source until
 * switchover; memory is reserved on the destination from the request on. Each host takes part in
 * at most 8 concurrent migrations (4 below 10 GbE), per vSphere's "Limits on Simultaneous
 * Migrations" (scheduling-perf.md §4.4); further requests wait in FIFO order. A migration's
 * duration follows the pre-copy model (precopy.ts) with the link shared evenly between the
 * migrations running on the busier end when it starts; one that does not converge is either
 * finished by a long stop-and-copy or failed, as `MigrationTimings.onNoConvergence` says.
 */
import { DriverError, type MigrationResult } from '../driver.js';
import { migrationSlots, planPrecopy } from './precopy.js';
import type { SimHost, SimState, SimVm } from './state.js';
import { busy, hostUnavailable, invalid, type SimOperation, type Task } from './tasks.js';
import type { QueueItem } from './event-queue.js';
import { checkFits } from './vm-ops.js';

interface Migration extends Task {
  readonly vm: SimVm;
  readonly src: SimHost;
  readonly dst: SimHost;
  readonly numaNodes: readonly number[];
  item: QueueItem | undefined;
  resolve(r: MigrationResult): void;
  reject(e: unknown): void;
}

export class Migrations {
  private readonly waiting: Migration[] = [];
  private pumpScheduled = false;

  constructor(private readonly s: SimState) {}

  get queued(): number {
    return this.waiting.length;
  }

  migrate(vmId: string, toHost: string, numaNodes?: readonly number[]): Promise<MigrationResult> {
    const s = this.s;
    const vm = s.vm(vmId);
    if (vm.deleting) throw busy(`VM "${vmId}" is being deleted`);
    const src = vm.host;
    if (!src.up) throw hostUnavailable(src.inv.name, `has failed (VM "${vmId}" is on it)`);
    if (src.isolated) throw hostUnavailable(src.inv.name, `is isolated from the management network (VM "${vmId}" is on it)`);
    if (vm.power !== 'running') throw invalid(`VM "${vmId}" is ${vm.power}; live migration needs a running VM`);
    if (src.inv.name === toHost) throw invalid(`VM "${vmId}" already runs on "${toHost}"`);
    const dst = s.upHost(toHost);
    const nodes = numaNodes ?? defaultNodes(vm, dst);
    checkFits(s, { resources: { ...vm.resources, numaNodes: nodes } }, toHost);
    s.tasks.checkFree([vm], `VM "${vmId}"`);
    s.checkMemory(dst, vm.resources.memoryMiB);
    dst.usedMiB += vm.resources.memoryMiB;
    return new Promise<MigrationResult>((resolve, reject) => {
      const m: Migration = {
        kind: 'migrateVm',
        target: `${vmId}:${src.inv.name}->${toHost}`,
        start: s.queue.now(),
        vm,
        src,
        dst,
        numaNodes: nodes,
        item: undefined,
        resolve,
        reject,
        cancel: (err) => this.abort(m, err),
      };
      vm.op = m;
      src.migrations.add(m);
      dst.migrations.add(m);
      this.waiting.push(m);
      this.schedulePump();
    });
  }

  /**
   * Starts waiting migrations on the next tick, so that requests made at the same instant start
   * together and share their links from the start.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.s.queue.after(0, () => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts every waiting migration whose hosts both have a free slot, in request order. */
  private pump(): void {
    const t = this.s.timings.migration;
    const free = (h: SimHost): boolean => h.activeMigrations < migrationSlots(h.inv.nicMbps, t);
    const starting: Migration[] = [];
    for (let i = 0; i < this.waiting.length; ) {
      const m = this.waiting[i] as Migration;
      if (!free(m.src) || !free(m.dst)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      m.src.activeMigrations++;
      m.dst.activeMigrations++;
      starting.push(m);
    }
    for (const m of starting) {
      // The link is shared evenly by the migrations running on the busier end as this one starts
      // (not recomputed when others start or end later: an approximation).
      const share = Math.max(m.src.activeMigrations, m.dst.activeMigrations);
      const linkMbps = Math.min(m.src.inv.nicMbps, m.dst.inv.nicMbps) / share;
      const plan = planPrecopy({ memoryMiB: m.vm.resources.memoryMiB, dirtyRateMBps: m.vm.dirtyRateMBps ?? t.dirtyRateMBps, linkMbps }, t);
      if (plan.capped && t.onNoConvergence === 'fail') {
        // The pre-copy rounds run (and use the link) before the failure is known.
        const err = new DriverError(
          'Internal',
          `pre-copy of VM "${m.vm.vmId}" did not converge: after ${plan.rounds} rounds the guest still dirties memory faster than ` +
            `${Math.round(linkMbps)} Mb/s can send it (stop-and-copy would stun it ${(plan.stunMs / 1000).toFixed(1)} s); it keeps running on ${m.src.inv.name}`,
          false,
        );
        m.item = this.s.queue.after(plan.totalMs - plan.stunMs, () => this.abort(m, err));
        continue;
      }
      const result: MigrationResult = Object.freeze({
        vmId: m.vm.vmId,
        from: m.src.inv.name,
        to: m.dst.inv.name,
        rounds: plan.rounds,
        totalMs: plan.totalMs,
        stunMs: plan.stunMs,
        transferredMiB: plan.transferredMiB,
        ...(plan.throttled ? { throttled: true } : {}),
      });
      m.item = this.s.queue.after(plan.totalMs, () => this.complete(m, result));
    }
  }

  private detach(m: Migration, outcome: SimOperation['outcome']): void {
    if (m.item) {
      this.s.queue.cancel(m.item);
      m.src.activeMigrations--;
      m.dst.activeMigrations--;
    } else {
      const i = this.waiting.indexOf(m);
      if (i >= 0) this.waiting.splice(i, 1);
    }
    m.src.migrations.delete(m);
    m.dst.migrations.delete(m);
    if (m.vm.op === m) m.vm.op = undefined;
    this.s.logOperation({ kind: m.kind, target: m.target, start: m.start, end: this.s.queue.now(), outcome });
  }

  private complete(m: Migration, result: MigrationResult): void {
    const { vm, src, dst } = m;
    this.detach(m, 'ok');
    // Switchover: the source's memory is freed, the destination's reservation becomes the VM's.
    src.usedMiB -= vm.resources.memoryMiB;
    src.vms.delete(vm);
    vm.host = dst;
    vm.resources = Object.freeze({ ...vm.resources, numaNodes: Object.freeze([...m.numaNodes]) });
    dst.vms.add(vm);
    m.resolve(result);
    this.schedulePump();
  }

  private abort(m: Migration, err: Parameters<Task['cancel']>[0]): void {
    this.detach(m, err.driverCode);
    m.dst.usedMiB -= m.vm.resources.memoryMiB;
    m.reject(err);
    this.schedulePump();
  }
}

/** Keeps the VM's NUMA node ids if the destination has them all, else its first nodes. */
function defaultNodes(vm: SimVm, dst: SimHost): readonly number[] {
  const want = vm.resources.numaNodes;
  if (want.every((n) => dst.numaIds.has(n))) return want;
  return dst.inv.numaNodes.slice(0, Math.min(want.length, dst.inv.numaNodes.length)).map((n) => n.id);
}
