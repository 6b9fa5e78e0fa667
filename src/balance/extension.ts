/**
 * The balance capability: resource pools and entitlements under contention, DRS, and usage
 * (`top`, Prometheus `/metrics`). How it plugs into the platform:
 *
 *   informers (zones, hosts, VMs, tenants, pods, pools, rules, recommendations, migrations)
 *        │
 *   BalanceRuntime (last usage snapshot, last pass per zone) ◀── routes: /top/v1, /drs/v1, /metrics
 *        │
 *   BalanceController: per zone, every intervalSeconds of simulated time: a DRS pass and statuses
 */
import type { Host, Pod, Tenant, VirtualMachine, VmMigration, Zone } from '../api/index.js';
import type { DrsRecommendationObject, DrsRuleObject, ResourcePoolObject } from '../api/kinds/balance-kinds.js';
import type { MigrationTimings } from '../infra/index.js';
import type { ControllerContext, PlatformExtension } from '../platform/extension.js';
import { BalanceController, type BalanceInformers } from './controller/balance-controller.js';
import { registerBalanceRoutes } from './http/register.js';
import { BalanceRuntime, registerRuntime } from './runtime.js';
import { addMustRulesFilter } from './placement/must-rules-filter.js';

function migrationTimings(driver: unknown): MigrationTimings | undefined {
  return (driver as { timings?: { migration?: MigrationTimings } }).timings?.migration;
}

function addBalanceControllers(ctx: ControllerContext): void {
  const inf: BalanceInformers = {
    zones: ctx.informer<Zone>('Zone'),
    hosts: ctx.informer<Host>('Host'),
    vms: ctx.informer<VirtualMachine>('VirtualMachine'),
    tenants: ctx.informer<Tenant>('Tenant'),
    pods: ctx.informer<Pod>('Pod'),
    pools: ctx.informer<ResourcePoolObject>('ResourcePool'),
    rules: ctx.informer<DrsRuleObject>('DrsRule'),
    recommendations: ctx.informer<DrsRecommendationObject>('DrsRecommendation'),
    migrations: ctx.informer<VmMigration>('VmMigration'),
  };
  const runtime = new BalanceRuntime(
    {
      hosts: () => inf.hosts.list(),
      vms: () => inf.vms.list(),
      pods: () => inf.pods.list(),
      pools: () => inf.pools.list(),
      recommendations: () => inf.recommendations.list(),
    },
    ctx.infraClock,
  );
  registerRuntime(ctx.store, runtime);
  // Must rules bind every placement: initial, HA restarts, migrations, evacuations.
  addMustRulesFilter(ctx);
  const timings = migrationTimings(ctx.driver);
  let enqueue: (zone: string) => void = () => {};
  const ctl = ctx.addController((enq) => {
    enqueue = enq;
    return new BalanceController({ store: ctx.store, clock: ctx.infraClock, log: ctx.log, runtime, informers: inf, enqueue: enq, seed: ctx.seed, ...(timings ? { timings } : {}) });
  });
  runtime.runner = ctl;
  // A zone's pass is rescheduled when its settings change (not on every status count update).
  inf.zones.addHandlers({
    onAdd: (z) => enqueue(z.metadata.name),
    onUpdate: (o, n) => {
      if (o.metadata.generation !== n.metadata.generation) enqueue(n.metadata.name);
    },
    onDelete: (z) => enqueue(z.metadata.name),
  });
  // Pool changes show in `top` and metrics at once rather than at the next sample.
  inf.pools.addHandlers({ onAdd: () => runtime.invalidate(), onUpdate: (o, n) => o.metadata.generation !== n.metadata.generation && runtime.invalidate(), onDelete: () => runtime.invalidate() });
  ctx.onStop(() => ctl.stop());
}

export const balanceExtension: PlatformExtension = {
  name: 'balance',
  controllers: addBalanceControllers,
  routes: (app, ctx) => registerBalanceRoutes(app, ctx),
};
