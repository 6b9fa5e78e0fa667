/** Keeps each Zone's status counts (hosts, ready hosts, VMs) in line with its hosts. */
import type { Host, Zone, ZoneStatus } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import type { Informer, Reconciler } from '../framework/index.js';

export class ZoneController implements Reconciler {
  readonly name = 'zones';

  constructor(
    private readonly store: Store,
    private readonly zones: Informer<Zone>,
    private readonly hosts: Informer<Host>,
    enqueue: (zone: string) => void,
  ) {
    zones.addHandlers({ onAdd: (z) => enqueue(z.metadata.name) });
    const onHost = (h: Host) => h.spec && enqueue(h.spec.zone);
    hosts.addHandlers({
      onAdd: onHost,
      onUpdate: (old, h) => {
        if (old.status?.state !== h.status?.state || old.status?.vms !== h.status?.vms) onHost(h);
      },
      onDelete: onHost,
    });
  }

  async reconcile(name: string): Promise<void> {
    const zone = this.zones.get(name);
    if (!zone) return;
    let hosts = 0;
    let ready = 0;
    let vms = 0;
    for (const h of this.hosts.list()) {
      if (h.spec?.zone !== name) continue;
      hosts++;
      if (h.status?.state === 'Ready') ready++;
      vms += h.status?.vms ?? 0;
    }
    const status: ZoneStatus = { hosts, readyHosts: ready, vms };
    const prev = zone.status;
    if (prev?.hosts === hosts && prev.readyHosts === ready && prev.vms === vms) return;
    await this.store.update({ ...zone, status }, { subresource: 'status' });
  }
}
