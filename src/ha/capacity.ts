/** Capacity and use of a zone's hosts, the arithmetic every admission-control policy starts from. */
import { ValidationError } from '../api/index.js';
import type { HaHost, HaVm, HaZone, Resources } from './types.js';

export const ZERO: Resources = Object.freeze({ vcpus: 0, memoryMiB: 0 });

export function add(a: Resources, b: Resources): Resources {
  return { vcpus: a.vcpus + b.vcpus, memoryMiB: a.memoryMiB + b.memoryMiB };
}

export function sub(a: Resources, b: Resources): Resources {
  return { vcpus: a.vcpus - b.vcpus, memoryMiB: a.memoryMiB - b.memoryMiB };
}

export function fits(need: Resources, room: Resources): boolean {
  return need.vcpus <= room.vcpus + 1e-9 && need.memoryMiB <= room.memoryMiB + 1e-9;
}

export function isUp(h: HaHost): boolean {
  return h.up !== false;
}

export function isOn(v: HaVm): boolean {
  return v.poweredOn !== false;
}

export function sizeOf(v: Pick<HaVm, 'vcpus' | 'memoryMiB'>): Resources {
  return { vcpus: v.vcpus, memoryMiB: v.memoryMiB };
}

/** Per host: capacity and what powered-on VMs use. */
export interface HostUse {
  readonly host: HaHost;
  readonly capacity: Resources;
  used: Resources;
}

/** Capacity and use of each host, by name; VMs on unknown hosts are ignored. Checks the input once. */
export function hostUse(zone: HaZone): Map<string, HostUse> {
  const out = new Map<string, HostUse>();
  zone.hosts.forEach((h, i) => {
    if (!(h.vcpus > 0 && h.memoryMiB > 0)) throw ValidationError.field(`hosts[${i}]`, `host "${h.name}" needs positive vcpus and memoryMiB`);
    if (out.has(h.name)) throw ValidationError.field(`hosts[${i}].name`, `duplicate host "${h.name}"`);
    out.set(h.name, { host: h, capacity: sizeOf(h), used: ZERO });
  });
  for (const v of zone.vms) {
    if (!isOn(v) || v.host === undefined) continue;
    const u = out.get(v.host);
    if (u !== undefined) u.used = add(u.used, sizeOf(v));
  }
  return out;
}

/** Capacity and use summed over the hosts `include` accepts. */
export function totals(use: ReadonlyMap<string, HostUse>, include: (h: HaHost) => boolean): { capacity: Resources; used: Resources } {
  let capacity = ZERO;
  let used = ZERO;
  for (const u of use.values()) {
    if (!include(u.host)) continue;
    capacity = add(capacity, u.capacity);
    used = add(used, u.used);
  }
  return { capacity, used };
}
