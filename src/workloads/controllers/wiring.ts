/**
 * The workload controllers wired in one visible place, over the platform's shared informers:
 *
 *   Deployment ──▶ deployment ctl ──▶ ReplicaSets (rolling update)
 *   ReplicaSet ──▶ replicaset ctl ──▶ Pods (create / delete / replace Failed)
 *   Pod (unbound) ──▶ pod scheduler ──▶ spec.nodeName + explanation     (VMs, Clusters, Plans feed its snapshot)
 *   Pod (bound) ──▶ kubelet-sim ──▶ Running after pull + start (once the network gave it an address,
 *                                   on a cluster the network manages); Failed on a lost node; evicted on drain
 *   Service + Pods ──▶ endpoints ctl ──▶ Endpoints
 */
import type { Deployment, Endpoints, Pod, ReplicaSet, Resource, Service, VirtualMachine } from '../../api/index.js';
import type { PodSchedulerOptions } from '../../scheduler/pods/index.js';
import type { WorkloadControllerContext } from '../context.js';
import { DeploymentController } from './deployment-controller.js';
import { EndpointsController } from './endpoints-controller.js';
import { WorkloadIndexes } from './indexes.js';
import { KubeletSim } from './kubelet-sim.js';
import { PodSchedulerController } from './pod-scheduler-controller.js';
import { ReplicaSetController } from './replicaset-controller.js';

export interface WorkloadControllers {
  readonly indexes: WorkloadIndexes;
  readonly deployments: DeploymentController;
  readonly replicaSets: ReplicaSetController;
  readonly podScheduler: PodSchedulerController;
  readonly kubelet: KubeletSim;
  readonly endpoints: EndpointsController;
}

export interface WorkloadControllerOptions {
  /** Sampling knobs of the pod scheduler (percentage of nodes to score...). */
  readonly scheduler?: Omit<PodSchedulerOptions, 'seed'>;
  /** Workers of the pod scheduler: binds in flight share the store's group commits. */
  readonly schedulerWorkers?: number;
}

export function addWorkloadControllers(ctx: WorkloadControllerContext, opts: WorkloadControllerOptions = {}): WorkloadControllers {
  const { store, clock, seed } = ctx;
  const pods = ctx.informer<Pod>('Pod');
  const rss = ctx.informer<ReplicaSet>('ReplicaSet');
  const deps = ctx.informer<Deployment>('Deployment');
  const svcs = ctx.informer<Service>('Service');
  const eps = ctx.informer<Endpoints>('Endpoints');
  const vms = ctx.informer<VirtualMachine>('VirtualMachine');
  const clusters = ctx.informer<Resource<{ tenant?: string; plan?: string }>>('Cluster');
  const plans = ctx.informer<Resource<{ maxPodsPerNode?: number }>>('Plan');
  // The network records a cluster's node segment as a Segment: its pods get addresses from it.
  const segments = ctx.informer<Resource<{ role?: string; cluster?: string }>>('Segment');
  const networkManages = (cluster: string) => segments.list().some((s) => s.spec?.role === 'NodeSegment' && s.spec.cluster === cluster);
  // Indexes first, so every controller's handler sees them current.
  const indexes = new WorkloadIndexes(pods, rss, svcs);
  const deployments = ctx.addController((enq) => new DeploymentController(store, clock, deps, rss, indexes, enq), 2);
  const replicaSets = ctx.addController((enq) => new ReplicaSetController(store, rss, pods, indexes, enq, seed), 4);
  const podScheduler = ctx.addController(
    (enq) => new PodSchedulerController(store, clock, { pods, vms, clusters, plans }, enq, { seed, ...(opts.scheduler ?? {}) }),
    opts.schedulerWorkers ?? 256,
  );
  const kubelet = ctx.addController((enq) => new KubeletSim(store, clock, ctx.infraClock, pods, vms, indexes, enq, seed, networkManages, () => ctx.services?.imagePolicy), 64);
  const endpoints = ctx.addController((enq) => new EndpointsController(store, svcs, pods, eps, indexes, enq), 2);
  return { indexes, deployments, replicaSets, podScheduler, kubelet, endpoints };
}
