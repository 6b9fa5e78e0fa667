/**
 * The simulated datacenter's inventory and bookkeeping: hosts, VMs and disks in Maps (no scan per
 * operation, so 10,000 hosts and 100,000 VMs stay cheap), memory accounting that refuses to
 * overcommit a host's physical memory, the event stream and its bounded history.
 */
import { Random, type Clock } from '../../clock/index.js';
import type { HostInventory, InfraEvent, VmInfo, VmPower, VmResources, ZoneInventory } from '../driver.js';
import { expandTopology, type Topology } from '../topology.js';
import { EventQueue } from './event-queue.js';
import { hostUnavailable, noCapacity, notFound, TaskRunner, type Lockable, type SimOperation, type Task } from './tasks.js';
import type { SimTimings } from './timings.js';

export interface SimHost {
  readonly inv: HostInventory;
  up: boolean;
  /** Cut off from the management network (still running, datastore heartbeats continue). */
  isolated: boolean;
  /** Memory of running or starting VMs and of incoming migrations. */
  usedMiB: number;
  readonly vms: Set<SimVm>;
  readonly numaIds: ReadonlySet<number>;
  readonly features: ReadonlySet<string>;
  /** Migrations in or out, running or queued. */
  readonly migrations: Set<Task>;
  activeMigrations: number;
}

export interface SimVm extends Lockable {
  readonly vmId: string;
  readonly agentId: string;
  host: SimHost;
  power: VmPower;
  resources: VmResources;
  metadata: Readonly<Record<string, string>>;
  /** Attached disk ids (frozen; replaced on change, so getVm can hand it out). */
  disks: readonly string[];
  /** Being cloned and booted: not visible through the Driver yet. */
  provisioning: boolean;
  /** Counted in its host's usedMiB. */
  holdsMemory: boolean;
  deleting: Promise<void> | undefined;
  /** Guest dirty rate (MB/s) for live migration; the timings' default when unset. */
  dirtyRateMBps: number | undefined;
}

export interface SimDisk extends Lockable {
  readonly diskId: string;
  readonly sizeMiB: number;
  vmId: string | undefined;
  readonly snapshots: string[];
}

export interface SimStateOptions {
  readonly topology: Topology;
  readonly clock: Clock;
  readonly seed: number;
  readonly timings: SimTimings;
  /** Events and operations kept for history()/operations(); default 100,000 each. */
  readonly historyLimit?: number;
}

/** A bounded log: keeps the last `limit` entries, trimming in chunks (amortised O(1) per push). */
class BoundedLog<T> {
  private items: T[] = [];
  constructor(private readonly limit: number) {}
  push(x: T): void {
    this.items.push(x);
    if (this.items.length > this.limit + (this.limit >> 2)) this.items = this.items.slice(-this.limit);
  }
  snapshot(): readonly T[] {
    return Object.freeze(this.items.length > this.limit ? this.items.slice(-this.limit) : this.items.slice());
  }
}

export class SimState {
  readonly zones: readonly ZoneInventory[];
  readonly hostList: readonly HostInventory[];
  readonly hosts = new Map<string, SimHost>();
  readonly vms = new Map<string, SimVm>();
  readonly disks = new Map<string, SimDisk>();
  readonly queue: EventQueue;
  readonly tasks: TaskRunner;
  readonly timings: SimTimings;
  readonly listeners = new Set<(e: InfraEvent) => void>();
  private readonly events: BoundedLog<InfraEvent>;
  private readonly ops: BoundedLog<SimOperation>;
  private upCache: readonly string[] | undefined;
  private managedCache: readonly string[] | undefined;
  private readonly idTag: string;
  private nextSerial = 1;
  closed = false;

  constructor(o: SimStateOptions) {
    const inv = expandTopology(o.topology);
    this.zones = Object.freeze(inv.zones);
    this.hostList = Object.freeze(inv.hosts);
    for (const h of inv.hosts) {
      this.hosts.set(h.name, {
        inv: h,
        up: true,
        isolated: false,
        usedMiB: 0,
        vms: new Set(),
        numaIds: new Set(h.numaNodes.map((n) => n.id)),
        features: new Set(h.features),
        migrations: new Set(),
        activeMigrations: 0,
      });
    }
    this.timings = o.timings;
    this.queue = new EventQueue(o.clock);
    const root = new Random(o.seed);
    // Ids carry a tag from the seed and the start time, so a restarted server never hands out an
    // id a stored VM still refers to, while a virtual-clock run replays the same ids.
    this.idTag = root.fork(`ids:${o.clock.now()}`).int(0, 36 ** 4 - 1).toString(36).padStart(4, '0');
    this.events = new BoundedLog(o.historyLimit ?? 100_000);
    this.ops = new BoundedLog(o.historyLimit ?? 100_000);
    this.tasks = new TaskRunner(this.queue, root.fork('jitter'), o.timings.jitter, (op) => this.logOperation(op));
  }

  logOperation(op: SimOperation): void {
    this.ops.push(Object.freeze(op));
  }

  newId(prefix: 'vm' | 'disk' | 'snap'): string {
    return `${prefix}-${this.idTag}-${this.nextSerial++}`;
  }

  emit(e: InfraEvent): void {
    const ev = Object.freeze(e);
    this.events.push(ev);
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (err) {
        // A listener's bug must not corrupt the simulation; surface it instead of swallowing it.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  history(): readonly InfraEvent[] {
    return this.events.snapshot();
  }

  operations(): readonly SimOperation[] {
    return this.ops.snapshot();
  }

  /** Names of hosts that are up, in inventory order; recomputed only after a host changes state. */
  upHosts(): readonly string[] {
    this.upCache ??= Object.freeze(this.hostList.filter((h) => this.hosts.get(h.name)?.up).map((h) => h.name));
    return this.upCache;
  }

  /** Hosts that are up and reachable on the management network (not isolated), in inventory order. */
  managedHosts(): readonly string[] {
    this.managedCache ??= Object.freeze(this.hostList.filter((h) => this.hosts.get(h.name)?.up && !this.hosts.get(h.name)?.isolated).map((h) => h.name));
    return this.managedCache;
  }

  hostStateChanged(): void {
    this.upCache = undefined;
    this.managedCache = undefined;
  }

  /** A host by name, or NotFound. */
  host(name: string): SimHost {
    const h = this.hosts.get(name);
    if (!h) throw notFound('host', name);
    return h;
  }

  /** A host that can run things: unknown, failed and isolated hosts are HostUnavailable (retry elsewhere or later). */
  upHost(name: string): SimHost {
    const h = this.hosts.get(name);
    if (!h) throw hostUnavailable(name, 'is unknown');
    if (!h.up) throw hostUnavailable(name, 'has failed');
    if (h.isolated) throw hostUnavailable(name, 'is isolated from the management network');
    return h;
  }

  /** A VM visible through the driver (created, not provisioning), or NotFound. */
  vm(vmId: string): SimVm {
    const vm = this.vms.get(vmId);
    if (!vm || vm.provisioning) throw notFound('VM', vmId);
    return vm;
  }

  disk(diskId: string): SimDisk {
    const d = this.disks.get(diskId);
    if (!d) throw notFound('disk', diskId);
    return d;
  }

  /** Throws NoCapacity if `memoryMiB` more would exceed the host's physical memory. */
  checkMemory(h: SimHost, memoryMiB: number): void {
    if (h.usedMiB + memoryMiB > h.inv.memoryMiB)
      throw noCapacity(`host "${h.inv.name}" has ${h.inv.memoryMiB - h.usedMiB} MiB of physical memory free, the VM needs ${memoryMiB} MiB`);
  }

  /** Counts the VM's memory on its host (after checkMemory). */
  hold(vm: SimVm): void {
    if (vm.holdsMemory) return;
    this.checkMemory(vm.host, vm.resources.memoryMiB);
    vm.host.usedMiB += vm.resources.memoryMiB;
    vm.holdsMemory = true;
  }

  release(vm: SimVm): void {
    if (!vm.holdsMemory) return;
    vm.host.usedMiB -= vm.resources.memoryMiB;
    vm.holdsMemory = false;
  }

  /** Sets the power state and emits VmPowerChanged. */
  setPower(vm: SimVm, power: VmPower, reason: string): void {
    vm.power = power;
    this.emit({ type: 'VmPowerChanged', time: this.queue.now(), vmId: vm.vmId, host: vm.host.inv.name, power, reason });
  }

  info(vm: SimVm): VmInfo {
    return Object.freeze({
      vmId: vm.vmId,
      agentId: vm.agentId,
      host: vm.host.inv.name,
      power: vm.power,
      resources: vm.resources,
      metadata: vm.metadata,
      disks: vm.disks,
    });
  }
}
