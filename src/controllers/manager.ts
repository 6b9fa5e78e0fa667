/**
 * The controller manager: builds the shared informers and every controller in one visible place,
 * starts them in dependency order and stops them in reverse.
 *
 *   informers (zones, hosts, tenants, vms, roles, rolebindings)   <- one watch per kind, shared
 *   inventory sync            -> zones and hosts from the driver exist before anything schedules
 *   hosts controller          -> host state from heartbeats, allocation from placed VMs
 *   zones controller          -> zone counts from hosts
 *   placement controller      -> VMs without a host get one (or a Scheduled=False reason)
 *   vms controller            -> placed VMs are created/powered/deleted through the driver
 */
import type { Logger } from 'pino';
import type { Host, Resource, Role, RoleBinding, Tenant, VirtualMachine, Zone } from '../api/index.js';
import type { Clock, TimerHandle } from '../clock/index.js';
import type { Driver } from '../infra/index.js';
import type { FilterPlugin } from '../scheduler/index.js';
import type { Store } from '../store/index.js';
import { ControllerSet, type Informer, type Reconciler } from './framework/index.js';
import { HostController } from './hosts/host-controller.js';
import { syncInventory } from './hosts/inventory.js';
import { ZoneController } from './hosts/zone-controller.js';
import { PlacementController } from './placement/placement-controller.js';
import { VmController } from './vms/vm-controller.js';

export interface ManagerOptions {
  readonly store: Store;
  readonly driver: Driver;
  /** Control-plane time: timestamps, retry delays. */
  readonly clock: Clock;
  /** The infrastructure's time, in which driver events are stamped (heartbeat deadlines). */
  readonly infraClock: Clock;
  readonly log: Logger;
  readonly seed: number;
  /** Host heartbeat interval of the driver; NotReady after 3 missed. */
  readonly heartbeatIntervalMs: number;
}

/** What extension controllers can ask the manager for (see platform/extension.ts). */
export interface ManagerHooks {
  /** The shared informer of a kind (created on first use, started with the others). */
  informer<T extends Resource>(kind: string): Informer<T>;
  /** Adds a controller; `build` gets the function that enqueues a key for it. */
  addController<R extends Reconciler>(build: (enqueue: (key: string) => void) => R, workers?: number): R;
  /**
   * Adds a Filter plugin to VM placement (e.g. HA admission control), run after the built-in cheap
   * filters and before the NUMA search; call it while building controllers, before start. With
   * `recovery`, the filter also binds HA restarts, live migrations and evacuations (e.g. DRS must
   * rules), which otherwise check only the scheduler's built-in rules.
   */
  addPlacementFilter(filter: FilterPlugin, opts?: { readonly recovery?: boolean }): void;
  /** The filters added with `recovery` (read when a check is built, so every extension's count). */
  recoveryFilters(): readonly FilterPlugin[];
  /** Runs `fn` after every informer has synced and before controllers start. */
  onStart(fn: () => Promise<void> | void): void;
  /** Runs `fn` when the platform stops. */
  onStop(fn: () => Promise<void> | void): void;
}

export class ControllerManager {
  private readonly recovery: FilterPlugin[] = [];
  readonly informers: {
    readonly zones: Informer<Zone>;
    readonly hosts: Informer<Host>;
    readonly tenants: Informer<Tenant>;
    readonly vms: Informer<VirtualMachine>;
    readonly roles: Informer<Role>;
    readonly roleBindings: Informer<RoleBinding>;
  };
  readonly placement: PlacementController;
  readonly hostCtl: HostController;
  readonly vmCtl: VmController;
  /** Every informer (built-in and extensions') and controller, started and stopped together. */
  private readonly set: ControllerSet;
  private readonly startHooks: (() => Promise<void> | void)[] = [];
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  /** Hooks for extensions: shared informers, controllers, start/stop. */
  readonly hooks: ManagerHooks;
  private unsubscribe: (() => void) | undefined;
  private silenceTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly opts: ManagerOptions) {
    const { store, clock, log } = opts;
    const set = (this.set = new ControllerSet(store, clock, log));
    // Creation order is start order: hosts before VMs and tenants before VMs, so the placement
    // snapshot knows a VM's host and tenant when the VM arrives.
    const zones = set.informer<Zone>('Zone');
    const tenants = set.informer<Tenant>('Tenant');
    const roles = set.informer<Role>('Role');
    const roleBindings = set.informer<RoleBinding>('RoleBinding');
    const hosts = set.informer<Host>('Host');
    const vms = set.informer<VirtualMachine>('VirtualMachine');
    this.informers = { zones, hosts, tenants, vms, roles, roleBindings };
    const make = <R extends Reconciler>(build: (enqueue: (k: string) => void) => R, workers = 1): R => set.addController(build, workers);
    const i = this.informers;
    this.hostCtl = make((enq) => new HostController(store, clock, opts.infraClock, i.hosts, i.vms, enq, { heartbeatGraceMs: opts.heartbeatIntervalMs * 3 }), 2);
    make((enq) => new ZoneController(store, i.zones, i.hosts, enq));
    this.placement = make((enq) => new PlacementController(store, clock, { vms: i.vms, hosts: i.hosts, zones: i.zones, tenants: i.tenants }, enq, opts.seed));
    this.vmCtl = make((enq) => new VmController(store, clock, opts.driver, i.vms, i.hosts, enq, i.zones), 4);
    this.hooks = {
      informer: <T extends Resource>(kind: string): Informer<T> => set.informer<T>(kind),
      addController: make,
      addPlacementFilter: (filter, o) => {
        this.placement.addFilter(filter);
        if (o?.recovery) this.recovery.push(filter);
      },
      recoveryFilters: () => this.recovery,
      onStart: (fn) => void this.startHooks.push(fn),
      onStop: (fn) => void this.stopHooks.push(fn),
    };
  }

  async start(): Promise<void> {
    const { store, driver } = this.opts;
    await syncInventory(store, driver);
    this.unsubscribe = driver.subscribe((e) => {
      this.hostCtl.onInfraEvent(e);
      this.vmCtl.onInfraEvent(e);
    });
    await this.set.startInformers();
    await this.vmCtl.adoptAfterRestart();
    for (const fn of this.startHooks) await fn();
    this.set.startControllers();
    const tick = () => {
      if (this.stopped) return;
      this.hostCtl.checkSilence();
      this.silenceTimer = this.opts.infraClock.setTimeout(tick, this.opts.heartbeatIntervalMs);
    };
    tick();
  }

  /** True when no controller has work queued, running or scheduled soon. */
  idle(): boolean {
    return this.set.idle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.silenceTimer) this.opts.infraClock.clearTimeout(this.silenceTimer);
    this.unsubscribe?.();
    for (const fn of this.stopHooks) await fn();
    await this.set.stop();
  }
}
