/** Kubernetes-style clusters on VMs (plans, lifecycle, health monitor, resurrector): how this capability plugs into the platform. */
import type { Cluster, Plan, Tenant, VirtualMachine } from '../../api/index.js';
import type { PlatformExtension } from '../../platform/extension.js';
import { ClusterController, type PodLike } from './cluster-controller.js';
import { bootstrapPlans } from './default-plans.js';

export const clustersExtension: PlatformExtension = {
  name: 'clusters',
  bootstrap: (store) => bootstrapPlans(store),
  controllers(ctx) {
    const inf = {
      clusters: ctx.informer<Cluster>('Cluster'),
      plans: ctx.informer<Plan>('Plan'),
      vms: ctx.informer<VirtualMachine>('VirtualMachine'),
      tenants: ctx.informer<Tenant>('Tenant'),
      pods: ctx.informer<PodLike>('Pod'),
    };
    // Durations run on the infrastructure's clock (see cluster-controller.ts).
    const ctl = ctx.addController((enqueue) => new ClusterController(ctx.store, ctx.driver, ctx.infraClock, inf, enqueue, ctx.log, ctx.clock), 4);
    ctx.onStop(() => ctl.stop());
  },
};
