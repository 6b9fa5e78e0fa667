/** Admission of a Zone's HA settings: dedicated failover hosts must be listed, exist and belong to the zone. */
import { ValidationError, type Zone } from '../../api/index.js';
import type { ClusterView } from '../model/cluster-view.js';

export function checkZoneHa(view: ClusterView, zone: Zone): void {
  const ac = zone.spec?.ha?.admissionControl;
  const ctx = { kind: 'Zone', name: zone.metadata.name };
  if (ac?.policy !== 'failoverHosts') {
    if (ac?.failoverHosts?.length) throw ValidationError.field('spec.ha.admissionControl.failoverHosts', `only used with policy failoverHosts (policy is ${ac.policy})`, ctx);
    return;
  }
  const hosts = ac.failoverHosts ?? [];
  if (hosts.length === 0) throw ValidationError.field('spec.ha.admissionControl.failoverHosts', 'policy failoverHosts needs at least one host', ctx);
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    const field = `spec.ha.admissionControl.failoverHosts[${i}]`;
    if (seen.has(h)) throw ValidationError.field(field, `host "${h}" is listed twice`, ctx);
    seen.add(h);
    const host = view.host(h);
    if (host === undefined) throw ValidationError.field(field, `host "${h}" does not exist`, ctx);
    if (host.spec?.zone !== zone.metadata.name) throw ValidationError.field(field, `host "${h}" is in zone ${host.spec?.zone ?? '?'}, not ${zone.metadata.name}`, ctx);
  });
}
