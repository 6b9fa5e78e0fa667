/**
 * Admission of maintenance mode (`spec.maintenance` turned on): refused, with every reason, when
 * the host is the last one in service in its zone, or when its running VMs cannot all be placed
 * on the other hosts within the placement rules, or the zone without it would break its HA
 * admission-control policy (the pure layer's `checkMaintenance`). Turning it off is always allowed.
 */
import { ConflictError, type Host } from '../../api/index.js';
import { checkMaintenance } from '../../ha/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { admissionPolicy } from '../model/ha-config.js';
import { buildHaZone, inService } from '../model/ha-zone.js';
import { SchedulerCheck } from '../model/scheduler-check.js';

export function entersMaintenance(host: Host, old: Host | undefined): boolean {
  return host.spec?.maintenance === true && old?.spec?.maintenance !== true;
}

export function checkEnterMaintenance(view: ClusterView, host: Host): void {
  const name = host.metadata.name;
  const zoneName = host.spec?.zone ?? '';
  const zone = view.zone(zoneName);
  const zoneHosts = view.hosts().filter((h) => h.spec?.zone === zoneName);
  const others = zoneHosts.filter((h) => h.metadata.name !== name && inService(h));
  if (others.length === 0) throw new ConflictError(`${name} is the last host in service in zone ${zoneName}: maintenance mode would leave the zone without hosts`);
  const ha = buildHaZone(zone, zoneName, zoneHosts, view.vms());
  const names = new Set(zoneHosts.map((h) => h.metadata.name));
  const check = SchedulerCheck.build({ hosts: zoneHosts, zones: view.zones(), tenants: view.tenants(), vms: view.vms().filter((v) => names.has(v.status?.host ?? '')) });
  const verdict = checkMaintenance(ha, name, admissionPolicy(zone, ha), { canPlace: check.canPlace });
  if (!verdict.ok) throw new ConflictError(`${name} cannot enter maintenance mode: ${verdict.reasons.join('; ')}`);
}
