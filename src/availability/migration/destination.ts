/**
 * Where may a VM live-migrate? The destination must be another in-service host of the VM's zone,
 * not a dedicated HA failover host, and pass the scheduler's placement rules (isolation, capacity
 * under overcommit, NUMA fit, features). A refusal names the conflict in a sentence ("h3 runs
 * high-sensitivity VMs and zone-a keeps sensitivity levels apart; web-1 is low"). Without a
 * requested host the scheduler picks one the same way initial placement would.
 */
import { SENSITIVITY_LEVELS, type VirtualMachine } from '../../api/index.js';
import { Scheduler, SUCCESS, unresolvable, vmKey, type CycleState, type FilterPlugin, type FilterStatus, type HostInfo, type PlacementRequest } from '../../scheduler/index.js';
import { failoverFilterOf } from '../ha/failover-filter.js';
import type { ClusterView } from '../model/cluster-view.js';
import { SchedulerCheck } from '../model/scheduler-check.js';

export type DestinationVerdict =
  | { readonly ok: true; readonly host: string; readonly numaNodes: readonly number[]; readonly zone: string }
  | { readonly ok: false; readonly reason: string };

const no = (reason: string): DestinationVerdict => ({ ok: false, reason });

/**
 * Checks (or, without `toHost`, chooses) the destination of a live migration of `vm`. `check`, when
 * given, is a read-only check over a live snapshot (the controllers'); otherwise one is built for
 * the zone from the view (API admission).
 */
export function planDestination(view: ClusterView, vm: VirtualMachine, toHost?: string, check?: SchedulerCheck): DestinationVerdict {
  const name = vm.metadata.name;
  const from = vm.status?.host;
  if (from === undefined || vm.status?.phase !== 'Running' || vm.status.vmId === undefined)
    return no(`${name} is ${vm.status?.phase ?? 'Pending'}; only a running VM can be live-migrated`);
  const source = view.host(from);
  const zoneName = source?.spec?.zone ?? vm.status.zone ?? '';
  if (toHost !== undefined) {
    const dest = view.host(toHost);
    if (dest === undefined) return no(`host ${toHost} does not exist`);
    if (toHost === from) return no(`${name} already runs on ${toHost}`);
    if (dest.spec?.zone !== zoneName) return no(`${toHost} is in zone ${dest.spec?.zone ?? '?'}; live migration stays within ${name}'s zone ${zoneName}`);
    if (dest.spec?.maintenance === true) return no(`${toHost} is in maintenance mode and takes no VMs`);
    if (dest.status?.state !== 'Ready') return no(`${toHost} is ${dest.status?.state ?? 'not ready'} and takes no VMs`);
  }
  check ??= zoneCheck(view, zoneName);
  const key = vmKey(vm);
  if (toHost !== undefined) {
    const r = check.check(key, toHost);
    if (r.ok) return { ok: true, host: toHost, numaNodes: r.numaNodes, zone: zoneName };
    return no(explain(r.reason, vm, toHost, zoneName, check.snapshot.host(toHost)));
  }
  const scheduler = new Scheduler(check.snapshot, { profile: { ...check.profile, filters: [new NotHost(from), new InZone(zoneName), ...check.profile.filters] } });
  const r = scheduler.schedule(check.snapshot.compile(vm));
  if (!r.ok) return no(`no other host of zone ${zoneName} can take ${name}: ${r.explanation.message}`);
  return { ok: true, host: r.host, numaNodes: r.numaNodes, zone: zoneName };
}

/** Placement rules over the zone's hosts and VMs, dedicated failover hosts excluded. */
function zoneCheck(view: ClusterView, zoneName: string): SchedulerCheck {
  const zoneHosts = view.hosts().filter((h) => h.spec?.zone === zoneName);
  const onZone = new Set(zoneHosts.map((h) => h.metadata.name));
  return SchedulerCheck.build({
    hosts: zoneHosts,
    zones: view.zones(),
    tenants: view.tenants(),
    vms: view.vms().filter((v) => v.status?.host !== undefined && onZone.has(v.status.host)),
    extraFilters: [failoverFilterOf(view.zones())],
  });
}

/** Keeps the VM's current host out of the candidates. */
class NotHost implements FilterPlugin {
  readonly name = 'NotSourceHost';
  private static readonly SOURCE = unresolvable('SourceHost');
  constructor(private readonly host: string) {}
  filter(_s: CycleState, _r: PlacementRequest, host: HostInfo): FilterStatus {
    return host.name === this.host ? NotHost.SOURCE : SUCCESS;
  }
}

/** Keeps hosts of other zones out (live migration stays within the zone). */
class InZone implements FilterPlugin {
  readonly name = 'SameZone';
  private static readonly OTHER = unresolvable('OtherZone');
  constructor(private readonly zone: string) {}
  filter(_s: CycleState, _r: PlacementRequest, host: HostInfo): FilterStatus {
    return host.zone.name === this.zone ? SUCCESS : InZone.OTHER;
  }
}

/** A scheduler reason in words, naming the conflict (never another tenant's name). */
export function explain(reason: string, vm: VirtualMachine, host: string, zone: string, info: HostInfo | undefined): string {
  const name = vm.metadata.name;
  switch (reason) {
    case 'SensitivityIsolation': {
      const levels = SENSITIVITY_LEVELS.filter((_l, i) => (info?.sensitivityCounts[i] ?? 0) > 0 && SENSITIVITY_LEVELS[i] !== vm.spec?.sensitivity);
      return `${host} runs ${levels.join('/') || 'other'}-sensitivity VMs and zone ${zone} keeps sensitivity levels apart (isolation per-sensitivity); ${name} is ${vm.spec?.sensitivity ?? '?'}`;
    }
    case 'TenantIsolation':
      return `${host} runs another tenant's VMs and zone ${zone} gives each tenant its own hosts (isolation per-tenant)`;
    case 'InsufficientCPU':
      return `${host} has ${Math.max(0, (info?.cpuCapacity ?? 0) - (info?.allocatedVcpus ?? 0))} of ${info?.cpuCapacity ?? '?'} vCPUs free under overcommit; ${name} needs ${vm.spec?.cpus}`;
    case 'InsufficientMemory':
      return `${host} has ${Math.max(0, (info?.memoryCapacity ?? 0) - (info?.allocatedMemoryMiB ?? 0))} of ${info?.memoryCapacity ?? '?'} MiB free; ${name} needs ${vm.spec?.memoryMiB}`;
    case 'NumaNoFit':
      return `no set of NUMA nodes on ${host} has room for ${name}`;
    case 'HaFailoverHost':
      return `${host} is a dedicated HA failover host of zone ${zone} and takes no VMs in normal operation`;
    case 'HostCordoned':
      return `${host} is cordoned (or in maintenance mode) and takes no new VMs`;
    case 'HostNotReady':
      return `${host} is not ready`;
    case 'ZoneNotAllowed':
      return `${name}'s tenant may not use zone ${zone}`;
    default:
      return reason.startsWith('MissingFeature:') ? `${host} lacks the ${reason.slice('MissingFeature:'.length)} feature ${name} needs` : `${host} refused ${name}: ${reason}`;
  }
}
