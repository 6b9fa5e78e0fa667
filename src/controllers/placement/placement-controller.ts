/**
 * The VM placement controller: every VM without a host goes through the first-level scheduler.
 * A decision is written to the VM's status (host, NUMA nodes, explanation, Scheduled condition);
 * a VM that fits nowhere stays Pending with a Scheduled=False condition saying why, and is tried
 * again when capacity appears (a host becomes Ready, a VM goes away) or after a backoff.
 */
import { setCondition, type Host, type Tenant, type VirtualMachine, type VirtualMachineStatus, type Zone } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import { ClusterSnapshot, Scheduler, vmKey } from '../../scheduler/index.js';
import type { Store } from '../../store/index.js';
import type { Informer, ReconcileResult, Reconciler } from '../framework/index.js';

/** How long an unschedulable VM waits before it is tried again without any trigger. */
export const UNSCHEDULABLE_RETRY_MS = 30_000;

export interface PlacementInformers {
  readonly vms: Informer<VirtualMachine>;
  readonly hosts: Informer<Host>;
  readonly zones: Informer<Zone>;
  readonly tenants: Informer<Tenant>;
}

export class PlacementController implements Reconciler {
  readonly name = 'placement';
  readonly snapshot: ClusterSnapshot;
  private readonly scheduler: Scheduler;
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly inf: PlacementInformers,
    private readonly enqueue: (name: string) => void,
    seed: number,
  ) {
    this.snapshot = new ClusterSnapshot(seed);
    this.scheduler = new Scheduler(this.snapshot, { seed });
    inf.zones.addHandlers({ onAdd: (z) => this.zoneChanged(z), onUpdate: (_o, z) => this.zoneChanged(z) });
    inf.tenants.addHandlers({
      onAdd: (t) => this.snapshot.upsertTenant(t),
      onUpdate: (_o, t) => this.snapshot.upsertTenant(t),
      onDelete: (t) => this.snapshot.removeTenant(t.metadata.name),
    });
    inf.hosts.addHandlers({
      onAdd: (h) => {
        this.snapshot.upsertHost(h);
        this.retryPending();
      },
      onUpdate: (old, h) => {
        this.snapshot.upsertHost(h);
        if (old.status?.state !== h.status?.state || old.spec?.unschedulable !== h.spec?.unschedulable) this.retryPending();
      },
      onDelete: (h) => this.snapshot.removeHost(h.metadata.name),
    });
    inf.vms.addHandlers({
      onAdd: (vm) => this.vmChanged(vm),
      onUpdate: (_o, vm) => this.vmChanged(vm),
      onDelete: (vm) => {
        this.pending.delete(vm.metadata.name);
        if (this.snapshot.forget(vmKey(vm))) this.retryPending();
      },
    });
  }

  private zoneChanged(z: Zone): void {
    this.snapshot.upsertZone(z);
    this.retryPending();
  }

  private vmChanged(vm: VirtualMachine): void {
    if (vm.status?.host) {
      this.pending.delete(vm.metadata.name);
      this.snapshot.observeVm(vm);
      return;
    }
    if (vm.metadata.deletionTimestamp) return;
    this.pending.add(vm.metadata.name);
    this.enqueue(vm.metadata.name);
  }

  private retryPending(): void {
    for (const name of this.pending) this.enqueue(name);
  }

  /** VMs waiting for a host. */
  pendingCount(): number {
    return this.pending.size;
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const vm = this.inf.vms.get(name);
    if (!vm?.spec || vm.status?.host || vm.metadata.deletionTimestamp) return;
    const key = vmKey(vm);
    if (this.snapshot.placement(key)) return; // decided; the status write is on its way
    const result = this.scheduler.place(vm);
    const now = new Date(this.clock.now()).toISOString();
    const prev = vm.status ?? {};
    const gen = vm.metadata.generation ?? 1;
    if (result.ok) {
      const zone = this.snapshot.host(result.host)?.zone.name;
      const status: VirtualMachineStatus = {
        ...prev,
        phase: 'Provisioning',
        host: result.host,
        ...(zone ? { zone } : {}),
        numaNodes: [...result.numaNodes],
        placement: result.explanation,
        conditions: setCondition(prev.conditions, { type: 'Scheduled', status: 'True', reason: 'Scheduled', message: result.explanation.message, observedGeneration: gen }, now),
        observedGeneration: gen,
      };
      try {
        await this.store.update({ ...vm, status }, { subresource: 'status' });
      } catch (err) {
        this.snapshot.forget(key);
        throw err;
      }
      return;
    }
    const message = result.explanation.message;
    const prevCond = prev.conditions?.find((c) => c.type === 'Scheduled');
    if (prev.phase !== 'Pending' || prevCond?.message !== message || prevCond.status !== 'False') {
      const status: VirtualMachineStatus = {
        ...prev,
        phase: 'Pending',
        placement: result.explanation,
        conditions: setCondition(prev.conditions, { type: 'Scheduled', status: 'False', reason: 'Unschedulable', message, observedGeneration: gen }, now),
        observedGeneration: gen,
      };
      await this.store.update({ ...vm, status }, { subresource: 'status' });
    }
    return { requeueAfter: UNSCHEDULABLE_RETRY_MS };
  }
}
