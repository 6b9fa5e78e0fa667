/**
 * HA admission control at placement (vSphere checks it at power-on; a VM's first placement is its
 * power-on here): a host whose zone's policy would break if the VM started there is filtered out
 * with the policy's numbers as the reason, e.g. `HaAdmissionControl(zone-a): powering on needs
 * 8 vCPU / 32 GiB; with 25% reserved for failover the zone has 3.2 vCPU / 10 GiB left`. Dedicated
 * failover hosts are filtered as `HaFailoverHost`. The verdict is per zone and computed once per
 * decision: O(1) for the percentage policy (from running sums), O(VMs of the zone) for slots.
 */
import type { Zone } from '../../api/index.js';
import { checkPowerOn, type AdmissionPolicy, type HaVm, type HaZone } from '../../ha/index.js';
import { SUCCESS, unschedulable, type CycleState, type FilterPlugin, type FilterStatus, type HostInfo, type PlacementRequest } from '../../scheduler/index.js';
import { admissionPolicy, haEnabled } from '../model/ha-config.js';
import { FailoverHostFilter } from './failover-filter.js';
import type { ZoneTally } from './zone-tally.js';

export class HaAdmissionFilter implements FilterPlugin {
  readonly name = 'HaAdmissionControl';
  private readonly failover: FailoverHostFilter;
  private lastReq: PlacementRequest | undefined;
  private readonly verdicts = new Map<string, FilterStatus>();

  constructor(
    private readonly tally: ZoneTally,
    private readonly zone: (name: string) => Zone | undefined,
  ) {
    this.failover = new FailoverHostFilter(zone);
  }

  filter(state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    const zoneName = host.zone.name;
    const zone = this.zone(zoneName);
    if (!haEnabled(zone)) return SUCCESS;
    const f = this.failover.filter(state, req, host);
    if (f.code !== 'Success') return f;
    if (req !== this.lastReq) {
      this.lastReq = req;
      this.verdicts.clear();
    }
    let v = this.verdicts.get(zoneName);
    if (v === undefined) this.verdicts.set(zoneName, (v = this.verdict(zone, zoneName, req)));
    return v;
  }

  /** The zone's policy, resolved again only when the zone or its hosts changed ("tolerate k" depends on the hosts). */
  private policyOf(zone: Zone | undefined, zoneName: string, hostVersion: number): AdmissionPolicy {
    const c = this.policies.get(zoneName);
    if (c !== undefined && c.zone === zone && c.hostVersion === hostVersion) return c.policy;
    const policy = admissionPolicy(zone, { hosts: this.tally.haHosts(zoneName), vms: [] });
    this.policies.set(zoneName, { zone, hostVersion, policy });
    return policy;
  }

  private readonly policies = new Map<string, { zone: Zone | undefined; hostVersion: number; policy: AdmissionPolicy }>();

  private verdict(zone: Zone | undefined, zoneName: string, req: PlacementRequest): FilterStatus {
    const sums = this.tally.zoneSums(zoneName);
    if (sums.upHosts === 0) return SUCCESS; // no host in service: the host-state filter speaks
    const vm: HaVm = { name: req.key, vcpus: req.cpus, memoryMiB: req.memoryMiB };
    const policy = this.policyOf(zone, zoneName, sums.hostVersion);
    if (policy.type === 'disabled' || policy.type === 'failoverHosts') return SUCCESS; // failover hosts are filtered above; room is the capacity filter's
    const ha: HaZone = policy.type === 'percentage' ? compact(zoneName, sums.capacity, sums.used) : this.tally.haZone(zoneName);
    const verdict = checkPowerOn(ha, vm, policy);
    return verdict.ok ? SUCCESS : unschedulable(`HaAdmissionControl(${zoneName}): ${verdict.message}`);
  }
}

/**
 * The percentage policy only sums capacity and use over the zone's in-service hosts, so one host
 * holding the sums and one VM holding the use give the same verdict and numbers as the whole zone.
 */
function compact(zone: string, capacity: { vcpus: number; memoryMiB: number }, used: { vcpus: number; memoryMiB: number }): HaZone {
  return { hosts: [{ name: zone, vcpus: capacity.vcpus, memoryMiB: capacity.memoryMiB }], vms: [{ name: '\0in-use', host: zone, vcpus: used.vcpus, memoryMiB: used.memoryMiB }] };
}
