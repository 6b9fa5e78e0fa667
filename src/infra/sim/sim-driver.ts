/**
 * The simulated datacenter (digital twin): a Driver whose hosts, VMs and disks live in memory and
 * whose operations take modeled durations on the injected Clock, with seeded jitter. Same seed,
 * same calls, same virtual clock: same event history. Adds fault injection (`faults`) and a few
 * simulation knobs and read-outs beyond the Driver contract.
 */
import type { Clock } from '../../clock/index.js';
import {
  DriverError,
  type CreateVmRequest,
  type Driver,
  type DriverInfo,
  type FaultInjector,
  type HostInventory,
  type InfraEvent,
  type MigrationResult,
  type VmInfo,
  type ZoneInventory,
} from '../driver.js';
import { defaultTopology, type Topology } from '../topology.js';
import { attachDisk, createDisk, deleteDisk, detachDisk, snapshotDisk } from './disk-ops.js';
import { Migrations } from './migrations.js';
import { planPrecopy, type PrecopyPlan } from './precopy.js';
import { SimState } from './state.js';
import { hostUnavailable, invalid, type SimOperation } from './tasks.js';
import { resolveTimings, type SimTimings, type SimTimingsOverrides } from './timings.js';
import { createVm, deleteVm, rebootVm, setVmMetadata, setVmPower } from './vm-ops.js';

export interface SimDriverOptions {
  /** Default: defaultTopology() (2 zones x 8 hosts). */
  readonly topology?: Topology;
  readonly clock: Clock;
  /** Seed of every random draw (jitter, ids); default 1. */
  readonly seed?: number;
  readonly timings?: SimTimingsOverrides;
  /** Events and operations kept by history()/operations(); default 100,000. */
  readonly historyLimit?: number;
}

/** What one host looks like inside the simulation right now. */
export interface SimHostUsage {
  readonly up: boolean;
  /** Up but cut off from the management network. */
  readonly isolated: boolean;
  /** Memory of running or booting VMs and incoming migrations. */
  readonly usedMemoryMiB: number;
  readonly vms: number;
  readonly activeMigrations: number;
}

export interface SimStats {
  readonly hosts: number;
  readonly upHosts: number;
  readonly vms: number;
  readonly runningVms: number;
  readonly disks: number;
  readonly pendingTasks: number;
  readonly queuedMigrations: number;
}

/** The simulated driver: the Driver contract plus fault injection and simulation read-outs. */
export interface SimDriver extends Driver {
  readonly faults: FaultInjector;
  readonly timings: SimTimings;
  /** Every event emitted so far (bounded by historyLimit), in order. */
  history(): readonly InfraEvent[];
  /** Every finished operation with its start and end time and outcome. */
  operations(): readonly SimOperation[];
  /** Sets a VM's guest dirty rate (MB/s), which drives its live-migration cost. */
  setVmDirtyRate(vmId: string, dirtyRateMBps: number): void;
  /** Predicts a migration with the pre-copy model (as if it started now), without starting it. */
  predictMigration(vmId: string, toHost: string): PrecopyPlan;
  hostUsage(name: string): SimHostUsage;
  stats(): SimStats;
}

class SimDriverImpl implements SimDriver {
  readonly faults: FaultInjector;
  readonly timings: SimTimings;
  private readonly s: SimState;
  private readonly migrations: Migrations;

  constructor(o: SimDriverOptions) {
    this.timings = resolveTimings(o.timings);
    this.s = new SimState({
      topology: o.topology ?? defaultTopology(),
      clock: o.clock,
      seed: o.seed ?? 1,
      timings: this.timings,
      ...(o.historyLimit === undefined ? {} : { historyLimit: o.historyLimit }),
    });
    this.migrations = new Migrations(this.s);
    this.faults = {
      failHost: (name, reason) => this.call(() => this.failHost(name, reason ?? 'host powered off')),
      recoverHost: (name) => this.call(() => this.recoverHost(name)),
      // The reason is not recorded: an isolation emits nothing (the control plane sees only silence).
      isolateHost: (name) => this.call(() => this.isolateHost(name)),
    };
    if (this.timings.heartbeatIntervalMs > 0) this.heartbeat();
  }

  /** Runs a driver call: synchronous throws become rejections, and nothing runs after close(). */
  private call<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      if (this.s.closed) throw new DriverError('Internal', 'the simulated driver is closed', false);
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private heartbeat(): void {
    // One batched event for all hosts that are up: a 10,000-host datacenter costs one event per period.
    // Every host has heartbeat datastores (shared storage), so isolated hosts still show there.
    this.s.queue.after(this.timings.heartbeatIntervalMs, () => {
      this.s.emit({ type: 'Heartbeats', time: this.s.queue.now(), hosts: this.s.managedHosts(), datastore: this.s.upHosts() });
      this.heartbeat();
    });
  }

  info(): Promise<DriverInfo> {
    return this.call(() => Object.freeze({ name: 'sim', version: '0.1.0', apiVersion: 2, stemcellFormats: Object.freeze(['sim-raw', 'vsphere-ova']) }));
  }

  inventory(): Promise<{ zones: ZoneInventory[]; hosts: HostInventory[] }> {
    return this.call(() => ({ zones: [...this.s.zones], hosts: [...this.s.hostList] }));
  }

  createVm(req: CreateVmRequest): Promise<{ vmId: string }> {
    return this.call(() => createVm(this.s, req));
  }

  deleteVm(vmId: string): Promise<void> {
    return this.call(() => deleteVm(this.s, vmId));
  }

  hasVm(vmId: string): Promise<boolean> {
    return this.call(() => {
      const vm = this.s.vms.get(vmId);
      return vm !== undefined && !vm.provisioning;
    });
  }

  getVm(vmId: string): Promise<VmInfo> {
    return this.call(() => this.s.info(this.s.vm(vmId)));
  }

  listVms(): Promise<VmInfo[]> {
    return this.call(() => {
      const out: VmInfo[] = [];
      for (const vm of this.s.vms.values()) if (!vm.provisioning) out.push(this.s.info(vm));
      return out;
    });
  }

  rebootVm(vmId: string): Promise<void> {
    return this.call(() => rebootVm(this.s, vmId));
  }

  setVmPower(vmId: string, on: boolean): Promise<void> {
    return this.call(() => setVmPower(this.s, vmId, on));
  }

  setVmMetadata(vmId: string, metadata: Readonly<Record<string, string>>): Promise<void> {
    return this.call(() => setVmMetadata(this.s, vmId, metadata));
  }

  createDisk(sizeMiB: number, hostHint?: string): Promise<{ diskId: string }> {
    return this.call(() => createDisk(this.s, sizeMiB, hostHint));
  }

  deleteDisk(diskId: string): Promise<void> {
    return this.call(() => deleteDisk(this.s, diskId));
  }

  hasDisk(diskId: string): Promise<boolean> {
    return this.call(() => this.s.disks.has(diskId));
  }

  attachDisk(vmId: string, diskId: string): Promise<void> {
    return this.call(() => attachDisk(this.s, vmId, diskId));
  }

  detachDisk(vmId: string, diskId: string): Promise<void> {
    return this.call(() => detachDisk(this.s, vmId, diskId));
  }

  snapshotDisk(diskId: string): Promise<{ snapshotId: string }> {
    return this.call(() => snapshotDisk(this.s, diskId));
  }

  migrateVm(vmId: string, toHost: string, options?: { readonly numaNodes?: readonly number[] }): Promise<MigrationResult> {
    return this.call(() => this.migrations.migrate(vmId, toHost, options?.numaNodes));
  }

  subscribe(listener: (event: InfraEvent) => void): () => void {
    // Wrapped so that subscribing the same function twice gives two independent subscriptions.
    const l = (e: InfraEvent): void => listener(e);
    this.s.listeners.add(l);
    return () => void this.s.listeners.delete(l);
  }

  async close(): Promise<void> {
    if (this.s.closed) return;
    this.s.closed = true;
    const err = new DriverError('Internal', 'the simulated driver was closed', false);
    for (const t of [...this.s.tasks.pending]) t.cancel(err);
    for (const vm of this.s.vms.values()) vm.op?.cancel(err);
    this.s.queue.close();
    this.s.listeners.clear();
  }

  private failHost(name: string, reason: string): void {
    const s = this.s;
    const h = s.host(name);
    if (!h.up) return;
    h.up = false;
    h.isolated = false;
    s.hostStateChanged();
    s.emit({ type: 'HostFailed', time: s.queue.now(), host: name, reason });
    const err = hostUnavailable(name, `failed: ${reason}`);
    for (const m of [...h.migrations]) m.cancel(err);
    for (const vm of [...h.vms]) {
      // In-flight creates vanish (their undo removes the VM), boots and other tasks fail.
      vm.op?.cancel(err);
      if (vm.provisioning) continue;
      s.release(vm);
      if (vm.power === 'running') s.setPower(vm, 'crashed', 'HostFailed');
    }
  }

  private recoverHost(name: string): void {
    const h = this.s.host(name);
    if (h.isolated) {
      // Back on the management network: its VMs never stopped; heartbeats resume at the next period.
      h.isolated = false;
      this.s.hostStateChanged();
      return;
    }
    if (h.up) return;
    // Back up and empty of running VMs: its VMs stay crashed; the control plane recreates them (BOSH resurrector style).
    h.up = true;
    this.s.hostStateChanged();
    this.s.emit({ type: 'HostRecovered', time: this.s.queue.now(), host: name });
  }

  private isolateHost(name: string): void {
    const h = this.s.host(name);
    if (!h.up) throw hostUnavailable(name, 'has failed; a failed host cannot be isolated');
    if (h.isolated) return;
    // Nothing is emitted: the control plane learns of it only from the missing heartbeats.
    h.isolated = true;
    this.s.hostStateChanged();
  }

  history(): readonly InfraEvent[] {
    return this.s.history();
  }

  operations(): readonly SimOperation[] {
    return this.s.operations();
  }

  setVmDirtyRate(vmId: string, dirtyRateMBps: number): void {
    if (!(dirtyRateMBps >= 0)) throw invalid(`dirty rate must be >= 0 MB/s, got ${dirtyRateMBps}`);
    this.s.vm(vmId).dirtyRateMBps = dirtyRateMBps;
  }

  predictMigration(vmId: string, toHost: string): PrecopyPlan {
    const vm = this.s.vm(vmId);
    const dst = this.s.host(toHost);
    const share = Math.max(vm.host.activeMigrations, dst.activeMigrations) + 1;
    const linkMbps = Math.min(vm.host.inv.nicMbps, dst.inv.nicMbps) / share;
    const t = this.timings.migration;
    return planPrecopy({ memoryMiB: vm.resources.memoryMiB, dirtyRateMBps: vm.dirtyRateMBps ?? t.dirtyRateMBps, linkMbps }, t);
  }

  hostUsage(name: string): SimHostUsage {
    const h = this.s.host(name);
    return Object.freeze({ up: h.up, isolated: h.isolated, usedMemoryMiB: h.usedMiB, vms: h.vms.size, activeMigrations: h.activeMigrations });
  }

  stats(): SimStats {
    let running = 0;
    let vms = 0;
    for (const vm of this.s.vms.values()) {
      if (vm.provisioning) continue;
      vms++;
      if (vm.power === 'running') running++;
    }
    return Object.freeze({
      hosts: this.s.hosts.size,
      upHosts: this.s.upHosts().length,
      vms,
      runningVms: running,
      disks: this.s.disks.size,
      pendingTasks: this.s.tasks.pending.size,
      queuedMigrations: this.migrations.queued,
    });
  }
}

/** Builds a simulated datacenter from a topology, on the given clock, with seeded randomness. */
export function createSimDriver(o: SimDriverOptions): SimDriver {
  return new SimDriverImpl(o);
}
