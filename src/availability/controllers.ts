/**
 * The availability capability's controllers, wired in one place (they share the manager's
 * informers):
 *
 *   driver Heartbeats ──▶ HeartbeatMonitor ──tick (1 s, infra clock)──▶ HostHealthTracker
 *                                                     │ alive / isolated / dead changed
 *                         HostConditionController ◀───┤  (Host HaState condition)
 *                         RestartController ◀─────────┘  (zone: restart VMs of dead hosts)
 *   placement ◀── HaAdmissionFilter ◀── ZoneTally         (power-on admission control, failover hosts)
 *   VmMigration ──▶ MigrationController ──driver.migrateVm──▶ VM status.host
 *   Host spec.maintenance ──▶ MaintenanceController ──creates──▶ VmMigrations
 */
import type { Host, Tenant, VirtualMachine, VmMigration, Zone } from '../api/index.js';
import type { ControllerContext } from '../platform/extension.js';
import { HaAdmissionFilter } from './ha/admission-filter.js';
import { HeartbeatMonitor } from './ha/heartbeat-monitor.js';
import { HostConditionController } from './ha/host-condition-controller.js';
import { HostHealthTracker } from './ha/host-health.js';
import { RestartController } from './ha/restart-controller.js';
import { ZoneTally } from './ha/zone-tally.js';
import { MaintenanceController } from './maintenance/maintenance-controller.js';
import { MigrationController } from './migration/migration-controller.js';
import { informerView } from './model/cluster-view.js';
import { LiveSnapshot } from './model/live-snapshot.js';
import { SchedulerCheck } from './model/scheduler-check.js';
import { FailoverHostFilter } from './ha/failover-filter.js';
import { inService } from './model/ha-zone.js';

export interface AvailabilityControllers {
  readonly beats: HeartbeatMonitor;
  readonly health: HostHealthTracker;
  readonly restarts: RestartController;
  readonly migrations: MigrationController;
  readonly maintenance: MaintenanceController;
  readonly tally: ZoneTally;
}

export function addAvailabilityControllers(ctx: ControllerContext): AvailabilityControllers {
  const inf = {
    zones: ctx.informer<Zone>('Zone'),
    hosts: ctx.informer<Host>('Host'),
    tenants: ctx.informer<Tenant>('Tenant'),
    vms: ctx.informer<VirtualMachine>('VirtualMachine'),
    migrations: ctx.informer<VmMigration>('VmMigration'),
  };
  const view = informerView(inf);
  // Admission control and failover hosts at placement (restarts bypass it, as in vSphere).
  const tally = new ZoneTally(inf);
  ctx.addPlacementFilter(new HaAdmissionFilter(tally, (n) => inf.zones.get(n)));

  const beats = new HeartbeatMonitor(ctx.infraClock);
  let enqueueHost: (h: string) => void = () => undefined;
  let enqueueZone: (z: string) => void = () => undefined;
  const health = new HostHealthTracker(beats, inf.hosts, inf.zones, ctx.infraClock, (c) => {
    enqueueHost(c.host);
    if (c.to.state === 'dead') enqueueZone(c.zone);
    else if (c.to.state === 'alive') restarts.capacityAppeared(c.zone);
  });
  ctx.addController((enq) => ((enqueueHost = enq), new HostConditionController(ctx.store, ctx.clock, inf.hosts, health)));
  const live = new LiveSnapshot(inf);
  const restarts = ctx.addController((enq) => ((enqueueZone = enq), new RestartController(ctx.store, ctx.driver, ctx.clock, ctx.infraClock, view, tally, live, inf.zones, health, beats, enq, () => ctx.recoveryFilters())));
  // A host back in service (maintenance exited, Ready again) may make room for VMs waiting to restart.
  inf.hosts.addHandlers({
    onUpdate: (old, h) => {
      if (!inService(old) && inService(h) && h.spec && health.dead(h.spec.zone).size > 0) restarts.capacityAppeared(h.spec.zone);
    },
  });
  inf.vms.addHandlers({ onAdd: (vm) => restarts.vmChanged(vm), onUpdate: (_o, vm) => restarts.vmChanged(vm), onDelete: (vm) => restarts.forget(vm.metadata.name) });

  // Migration checks read the live snapshot (failover hosts excluded); they never move anything in it.
  const failover = new FailoverHostFilter((n) => inf.zones.get(n));
  const readCheck = () => new SchedulerCheck(live.snapshot, (k) => inf.vms.get(k), [failover, ...ctx.recoveryFilters()]);
  const migrations = ctx.addController((enq) => new MigrationController(ctx.store, ctx.driver, ctx.clock, view, inf.migrations, inf.vms, readCheck, enq), 2);
  const maintenance = ctx.addController((enq) => new MaintenanceController(ctx.store, ctx.clock, view, inf.hosts, inf.vms, inf.migrations, live, enq, () => ctx.recoveryFilters()));

  let unsubscribe: (() => void) | undefined;
  ctx.onStart(() => {
    unsubscribe = ctx.driver.subscribe((e) => beats.observe(e));
    health.start();
  });
  ctx.onStop(() => {
    unsubscribe?.();
    health.stop();
    restarts.stop();
  });
  return { beats, health, restarts, migrations, maintenance, tally };
}
