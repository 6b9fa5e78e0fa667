/**
 * HA admission control at power-on: may this VM start without eating into the capacity kept for
 * failover? The verdict carries the numbers either way, e.g. "powering on needs 8 vCPU / 32 GiB;
 * with 25% reserved for failover the zone has 3.2 vCPU / 10 GiB left".
 */
import { fits, hostUse, isOn, isUp, sizeOf, sub, totals, type HostUse } from './capacity.js';
import { formatPercent, formatResources } from './format.js';
import { checkPolicy } from './policy.js';
import { slotFigures, slotsOf, type SlotFigures } from './slots.js';
import type { AdmissionPolicy, AdmissionPolicyType, HaHost, HaVm, HaZone, Resources } from './types.js';

export interface AdmissionVerdict {
  readonly ok: boolean;
  readonly policy: AdmissionPolicyType;
  readonly message: string;
  readonly needs: Resources;
  /** What the policy leaves for new VMs: zone-wide after the reserve, or the freest allowed host. */
  readonly available: Resources;
  /** Slot accounting, for the slot policy. */
  readonly slots?: SlotFigures;
}

/**
 * Checks powering on `vm` (on `vm.host`, if the placement already chose one) against the policy.
 * The VM itself, if listed in the zone as powered on, is not counted twice.
 */
export function checkPowerOn(zone: HaZone, vm: HaVm, policy: AdmissionPolicy): AdmissionVerdict {
  checkPolicy(policy, zone);
  const others: HaZone = { hosts: zone.hosts, vms: zone.vms.filter((v) => v.name !== vm.name) };
  const use = hostUse(others);
  const needs = sizeOf(vm);
  const head = `powering on needs ${formatResources(needs)}`;
  switch (policy.type) {
    case 'disabled':
      return { ok: true, policy: policy.type, message: `${head}; admission control is disabled`, needs, available: sub(totals(use, isUp).capacity, totals(use, isUp).used) };
    case 'percentage': {
      const { capacity, used } = totals(use, isUp);
      const reserve = { vcpus: (capacity.vcpus * policy.cpuPercent) / 100, memoryMiB: (capacity.memoryMiB * policy.memPercent) / 100 };
      const available = sub(sub(capacity, reserve), used);
      const share = policy.cpuPercent === policy.memPercent ? formatPercent(policy.cpuPercent) : `${formatPercent(policy.cpuPercent)} CPU and ${formatPercent(policy.memPercent)} memory`;
      return { ok: fits(needs, available), policy: policy.type, message: `${head}; with ${share} reserved for failover the zone has ${formatResources(available)} left`, needs, available };
    }
    case 'failoverHosts':
      return failoverHostsVerdict(use, vm, needs, policy.hosts, head);
    case 'slots': {
      const counted = [...use.values()].filter((u) => isUp(u.host));
      const s = slotFigures(counted, poweredOnSizes(others, use), policy, needs);
      const n = slotsOf(needs, s.slot);
      const message =
        `${head}, ${n} slot${n === 1 ? '' : 's'} of ${formatResources(s.slot)}; the zone has ${s.total} slots, ` +
        `${s.reserved} kept for ${policy.failures} host failure${policy.failures === 1 ? '' : 's'} and ${s.used} in use: ${Math.max(0, s.free)} left`;
      const available = { vcpus: Math.max(0, s.free) * s.slot.vcpus, memoryMiB: Math.max(0, s.free) * s.slot.memoryMiB };
      return { ok: n <= s.free, policy: policy.type, message, needs, available, slots: s };
    }
  }
}

/** Sizes of the powered-on VMs on up hosts. */
export function poweredOnSizes(zone: HaZone, use: ReadonlyMap<string, HostUse>, exclude?: string): Resources[] {
  const out: Resources[] = [];
  for (const v of zone.vms) {
    if (!isOn(v) || v.host === undefined || v.host === exclude) continue;
    const u = use.get(v.host);
    if (u !== undefined && isUp(u.host)) out.push(sizeOf(v));
  }
  return out;
}

function failoverHostsVerdict(use: ReadonlyMap<string, HostUse>, vm: HaVm, needs: Resources, failover: readonly string[], head: string): AdmissionVerdict {
  const reserved = new Set(failover);
  const list = failover.join(', ');
  if (vm.host !== undefined && reserved.has(vm.host)) {
    return { ok: false, policy: 'failoverHosts', message: `${head}; ${vm.host} is a dedicated failover host and takes no VMs in normal operation`, needs, available: { vcpus: 0, memoryMiB: 0 } };
  }
  const best = freestHost(use, needs, (h) => isUp(h) && !reserved.has(h.name) && (vm.host === undefined || h.name === vm.host));
  if (best === undefined) return { ok: false, policy: 'failoverHosts', message: `${head}; no host outside the failover hosts (${list}) is up`, needs, available: { vcpus: 0, memoryMiB: 0 } };
  const free = sub(best.capacity, best.used);
  const ok = fits(needs, free);
  const message = ok
    ? `${head}; ${best.host.name} has ${formatResources(free)} free outside the failover hosts (${list})`
    : `${head}; with ${list} kept empty for failover the freest host, ${best.host.name}, has ${formatResources(free)}`;
  return { ok, policy: 'failoverHosts', message, needs, available: free };
}

/** The host whose free room covers the largest share of `needs` (ties: name). */
export function freestHost(use: ReadonlyMap<string, HostUse>, needs: Resources, include: (h: HaHost) => boolean): HostUse | undefined {
  let best: HostUse | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const u of use.values()) {
    if (!include(u.host)) continue;
    const free = sub(u.capacity, u.used);
    const score = Math.min(needs.vcpus > 0 ? free.vcpus / needs.vcpus : Infinity, needs.memoryMiB > 0 ? free.memoryMiB / needs.memoryMiB : Infinity);
    if (score > bestScore || (score === bestScore && best !== undefined && u.host.name < best.host.name)) {
      best = u;
      bestScore = score;
    }
  }
  return best;
}
