/**
 * The VM placement controller: every VM without a host goes through the first-level scheduler.
 * A decision is written to the VM's status (host, NUMA nodes, explanation, Scheduled condition);
 * a VM that fits nowhere stays Pending with a Scheduled=False condition saying why, and is tried
 * again when capacity appears (a host becomes Ready, a VM goes away) or after a backoff.
 */
import { setCondition, type Host, type Tenant, type VirtualMachine, type VirtualMachineStatus, type Zone } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import { ClusterSnapshot, Scheduler, vmKey, type FilterPlugin } from '../../scheduler/index.js';
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

/** A host as placement sees it: one in maintenance mode takes no new VMs (like a cordoned one). */
export function schedulingView(h: Host): Host {
  return h.spec?.maintenance === true && h.spec.unschedulable !== true ? { ...h, spec: { ...h.spec, unschedulable: true } } : h;
}

export class PlacementController implements Reconciler {
  readonly name = 'placement';
  readonly snapshot: ClusterSnapshot;
  private scheduler: Scheduler;
  private readonly pending = new Set<string>();
  /** VMs this controller placed in the snapshot whose status write has not been seen yet. */
  private readonly assumed = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly inf: PlacementInformers,
    private readonly enqueue: (name: string) => void,
    seed: number,
  ) {
    this.snapshot = new ClusterSnapshot(seed);
    this.scheduler = new Scheduler(this.snapshot, { seed });
    this.seed = seed;
    // Zone status (host counts) is rewritten as hosts change; only a spec change alters placement.
    inf.zones.addHandlers({ onAdd: (z) => this.zoneChanged(z), onUpdate: (o, z) => o.metadata.generation !== z.metadata.generation && this.zoneChanged(z) });
    inf.tenants.addHandlers({
      onAdd: (t) => this.snapshot.upsertTenant(t),
      onUpdate: (_o, t) => this.snapshot.upsertTenant(t),
      onDelete: (t) => this.snapshot.removeTenant(t.metadata.name),
    });
    inf.hosts.addHandlers({
      onAdd: (h) => {
        this.snapshot.upsertHost(schedulingView(h));
        this.retryPending();
      },
      onUpdate: (old, h) => {
        this.snapshot.upsertHost(schedulingView(h));
        if (old.status?.state !== h.status?.state || old.spec?.unschedulable !== h.spec?.unschedulable || old.spec?.maintenance !== h.spec?.maintenance) this.retryPending();
      },
      onDelete: (h) => this.snapshot.removeHost(h.metadata.name),
    });
    inf.vms.addHandlers({
      onAdd: (vm) => this.vmChanged(vm),
      onUpdate: (_o, vm) => this.vmChanged(vm),
      onDelete: (vm) => {
        this.pending.delete(vm.metadata.name);
        this.assumed.delete(vmKey(vm));
        if (this.snapshot.forget(vmKey(vm))) this.retryPending();
      },
    });
  }

  private readonly seed: number;

  /**
   * Adds a Filter plugin (an extension's, e.g. HA admission control) before the NUMA search, the
   * last and only searching filter. Called while controllers are built, before any decision.
   */
  addFilter(filter: FilterPlugin): void {
    const base = this.scheduler.profile;
    const filters = [...base.filters];
    const numa = filters.findIndex((f) => f.name === 'NumaFit');
    filters.splice(numa < 0 ? filters.length : numa, 0, filter);
    this.scheduler = new Scheduler(this.snapshot, { seed: this.seed, profile: { ...base, filters } });
  }

  private zoneChanged(z: Zone): void {
    this.snapshot.upsertZone(z);
    this.retryPending();
  }

  private vmChanged(vm: VirtualMachine): void {
    if (vm.status?.host) {
      this.pending.delete(vm.metadata.name);
      this.assumed.delete(vmKey(vm));
      this.snapshot.observeVm(vm);
      return;
    }
    // Sent back for placement (its host refused it): forget where it was, unless the host is our
    // own decision whose status write is still on its way.
    if (!this.assumed.has(vmKey(vm)) && this.snapshot.forget(vmKey(vm))) this.retryPending();
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
      this.assumed.add(key);
      try {
        await this.store.update({ ...vm, status }, { subresource: 'status' });
      } catch (err) {
        this.assumed.delete(key);
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
