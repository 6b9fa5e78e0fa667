/**
 * A scheduler snapshot kept up to date from the informers (as the placement controller keeps its
 * own), so that HA restart passes check placement rules without rebuilding a snapshot of every VM.
 * A planner may move VMs in it while it plans (`SchedulerCheck` mirrors its working view); the
 * caller puts them back with `resync` afterwards, from the cache.
 */
import type { Host, Tenant, VirtualMachine, Zone } from '../../api/index.js';
import { schedulingView, type Informer } from '../../controllers/index.js';
import { ClusterSnapshot, vmKey } from '../../scheduler/index.js';

export class LiveSnapshot {
  readonly snapshot = new ClusterSnapshot(1);

  constructor(private readonly inf: { readonly zones: Informer<Zone>; readonly tenants: Informer<Tenant>; readonly hosts: Informer<Host>; readonly vms: Informer<VirtualMachine> }) {
    // A zone's status is rewritten whenever its hosts change; only its spec matters here.
    inf.zones.addHandlers({ onAdd: (z) => this.snapshot.upsertZone(z), onUpdate: (o, z) => o.metadata.generation !== z.metadata.generation && this.snapshot.upsertZone(z) });
    inf.tenants.addHandlers({ onAdd: (t) => this.snapshot.upsertTenant(t), onUpdate: (_o, t) => this.snapshot.upsertTenant(t), onDelete: (t) => this.snapshot.removeTenant(t.metadata.name) });
    inf.hosts.addHandlers({ onAdd: (h) => this.snapshot.upsertHost(schedulingView(h)), onUpdate: (_o, h) => this.snapshot.upsertHost(schedulingView(h)), onDelete: (h) => this.snapshot.removeHost(h.metadata.name) });
    inf.vms.addHandlers({ onAdd: (v) => this.snapshot.observeVm(v), onUpdate: (_o, v) => this.snapshot.observeVm(v), onDelete: (v) => this.snapshot.forget(vmKey(v)) });
  }

  /** Puts these VMs back where the cache says they are (after a planner moved them). */
  resync(names: Iterable<string>): void {
    for (const n of names) {
      const vm = this.inf.vms.get(n);
      if (vm) this.snapshot.observeVm(vm);
      else this.snapshot.forget(n);
    }
  }
}
