/**
 * The pod scheduler controller: binds every Pending, unbound pod to a worker node of its cluster
 * through the second-level scheduler. A bind writes spec.nodeName, status.host/zone, the
 * explanation and PodScheduled=True in one write; a pod that fits nowhere stays Pending with
 * PodScheduled=False and the per-reason message, and is tried again when nodes or pods change.
 * The snapshot is fed incrementally by the VM, Pod, Cluster and Plan informers.
 */
import { setCondition, type Pod, type PodStatus, type Resource, type VirtualMachine } from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../controllers/index.js';
import { DEFAULT_MAX_PODS, PodScheduler, PodSnapshot, podKey, type PodSchedulerOptions } from '../../scheduler/pods/index.js';
import type { Store } from '../../store/index.js';
import { splitKey } from '../names.js';
import { isTerminal } from './pod-status.js';

/** How long an unschedulable pod waits before a retry without any trigger. */
export const POD_UNSCHEDULABLE_RETRY_MS = 30_000;

type ClusterObj = Resource<{ tenant?: string; plan?: string }>;
type PlanObj = Resource<{ maxPodsPerNode?: number }>;

export interface PodSchedulerInformers {
  readonly pods: Informer<Pod>;
  readonly vms: Informer<VirtualMachine>;
  readonly clusters: Informer<ClusterObj>;
  readonly plans: Informer<PlanObj>;
}

export class PodSchedulerController implements Reconciler {
  readonly name = 'pod-scheduler';
  readonly snapshot: PodSnapshot;
  readonly scheduler: PodScheduler;
  private readonly unschedulable = new Set<string>();
  /** Decision times in microseconds, for the benchmark (bounded ring). */
  readonly decisionMicros: number[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly inf: PodSchedulerInformers,
    private readonly enqueue: (key: string) => void,
    opts: PodSchedulerOptions,
  ) {
    this.snapshot = new PodSnapshot(opts.seed);
    this.scheduler = new PodScheduler(this.snapshot, opts);
    const clusterChanged = () => this.syncClusters();
    inf.clusters.addHandlers({ onAdd: clusterChanged, onUpdate: clusterChanged, onDelete: clusterChanged });
    inf.plans.addHandlers({ onAdd: clusterChanged, onUpdate: clusterChanged, onDelete: clusterChanged });
    inf.vms.addHandlers({
      onAdd: (vm) => this.nodeChanged(vm),
      onUpdate: (_o, vm) => this.nodeChanged(vm),
      onDelete: (vm) => this.snapshot.removeNode(vm.metadata.name),
    });
    inf.pods.addHandlers({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (_o, p) => this.podChanged(p),
      onDelete: (p) => {
        const key = podKey(p);
        this.unschedulable.delete(key);
        if (this.snapshot.forget(key)) this.retryUnschedulable();
      },
    });
  }

  private syncClusters(): void {
    for (const c of this.inf.clusters.list()) {
      const plan = c.spec?.plan ? this.inf.plans.get(c.spec.plan) : undefined;
      this.snapshot.setMaxPods(c.metadata.name, plan?.spec?.maxPodsPerNode ?? DEFAULT_MAX_PODS);
      this.snapshot.setClusterTenant(c.metadata.name, c.spec?.tenant);
    }
    this.retryUnschedulable();
  }

  private nodeChanged(vm: VirtualMachine): void {
    this.snapshot.upsertNode(vm);
    if (this.unschedulable.size) this.retryUnschedulable();
  }

  private podChanged(p: Pod): void {
    const wasAccounted = this.snapshot.placement(podKey(p)) !== undefined;
    this.snapshot.observePod(p);
    if (wasAccounted && this.snapshot.placement(podKey(p)) === undefined) this.retryUnschedulable();
    if (!p.spec?.nodeName && !isTerminal(p) && !p.metadata.deletionTimestamp) this.enqueue(podKey(p));
  }

  private retryUnschedulable(): void {
    for (const k of this.unschedulable) this.enqueue(k);
  }

  /** Pods waiting with PodScheduled=False. */
  unschedulableCount(): number {
    return this.unschedulable.size;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const pod = this.inf.pods.get(name, namespace);
    if (!pod?.spec || pod.spec.nodeName || isTerminal(pod) || pod.metadata.deletionTimestamp) {
      this.unschedulable.delete(key);
      return;
    }
    if (this.snapshot.placement(key)) return; // decided; the bind is on its way
    const r = this.scheduler.place(pod);
    if (this.decisionMicros.length < 1_000_000) this.decisionMicros.push(r.explanation.durationMicros);
    const now = new Date(this.clock.now()).toISOString();
    const prev: PodStatus = pod.status ?? {};
    const { resourceVersion: _rv, ...meta } = pod.metadata;
    if (r.ok) {
      this.unschedulable.delete(key);
      const status: PodStatus = {
        ...prev,
        phase: 'Pending',
        host: r.node.host,
        zone: r.node.zone,
        placement: r.explanation,
        conditions: setCondition(prev.conditions, { type: 'PodScheduled', status: 'True', reason: 'Scheduled', message: r.explanation.message }, now),
      };
      try {
        await this.store.update({ ...pod, metadata: meta, spec: { ...pod.spec, nodeName: r.node.name }, status }, { subresource: 'all' });
      } catch (err) {
        this.snapshot.forget(key);
        if ((err as { reason?: string }).reason === 'NotFound') return;
        throw err;
      }
      return;
    }
    this.unschedulable.add(key);
    const message = r.explanation.message;
    const cond = prev.conditions?.find((c) => c.type === 'PodScheduled');
    if (cond?.status !== 'False' || cond.message !== message) {
      const status: PodStatus = {
        ...prev,
        phase: 'Pending',
        placement: r.explanation,
        conditions: setCondition(prev.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, now),
      };
      await this.store.update({ ...pod, metadata: meta, status }, { subresource: 'status' }).catch((e: unknown) => {
        if ((e as { reason?: string }).reason !== 'NotFound') throw e;
      });
    }
    return { requeueAfter: POD_UNSCHEDULABLE_RETRY_MS };
  }
}
