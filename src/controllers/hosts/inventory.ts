/**
 * Registers the infrastructure's zones and hosts in the store (what vCenter's inventory is to
 * vSphere): new ones are created, changed hardware is updated, nothing is deleted automatically.
 */
import { API_VERSION, AlreadyExistsError, type Host, type HostSpec, type Zone } from '../../api/index.js';
import type { Driver } from '../../infra/index.js';
import type { Store } from '../../store/index.js';

export async function syncInventory(store: Store, driver: Driver): Promise<{ zones: number; hosts: number; created: number }> {
  const inv = await driver.inventory();
  let created = 0;
  const existingZones = new Set((await store.list<Zone>('Zone')).items.map((z) => z.metadata.name));
  for (const z of inv.zones) {
    if (existingZones.has(z.name)) continue;
    const zone: Zone = {
      apiVersion: API_VERSION,
      kind: 'Zone',
      metadata: { name: z.name },
      spec: { ...(z.description ? { description: z.description } : {}), isolation: 'per-sensitivity', cpuOvercommitPercent: 400, memoryOvercommitPercent: 100 },
    };
    try {
      await store.create(zone);
      created++;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
    }
  }
  const existingHosts = new Map((await store.list<Host>('Host')).items.map((h) => [h.metadata.name, h]));
  for (const h of inv.hosts) {
    const spec: HostSpec = {
      zone: h.zone,
      sockets: h.sockets,
      cores: h.cores,
      memoryMiB: h.memoryMiB,
      numaNodes: h.numaNodes.map((n) => ({ id: n.id, socket: n.socket, cores: n.cores, memoryMiB: n.memoryMiB })),
      nicMbps: h.nicMbps,
      features: [...h.features],
    };
    const old = existingHosts.get(h.name);
    if (!old) {
      const host: Host = { apiVersion: API_VERSION, kind: 'Host', metadata: { name: h.name, labels: { 'bulkhead.dev/zone': h.zone } }, spec, status: { state: 'NotReady' } };
      try {
        await store.create(host);
        created++;
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
      continue;
    }
    // Operator settings (cordon, maintenance mode) survive a restart; the hardware comes from the driver.
    const merged: HostSpec = {
      ...spec,
      ...(old.spec?.unschedulable !== undefined ? { unschedulable: old.spec.unschedulable } : {}),
      ...(old.spec?.maintenance !== undefined ? { maintenance: old.spec.maintenance } : {}),
    };
    if (JSON.stringify(old.spec) !== JSON.stringify(merged)) await store.update({ ...old, spec: merged });
  }
  return { zones: inv.zones.length, hosts: inv.hosts.length, created };
}
