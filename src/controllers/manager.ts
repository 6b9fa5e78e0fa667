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
import type { Store } from '../store/index.js';
import { Controller, Informer, type Reconciler } from './framework/index.js';
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
  informer<T extends Resource>(kind: string): Informer<T>;
  addController<R extends Reconciler>(build: (enqueue: (key: string) => void) => R, workers?: number): R;
  onStart(fn: () => Promise<void> | void): void;
  onStop(fn: () => Promise<void> | void): void;
}

export class ControllerManager {
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
  private readonly controllers: Controller[] = [];
  /** Informers of kinds beyond the built-in six, created for extensions. */
  private readonly extraInformers = new Map<string, Informer>();
  private readonly startHooks: (() => Promise<void> | void)[] = [];
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  /** Hooks for extensions: shared informers, controllers, start/stop. */
  readonly hooks: ManagerHooks;
  private unsubscribe: (() => void) | undefined;
  private silenceTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly opts: ManagerOptions) {
    const { store, clock, log } = opts;
    const onErr = (err: Error) => log.warn({ err: err.message }, 'informer error; relisting');
    this.informers = {
      zones: new Informer<Zone>(store, 'Zone', onErr),
      hosts: new Informer<Host>(store, 'Host', onErr),
      tenants: new Informer<Tenant>(store, 'Tenant', onErr),
      vms: new Informer<VirtualMachine>(store, 'VirtualMachine', onErr),
      roles: new Informer<Role>(store, 'Role', onErr),
      roleBindings: new Informer<RoleBinding>(store, 'RoleBinding', onErr),
    };
    const builtIn: Record<string, Informer> = {
      Zone: this.informers.zones as Informer,
      Host: this.informers.hosts as Informer,
      Tenant: this.informers.tenants as Informer,
      VirtualMachine: this.informers.vms as Informer,
      Role: this.informers.roles as Informer,
      RoleBinding: this.informers.roleBindings as Informer,
    };
    const make = <R extends Reconciler>(build: (enqueue: (k: string) => void) => R, workers = 1): R => {
      const box: { ctl?: Controller } = {};
      const r = build((k) => box.ctl?.enqueue(k));
      box.ctl = new Controller(r, clock, log, { workers });
      this.controllers.push(box.ctl);
      return r;
    };
    const i = this.informers;
    this.hostCtl = make((enq) => new HostController(store, clock, opts.infraClock, i.hosts, i.vms, enq, { heartbeatGraceMs: opts.heartbeatIntervalMs * 3 }), 2);
    make((enq) => new ZoneController(store, i.zones, i.hosts, enq));
    this.placement = make((enq) => new PlacementController(store, clock, { vms: i.vms, hosts: i.hosts, zones: i.zones, tenants: i.tenants }, enq, opts.seed));
    this.vmCtl = make((enq) => new VmController(store, clock, opts.driver, i.vms, i.hosts, enq), 4);
    this.hooks = {
      informer: <T extends Resource>(kind: string): Informer<T> => {
        const known = builtIn[kind] ?? this.extraInformers.get(kind);
        if (known) return known as unknown as Informer<T>;
        const inf = new Informer<Resource>(store, kind, onErr);
        this.extraInformers.set(kind, inf);
        return inf as unknown as Informer<T>;
      },
      addController: make,
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
    const i = this.informers;
    await Promise.all([i.zones.start(), i.tenants.start(), i.roles.start(), i.roleBindings.start()]);
    await i.hosts.start();
    await i.vms.start();
    for (const inf of this.extraInformers.values()) await inf.start();
    await this.vmCtl.adoptAfterRestart();
    for (const fn of this.startHooks) await fn();
    for (const c of this.controllers) c.start();
    const tick = () => {
      if (this.stopped) return;
      this.hostCtl.checkSilence();
      this.silenceTimer = this.opts.infraClock.setTimeout(tick, this.opts.heartbeatIntervalMs);
    };
    tick();
  }

  /** True when no controller has work queued, running or scheduled soon. */
  idle(): boolean {
    return this.controllers.every((c) => c.queue.length() === 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.silenceTimer) this.opts.infraClock.clearTimeout(this.silenceTimer);
    this.unsubscribe?.();
    for (const fn of this.stopHooks) await fn();
    for (const inf of Object.values(this.informers)) inf.stop();
    for (const inf of this.extraInformers.values()) inf.stop();
    await Promise.all(this.controllers.map((c) => c.stop()));
  }
}
