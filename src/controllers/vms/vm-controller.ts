/**
 * The VM lifecycle controller (the driver controller): turns a placed VM into a running one
 * through the driver, powers it on and off, releases it on delete (then drops the finalizer),
 * and marks it Lost when its host crashes (restarting it elsewhere is HA's job, src/availability:
 * a Lost VM in an HA zone gets `HaRestart=True` in the same write, so nobody else claims it).
 * A create the host refuses for lack of room or because it is no longer usable sends the VM back
 * to the scheduler (its view was stale). Driver calls take modeled time, so they run in the
 * background and re-enqueue the VM when done.
 */
import { getCondition, setCondition, type Condition, type VirtualMachine, type VirtualMachineStatus, type Zone } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import { DriverError, type Driver, type InfraEvent } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { Informer, ReconcileResult, Reconciler } from '../framework/index.js';
import type { Host } from '../../api/index.js';
import { HA_RESTART_CONDITION, haProtects } from './ha-restart.js';

export const VM_FINALIZER = 'bulkhead.dev/vm-cleanup';
const DEFAULT_STEMCELL = 'bulkhead-ubuntu-jammy';

type Outcome = { ok: true; vmId?: string } | { ok: false; error: Error };

export class VmController implements Reconciler {
  readonly name = 'vms';
  /** Driver operations under way, by VM name. */
  private readonly inflight = new Map<string, string>();
  /** Finished driver operations not yet written to status. */
  private readonly outcomes = new Map<string, { op: string; outcome: Outcome }>();
  private readonly byVmId = new Map<string, string>();
  /** VM names by the host they are placed on, so a host change touches only its VMs. */
  private readonly byHost = new Map<string, Set<string>>();
  /** Infrastructure VMs that crashed, by driver id (a VM restarted elsewhere gets a new one), with the reason. */
  private readonly crashed = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly driver: Driver,
    private readonly vms: Informer<VirtualMachine>,
    private readonly hosts: Informer<Host>,
    private readonly enqueue: (name: string) => void,
    /** Zones, for whether HA protects a VM that is lost (absent: nothing is HA-protected). */
    private readonly zones?: Informer<Zone>,
  ) {
    const index = (old: VirtualMachine | undefined, vm: VirtualMachine | undefined) => {
      const name = (vm ?? old)!.metadata.name;
      if (old?.status?.vmId && old.status.vmId !== vm?.status?.vmId) this.byVmId.delete(old.status.vmId);
      if (vm?.status?.vmId) this.byVmId.set(vm.status.vmId, name);
      const before = old?.status?.host;
      const after = vm?.status?.host;
      if (before && before !== after) this.byHost.get(before)?.delete(name);
      if (after) {
        let set = this.byHost.get(after);
        if (!set) this.byHost.set(after, (set = new Set()));
        set.add(name);
      }
    };
    vms.addHandlers({
      onAdd: (vm) => {
        index(undefined, vm);
        enqueue(vm.metadata.name);
      },
      onUpdate: (old, vm) => {
        index(old, vm);
        enqueue(vm.metadata.name);
      },
      onDelete: (vm) => index(vm, undefined),
    });
    hosts.addHandlers({
      onUpdate: (old, h) => {
        if (old.status?.state === h.status?.state) return;
        for (const name of this.byHost.get(h.metadata.name) ?? []) enqueue(name);
      },
    });
  }

  onInfraEvent(e: InfraEvent): void {
    if (e.type !== 'VmPowerChanged') return;
    const name = this.byVmId.get(e.vmId);
    if (!name) return;
    if (e.power === 'crashed') this.crashed.set(e.vmId, e.reason);
    else this.crashed.delete(e.vmId);
    this.enqueue(name);
  }

  private start(name: string, op: string, fn: () => Promise<string | undefined>): void {
    if (this.inflight.has(name)) return;
    this.inflight.set(name, op);
    fn().then(
      (vmId) => this.outcomes.set(name, { op, outcome: { ok: true, ...(vmId ? { vmId } : {}) } }),
      (error: unknown) => this.outcomes.set(name, { op, outcome: { ok: false, error: error as Error } }),
    ).finally(() => {
      this.inflight.delete(name);
      this.enqueue(name);
    });
  }

  private async writeStatus(vm: VirtualMachine, patch: Partial<VirtualMachineStatus>, ...conds: Omit<Condition, 'lastTransitionTime'>[]): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const prev = vm.status ?? {};
    let conditions = prev.conditions;
    for (const c of conds) conditions = setCondition(conditions, { ...c, observedGeneration: vm.metadata.generation ?? 1 }, now);
    const status: VirtualMachineStatus = { ...prev, ...patch, ...(conditions ? { conditions } : {}), observedGeneration: vm.metadata.generation ?? 1 };
    await this.store.update({ ...vm, status }, { subresource: 'status' });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const vm = this.vms.get(name);
    if (!vm?.spec) return;
    const status = vm.status ?? {};
    const done = this.outcomes.get(name);
    if (done) this.outcomes.delete(name);

    if (vm.metadata.deletionTimestamp) return this.finalize(vm, done);
    if (!status.host) return; // waiting for placement
    if (status.phase === 'Lost' || status.phase === 'Failed') return;

    if (done && !done.outcome.ok) {
      const err = done.outcome.error;
      if (done.op === 'create' && this.hostRefused(err, status.host)) return this.reschedule(vm, err);
      const retry = err instanceof DriverError ? err.retryable : true;
      await this.writeStatus(vm, retry ? {} : { phase: 'Failed' }, { type: 'Ready', status: 'False', reason: 'DriverError', message: `${done.op} failed: ${err.message}` });
      return retry ? { requeueAfter: 10_000 } : undefined;
    }
    if (done?.op === 'create' && done.outcome.ok) {
      const restarted = getCondition(status.conditions, HA_RESTART_CONDITION)?.status === 'True';
      await this.writeStatus(
        vm,
        { phase: vm.spec.powerState === 'Off' ? 'Stopped' : 'Running', vmId: done.outcome.vmId, bootedAt: new Date(this.clock.now()).toISOString() },
        { type: 'Ready', status: 'True', reason: 'Running', message: `running on ${status.host}` },
        ...(restarted ? [{ type: HA_RESTART_CONDITION, status: 'False' as const, reason: 'Restarted', message: `restarted by HA: running again on ${status.host}` }] : []),
      );
      return;
    }
    if (this.inflight.has(name)) return;

    const host = this.hosts.get(status.host);
    const crash = status.vmId === undefined ? undefined : this.crashed.get(status.vmId);
    if (status.vmId && (crash !== undefined || host?.status?.state === 'Failed')) {
      await this.writeStatus(
        vm,
        { phase: 'Lost' },
        { type: 'Ready', status: 'False', reason: 'HostFailed', message: `host ${status.host} failed${crash ? ` (${crash})` : ''}; the VM is lost` },
        ...this.haClaim(vm, status.host),
      );
      return;
    }
    if (!status.vmId) {
      if (host?.status?.state === 'Failed') {
        await this.writeStatus(
          vm,
          { phase: 'Lost' },
          { type: 'Ready', status: 'False', reason: 'HostFailed', message: `host ${status.host} failed before the VM was created` },
          ...this.haClaim(vm, status.host),
        );
        return;
      }
      if (status.phase !== 'Provisioning') await this.writeStatus(vm, { phase: 'Provisioning' }, { type: 'Ready', status: 'False', reason: 'Provisioning', message: `creating on ${status.host}` });
      this.start(name, 'create', async () => {
        const res = await this.driver.createVm({
          agentId: vm.metadata.uid ?? name,
          host: status.host!,
          stemcell: vm.spec!.image ?? DEFAULT_STEMCELL,
          resources: { cpus: vm.spec!.cpus, memoryMiB: vm.spec!.memoryMiB, numaNodes: status.numaNodes ?? [], ...(vm.spec!.encryptedMemory ? { encryptedMemory: true } : {}) },
          env: { tenant: vm.spec!.tenant, name },
          ...(vm.spec!.persistentDisks?.length ? { diskHints: vm.spec!.persistentDisks.map((d) => d.diskId) } : {}),
        });
        await this.attachDisks(res.vmId, vm.spec!.persistentDisks ?? []);
        return res.vmId;
      });
      return;
    }
    // Power state follows spec.
    const wantOn = vm.spec.powerState !== 'Off';
    if (done?.op === 'power' && done.outcome.ok) {
      await this.writeStatus(vm, { phase: wantOn ? 'Running' : 'Stopped' }, { type: 'Ready', status: wantOn ? 'True' : 'False', reason: wantOn ? 'Running' : 'PoweredOff', message: wantOn ? `running on ${status.host}` : 'powered off' });
      return;
    }
    if (wantOn && status.phase === 'Stopped') this.start(name, 'power', async () => (await this.driver.setVmPower(status.vmId!, true), undefined));
    else if (!wantOn && status.phase === 'Running') this.start(name, 'power', async () => (await this.driver.setVmPower(status.vmId!, false), undefined));
  }

  /** The `HaRestart=True` condition a lost VM gets when HA will restart it (none otherwise). */
  private haClaim(vm: VirtualMachine, host: string): Omit<Condition, 'lastTransitionTime'>[] {
    const zone = vm.status?.zone === undefined ? undefined : this.zones?.get(vm.status.zone);
    if (!haProtects(vm, zone)) return [];
    return [{ type: HA_RESTART_CONDITION, status: 'True', reason: 'WaitingForFailover', message: `host ${host} failed; HA restarts the VM once the host is declared dead` }];
  }

  /** A create the host refused for room (its memory is physical) or because it is no longer usable: not the VM's fault. */
  private hostRefused(err: Error, hostName: string): boolean {
    if (!(err instanceof DriverError)) return false;
    if (err.driverCode === 'NoCapacity') return true;
    const state = this.hosts.get(hostName)?.status?.state;
    return err.driverCode === 'HostUnavailable' && state !== 'Ready' && state !== 'Failed';
  }

  /** Sends the VM back to the scheduler: no host, Pending, with the refusal as the reason. */
  private async reschedule(vm: VirtualMachine, err: Error): Promise<void> {
    const { host, numaNodes: _n, placement: _p, zone: _z, ...rest } = vm.status ?? {};
    const now = new Date(this.clock.now()).toISOString();
    const conditions = setCondition(rest.conditions, { type: 'Scheduled', status: 'False', reason: 'HostRefused', message: `${host ?? 'the host'} refused the VM (${err.message}); scheduling again`, observedGeneration: vm.metadata.generation ?? 1 }, now);
    await this.store.update({ ...vm, status: { ...rest, phase: 'Pending', conditions } }, { subresource: 'status' });
  }

  /**
   * Attaches the VM's persistent disks after create (BOSH: create_vm, then attach_disk). If one
   * fails the new VM is deleted so that no half-made VM leaks, and the create is reported failed.
   * Deleting a VM releases its disks (the CPI detaches them), so there is no detach step.
   */
  private async attachDisks(vmId: string, disks: readonly { readonly diskId: string }[]): Promise<void> {
    try {
      for (const d of disks) await this.driver.attachDisk(vmId, d.diskId);
    } catch (err) {
      await this.driver.deleteVm(vmId).catch(() => undefined);
      throw err;
    }
  }

  private async finalize(vm: VirtualMachine, done: { op: string; outcome: Outcome } | undefined): Promise<ReconcileResult | void> {
    const name = vm.metadata.name;
    if (!vm.metadata.finalizers?.includes(VM_FINALIZER)) return;
    const vmId = vm.status?.vmId;
    if (this.inflight.get(name) === 'create') return; // let the create land, then delete it
    if (done?.op === 'create' && done.outcome.ok && done.outcome.vmId) {
      const id = done.outcome.vmId;
      this.start(name, 'delete', async () => (await this.driver.deleteVm(id), undefined));
      return;
    }
    if (vmId && done?.op !== 'delete') {
      if (vm.status?.phase !== 'Deleting') await this.writeStatus(vm, { phase: 'Deleting' });
      this.start(name, 'delete', async () => (await this.driver.deleteVm(vmId), undefined));
      return;
    }
    if (done?.op === 'delete' && !done.outcome.ok) {
      const err = done.outcome.error;
      if (!(err instanceof DriverError && err.driverCode === 'NotFound')) return { requeueAfter: 5_000 };
    }
    if (vmId) this.crashed.delete(vmId);
    await this.store.update({ ...vm, metadata: { ...vm.metadata, finalizers: vm.metadata.finalizers.filter((f) => f !== VM_FINALIZER) } });
  }

  /**
   * After a restart the simulated datacenter is empty: VMs the store records as created but the
   * driver does not know are provisioned again on their recorded host.
   */
  async adoptAfterRestart(): Promise<number> {
    let n = 0;
    for (const vm of this.vms.list()) {
      const id = vm.status?.vmId;
      if (!id || vm.metadata.deletionTimestamp || vm.status?.phase === 'Lost' || vm.status?.phase === 'Failed') continue;
      if (await this.driver.hasVm(id)) continue;
      const { vmId: _gone, ...rest } = vm.status ?? {};
      await this.store.update({ ...vm, status: { ...rest, phase: 'Provisioning' } }, { subresource: 'status' });
      n++;
    }
    return n;
  }
}
