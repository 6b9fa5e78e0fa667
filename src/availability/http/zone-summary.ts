/**
 * A zone's HA at a glance (`bulkhead ha status ZONE`): the policy and its numbers (capacity of the
 * hosts in service, what is reserved for failover, in use, left for new VMs), each host's HA
 * state, and the VMs HA is restarting or has given up on.
 */
import { getCondition } from '../../api/index.js';
import { HA_RESTART_CONDITION } from '../../controllers/index.js';
import { checkPowerOn, type AdmissionPolicy, type Resources } from '../../ha/index.js';
import { HA_STATE_CONDITION } from '../ha/host-condition-controller.js';
import type { ClusterView } from '../model/cluster-view.js';
import { admissionPolicy, deadAfterMs, failoverHosts, haEnabled } from '../model/ha-config.js';
import { buildHaZone } from '../model/ha-zone.js';
import { MAINTENANCE_CONDITION } from '../model/names.js';

export interface ZoneHaSummary {
  readonly zone: string;
  readonly enabled: boolean;
  readonly deadAfterSeconds: number;
  readonly policy: AdmissionPolicy;
  /** The policy's verdict for a 1 vCPU / 128 MiB VM: what is left, in words and numbers. */
  readonly admission: { readonly message: string; readonly available: Resources };
  readonly hosts: readonly { readonly name: string; readonly state: string; readonly ha: string; readonly maintenance: string; readonly failover: boolean; readonly vms: number }[];
  readonly restarts: readonly { readonly vm: string; readonly reason: string; readonly message: string }[];
}

export function zoneHaSummary(view: ClusterView, zoneName: string): ZoneHaSummary {
  const zone = view.zone(zoneName);
  const zoneHosts = view.hosts().filter((h) => h.spec?.zone === zoneName);
  const ha = buildHaZone(zone, zoneName, zoneHosts, view.vms());
  const policy = admissionPolicy(zone, ha);
  const probe = checkPowerOn(ha, { name: '\0probe', vcpus: 1, memoryMiB: 128 }, policy);
  const failover = failoverHosts(zone);
  const names = new Set(zoneHosts.map((h) => h.metadata.name));
  const restarts = view
    .vms()
    .filter((v) => names.has(v.status?.host ?? ''))
    .flatMap((v) => {
      const c = getCondition(v.status?.conditions, HA_RESTART_CONDITION);
      return c && (c.status === 'True' || c.reason === 'Abandoned') ? [{ vm: v.metadata.name, reason: c.reason, message: c.message }] : [];
    });
  return {
    zone: zoneName,
    enabled: haEnabled(zone),
    deadAfterSeconds: deadAfterMs(zone) / 1000,
    policy,
    admission: { message: probe.message.replace(/^powering on needs [^;]*; /, ''), available: probe.available },
    hosts: zoneHosts.map((h) => ({
      name: h.metadata.name,
      state: h.status?.state ?? 'Unknown',
      ha: getCondition(h.status?.conditions, HA_STATE_CONDITION)?.reason ?? (haEnabled(zone) ? 'Alive' : '-'),
      maintenance: getCondition(h.status?.conditions, MAINTENANCE_CONDITION)?.reason ?? (h.spec?.maintenance ? 'Entering' : '-'),
      failover: failover.has(h.metadata.name),
      vms: h.status?.vms ?? 0,
    })),
    restarts,
  };
}
