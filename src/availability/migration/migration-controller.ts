/**
 * Carries out VmMigrations (requested by users, maintenance mode or DRS) through the driver's live
 * migration, which takes the pre-copy model's time on the infrastructure clock:
 *
 *   Pending ──check destination──▶ Running (VM: Migrating=True) ──driver.migrateVm──▶ Succeeded
 *      │ refused: Failed, naming the conflict                 │ rounds, total, stun, MiB   (VM: status.host = destination)
 *      │                                                      └──▶ Failed: destination failed → VM stays on the source;
 *      │                                                           source failed → VM lost with it, HA restarts it
 *
 * One migration per VM at a time; concurrency per host is the driver's (vSphere: 8 on 10 GbE+).
 * A migration found Running after a control-plane restart is settled from where the driver says
 * the VM runs.
 */
import { ConflictError, NotFoundError, setCondition, type Condition, type VirtualMachine, type VirtualMachineStatus, type VmMigration, type VmMigrationStatus } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Informer, ReconcileResult, Reconciler } from '../../controllers/index.js';
import { DriverError, type Driver, type MigrationResult } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { haEnabled } from '../model/ha-config.js';
import { MIGRATING_CONDITION } from '../model/names.js';
import { planDestination } from './destination.js';
import type { SchedulerCheck } from '../model/scheduler-check.js';

type Outcome = { readonly ok: true; readonly result: MigrationResult } | { readonly ok: false; readonly error: Error };

interface Running {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly numaNodes: readonly number[];
}

/** Drivers that can predict a migration's course (the simulator). */
interface Predicting {
  predictMigration(vmId: string, toHost: string): { rounds: number; totalMs: number; stunMs: number };
}

function predicts(d: Driver): d is Driver & Predicting {
  return typeof (d as Partial<Predicting>).predictMigration === 'function';
}

export class MigrationController implements Reconciler {
  readonly name = 'migrations';
  /** Migrations with a driver call under way, by name. */
  private readonly inflight = new Map<string, Running>();
  /** VMs being migrated, by VM name, with the migration's name. */
  private readonly busyVms = new Map<string, string>();
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    private readonly store: Store,
    private readonly driver: Driver,
    private readonly clock: Clock,
    private readonly view: ClusterView,
    private readonly migrations: Informer<VmMigration>,
    private readonly vms: Informer<VirtualMachine>,
    /** Read-only placement checks over the controllers' live snapshot. */
    private readonly check: () => SchedulerCheck,
    private readonly enqueue: (name: string) => void,
  ) {
    migrations.addHandlers({ onAdd: (m) => enqueue(m.metadata.name), onUpdate: (_o, m) => enqueue(m.metadata.name) });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const m = this.migrations.get(name);
    if (!m?.spec) return;
    const phase = m.status?.phase ?? 'Pending';
    const done = this.outcomes.get(name);
    const run = this.inflight.get(name);
    if (done && run) return this.finish(m, run, done);
    if (phase === 'Succeeded' || phase === 'Failed' || run) return;
    if (phase === 'Running') return this.settleOrphan(m);
    return this.begin(m);
  }

  private async begin(m: VmMigration): Promise<void> {
    const spec = m.spec!;
    const vm = this.vms.get(spec.vm);
    if (!vm || vm.metadata.deletionTimestamp) return this.fail(m, `VirtualMachine ${spec.vm} does not exist`);
    const other = this.busyVms.get(spec.vm) ?? this.runningFor(spec.vm, m.metadata.name);
    if (other !== undefined) return this.fail(m, `${spec.vm} is already being migrated by VmMigration ${other}`);
    const dest = planDestination(this.view, vm, spec.toHost, this.check());
    if (!dest.ok) return this.fail(m, dest.reason);
    const from = vm.status!.host!;
    const vmId = vm.status!.vmId!;
    const run: Running = { vm: spec.vm, from, to: dest.host, numaNodes: dest.numaNodes };
    const forecast = predicts(this.driver) ? this.forecast(this.driver, vmId, dest.host) : '';
    const message = `live migration of ${spec.vm} from ${from} to ${dest.host} in progress${forecast}`;
    await this.writeMigration(m, { phase: 'Running', fromHost: from, toHost: dest.host, startedAt: this.nowIso(), message });
    this.inflight.set(m.metadata.name, run);
    this.busyVms.set(spec.vm, m.metadata.name);
    this.driver.migrateVm(vmId, dest.host, { numaNodes: dest.numaNodes }).then(
      (result) => this.outcomes.set(m.metadata.name, { ok: true, result }),
      (error: unknown) => this.outcomes.set(m.metadata.name, { ok: false, error: error instanceof Error ? error : new Error(String(error)) }),
    ).finally(() => this.enqueue(m.metadata.name));
    const condition = { type: MIGRATING_CONDITION, status: 'True' as const, reason: 'LiveMigration', message: `${message} (VmMigration ${m.metadata.name})` };
    await this.updateVm(spec.vm, (s) => ({ ...s, conditions: this.withCondition(s, condition) }));
  }

  private forecast(d: Predicting, vmId: string, to: string): string {
    try {
      const p = d.predictMigration(vmId, to);
      return ` (predicted: ${p.rounds} pre-copy rounds, ${(p.totalMs / 1000).toFixed(1)} s, stun ${p.stunMs} ms)`;
    } catch {
      return '';
    }
  }

  /** Writes the outcome to the VM, then to the migration; a failed write is retried with the outcome kept. */
  private async finish(m: VmMigration, run: Running, done: Outcome): Promise<void> {
    if (done.ok) {
      const r = done.result;
      const figures = `${r.rounds} pre-copy rounds, ${(r.totalMs / 1000).toFixed(1)} s, stun ${r.stunMs} ms, ${r.transferredMiB} MiB sent${r.throttled ? ', guest throttled (SDPS)' : ''}`;
      const message = `moved ${run.vm} from ${run.from} to ${run.to}: ${figures}`;
      const zone = this.view.host(run.to)?.spec?.zone;
      const condition = { type: MIGRATING_CONDITION, status: 'False' as const, reason: 'Migrated', message };
      await this.updateVm(run.vm, (s) => ({ ...s, host: run.to, ...(zone ? { zone } : {}), numaNodes: [...run.numaNodes], conditions: this.withCondition(s, condition) }));
      await this.writeMigration(m, { ...m.status, phase: 'Succeeded', rounds: r.rounds, totalMs: r.totalMs, stunMs: r.stunMs, transferredMiB: r.transferredMiB, finishedAt: this.nowIso(), message });
    } else {
      const message = await this.whyFailed(run, done.error);
      const condition = { type: MIGRATING_CONDITION, status: 'False' as const, reason: 'MigrationFailed', message };
      await this.updateVm(run.vm, (s) => ({ ...s, conditions: this.withCondition(s, condition) }));
      await this.writeMigration(m, { ...m.status, phase: 'Failed', finishedAt: this.nowIso(), message });
    }
    this.outcomes.delete(m.metadata.name);
    this.inflight.delete(m.metadata.name);
    if (this.busyVms.get(run.vm) === m.metadata.name) this.busyVms.delete(run.vm);
  }

  /** The defined outcomes of a failed migration, in words. */
  private async whyFailed(run: Running, err: Error): Promise<string> {
    const vm = this.vms.get(run.vm);
    if (err instanceof DriverError && err.driverCode === 'NotFound') return `${run.vm} was deleted during the migration`;
    const vmId = vm?.status?.vmId;
    const info = vmId === undefined ? undefined : await this.driver.getVm(vmId).catch(() => undefined);
    if (info?.power === 'crashed') {
      const zone = this.view.zone(this.view.host(run.from)?.spec?.zone ?? '');
      const next = haEnabled(zone) ? 'HA restarts it once the host is declared dead' : 'it is lost (HA is off in its zone)';
      return `source host ${run.from} failed during the migration: ${run.vm} went down with it; ${next}`;
    }
    if (err instanceof DriverError && err.driverCode === 'HostUnavailable' && err.message.includes(`"${run.to}"`))
      return `destination host ${run.to} failed during the migration; ${run.vm} keeps running on ${run.from}`;
    return `migration to ${run.to} failed: ${err.message}; ${run.vm} keeps running on ${info?.host ?? run.from}`;
  }

  /** A Running migration this process did not start (control-plane restart): settle it from the driver. */
  private async settleOrphan(m: VmMigration): Promise<void> {
    const vm = this.vms.get(m.spec!.vm);
    const to = m.status?.toHost;
    const info = vm?.status?.vmId === undefined ? undefined : await this.driver.getVm(vm.status.vmId).catch(() => undefined);
    const message =
      info?.host === to && to !== undefined
        ? `the control plane restarted during the migration; ${m.spec!.vm} runs on ${to}`
        : `the control plane restarted during the migration; ${m.spec!.vm} did not move`;
    await this.writeMigration(m, { ...m.status, phase: info?.host === to ? 'Succeeded' : 'Failed', finishedAt: this.nowIso(), message });
  }

  /** Another Running migration of the same VM, from the cache (survives a restart of this process). */
  private runningFor(vm: string, except: string): string | undefined {
    for (const x of this.migrations.list()) if (x.metadata.name !== except && x.spec?.vm === vm && x.status?.phase === 'Running') return x.metadata.name;
    return undefined;
  }

  private async fail(m: VmMigration, message: string): Promise<void> {
    await this.writeMigration(m, { ...m.status, phase: 'Failed', finishedAt: this.nowIso(), message });
  }

  private async writeMigration(m: VmMigration, status: VmMigrationStatus): Promise<void> {
    await this.store.update({ ...m, status }, { subresource: 'status' });
  }

  private withCondition(s: VirtualMachineStatus, c: Omit<Condition, 'lastTransitionTime'>): Condition[] {
    return setCondition(s.conditions, c, this.nowIso());
  }

  /**
   * Read-modify-write of a VM's status from the store (not the cache), retried on conflict: the VM
   * controller writes the same status, and a migration's outcome must not be lost to a race.
   */
  private async updateVm(name: string, fn: (s: VirtualMachineStatus) => VirtualMachineStatus): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let vm: VirtualMachine;
      try {
        vm = await this.store.get<VirtualMachine>('VirtualMachine', '', name);
      } catch (err) {
        if (err instanceof NotFoundError) return;
        throw err;
      }
      if (vm.metadata.deletionTimestamp) return;
      try {
        await this.store.update({ ...vm, status: fn(vm.status ?? {}) }, { subresource: 'status' });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      }
    }
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
