/**
 * Running HA figures per zone for admission control at placement time, kept from the informers
 * in O(1) per event: each in-service host's capacity (under the zone's overcommit) and each
 * powered-on VM's size on its host, summed per zone over in-service hosts. `haZone(zone)` gives the
 * pure layer's `HaZone`, rebuilt only when the zone changed since it was last asked for.
 */
import type { Host, VirtualMachine, Zone } from '../../api/index.js';
import type { Informer } from '../../controllers/index.js';
import type { HaHost, HaVm, HaZone, Resources } from '../../ha/index.js';
import { haHost, haVm, inService } from '../model/ha-zone.js';

interface HostEntry {
  readonly zone: string;
  readonly ha: HaHost;
  used: Resources;
}

interface VmEntry {
  readonly host: string;
  readonly vm: HaVm;
}

export interface ZoneSums {
  /** Capacity of the zone's in-service hosts. */
  readonly capacity: Resources;
  /** What the powered-on VMs on those hosts use. */
  readonly used: Resources;
  readonly upHosts: number;
  /** Bumped on every change, for caches. */
  readonly version: number;
  /** Bumped when a host of the zone changes (not its VMs). */
  readonly hostVersion: number;
}

const ZERO: Resources = Object.freeze({ vcpus: 0, memoryMiB: 0 });
const EMPTY: ReadonlySet<string> = new Set();
const plus = (a: Resources, b: Resources, sign: 1 | -1): Resources => ({ vcpus: a.vcpus + sign * b.vcpus, memoryMiB: a.memoryMiB + sign * b.memoryMiB });

export class ZoneTally {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly vms = new Map<string, VmEntry>();
  private readonly sums = new Map<string, { capacity: Resources; used: Resources; upHosts: number; version: number; hostVersion: number }>();
  /** Powered-on VMs per zone, by name. */
  private readonly zoneVms = new Map<string, Map<string, VmEntry>>();
  /** Powered-on VMs per host, by name. */
  private readonly hostVms = new Map<string, Set<string>>();
  private readonly built = new Map<string, { version: number; zone: HaZone }>();
  private readonly builtHosts = new Map<string, { version: number; hosts: readonly HaHost[] }>();

  constructor(private readonly inf: { readonly zones: Informer<Zone>; readonly hosts: Informer<Host>; readonly vms: Informer<VirtualMachine> }) {
    // Only a spec change (overcommit) matters; the zone's status is rewritten as its hosts change.
    inf.zones.addHandlers({ onAdd: (z) => this.zoneChanged(z.metadata.name), onUpdate: (o, z) => o.metadata.generation !== z.metadata.generation && this.zoneChanged(z.metadata.name) });
    inf.hosts.addHandlers({ onAdd: (h) => this.setHost(h), onUpdate: (_o, h) => this.setHost(h), onDelete: (h) => this.dropHost(h.metadata.name) });
    inf.vms.addHandlers({ onAdd: (v) => this.setVm(v), onUpdate: (_o, v) => this.setVm(v), onDelete: (v) => this.dropVm(v.metadata.name) });
  }

  /** Sums of the zone (zero when unknown). */
  zoneSums(zone: string): ZoneSums {
    return this.sums.get(zone) ?? { capacity: ZERO, used: ZERO, upHosts: 0, version: 0, hostVersion: 0 };
  }

  /** Names of the powered-on VMs placed on a host. */
  vmsOn(host: string): ReadonlySet<string> {
    return this.hostVms.get(host) ?? EMPTY;
  }

  /** Each host of the zone with what its powered-on VMs use. */
  hostUse(zone: string): { readonly host: HaHost; readonly used: Resources }[] {
    const out: { host: HaHost; used: Resources }[] = [];
    for (const h of this.hosts.values()) if (h.zone === zone) out.push({ host: h.ha, used: h.used });
    return out;
  }

  /** The zone's hosts as the pure HA layer sees them (no VMs). */
  haHosts(zone: string): readonly HaHost[] {
    const version = this.zoneSums(zone).hostVersion;
    const cached = this.builtHosts.get(zone);
    if (cached?.version === version) return cached.hosts;
    const hosts: HaHost[] = [];
    for (const h of this.hosts.values()) if (h.zone === zone) hosts.push(h.ha);
    this.builtHosts.set(zone, { version, hosts });
    return hosts;
  }

  /** The zone as the pure HA layer sees it: its hosts and the powered-on VMs on them. */
  haZone(zone: string): HaZone {
    const version = this.zoneSums(zone).version;
    const cached = this.built.get(zone);
    if (cached?.version === version) return cached.zone;
    const vms: HaVm[] = [];
    for (const v of this.zoneVms.get(zone)?.values() ?? []) vms.push(v.vm);
    const built = { hosts: this.haHosts(zone), vms };
    this.built.set(zone, { version, zone: built });
    return built;
  }

  private sumsOf(zone: string) {
    let s = this.sums.get(zone);
    if (s === undefined) this.sums.set(zone, (s = { capacity: ZERO, used: ZERO, upHosts: 0, version: 0, hostVersion: 0 }));
    return s;
  }

  /** Adds (sign 1) or removes (-1) a host's share of its zone's sums. */
  private count(h: HostEntry, sign: 1 | -1): void {
    const s = this.sumsOf(h.zone);
    s.version++;
    s.hostVersion++;
    if (h.ha.up === false) return;
    s.capacity = plus(s.capacity, h.ha, sign);
    s.used = plus(s.used, h.used, sign);
    s.upHosts += sign;
  }

  private setHost(host: Host): void {
    const name = host.metadata.name;
    const zone = host.spec?.zone;
    const old = this.hosts.get(name);
    if (old) this.count(old, -1);
    if (zone === undefined) {
      this.hosts.delete(name);
      return;
    }
    const entry: HostEntry = { zone, ha: haHost(host, this.inf.zones.get(zone), inService), used: old?.used ?? ZERO };
    this.hosts.set(name, entry);
    this.count(entry, 1);
  }

  private dropHost(name: string): void {
    const old = this.hosts.get(name);
    if (old) this.count(old, -1);
    this.hosts.delete(name);
  }

  private zoneChanged(zone: string): void {
    // Overcommit may have changed: recompute the zone's host capacities.
    for (const [name, h] of this.hosts) {
      if (h.zone !== zone) continue;
      const host = this.inf.hosts.get(name);
      if (host) this.setHost(host);
    }
    const s = this.sumsOf(zone);
    s.version++;
    s.hostVersion++;
  }

  /** Adds or removes a VM's use on its host (and its zone, when the host is in service). */
  private use(name: string, e: VmEntry, sign: 1 | -1): void {
    let onHost = this.hostVms.get(e.host);
    if (onHost === undefined) this.hostVms.set(e.host, (onHost = new Set()));
    if (sign > 0) onHost.add(name);
    else onHost.delete(name);
    const h = this.hosts.get(e.host);
    if (h === undefined) return;
    let set = this.zoneVms.get(h.zone);
    if (set === undefined) this.zoneVms.set(h.zone, (set = new Map()));
    if (sign > 0) set.set(name, e);
    else set.delete(name);
    h.used = plus(h.used, e.vm, sign);
    const s = this.sumsOf(h.zone);
    s.version++;
    if (h.ha.up !== false) s.used = plus(s.used, e.vm, sign);
  }

  private setVm(vm: VirtualMachine): void {
    this.dropVm(vm.metadata.name);
    const ha = haVm(vm);
    if (ha.host === undefined || ha.poweredOn === false) return;
    const e: VmEntry = { host: ha.host, vm: ha };
    this.vms.set(vm.metadata.name, e);
    this.use(vm.metadata.name, e, 1);
  }

  private dropVm(name: string): void {
    const old = this.vms.get(name);
    if (old === undefined) return;
    this.use(name, old, -1);
    this.vms.delete(name);
  }
}
