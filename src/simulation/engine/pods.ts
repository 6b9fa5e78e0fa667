/**
 * Pods of every workload, scheduled onto their cluster's worker nodes by the real pod scheduler
 * (`src/scheduler/pods`), with Kubernetes' behaviour when a node is lost: the pods stay bound
 * while the node is NotReady and come back with it; after node-monitor-grace + the eviction
 * toleration they are evicted and rescheduled on the cluster's other nodes. Both designs share it.
 */
import { PLAN_DEFAULTS } from '../../api/index.js';
import { PodScheduler, PodSnapshot } from '../../scheduler/pods/index.js';
import { NODE_MONITOR_GRACE_MS, POD_EVICTION_MS, POD_START_MS } from '../assumptions.js';
import type { ScenarioCluster, ScenarioWorkload } from '../scenario/types.js';
import type { EngineContext } from './context.js';
import { podObject, vmObject } from './objects.js';
import type { NodeState, PodState, WorkloadState } from './world.js';

export class PodManager {
  readonly workloads = new Map<string, WorkloadState>();
  private readonly snapshot: PodSnapshot;
  private readonly scheduler: PodScheduler;
  /** Unbound pods per cluster, oldest first. */
  private readonly pending = new Map<string, PodState[]>();
  /** Workers of each cluster seen Ready at least once, and clusters whose workloads are deployed. */
  private readonly seenReady = new Map<string, Set<string>>();
  private readonly deployed = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly zoneOf: (host: string) => string | undefined,
  ) {
    const seed = ctx.random.fork('pods').int(0, 2 ** 31);
    this.snapshot = new PodSnapshot(seed);
    this.scheduler = new PodScheduler(this.snapshot, { seed, now: () => 0 });
  }

  /**
   * Registers a cluster. Its workloads are deployed once all its workers are Ready (a tenant
   * deploys onto a finished cluster, so the first node up does not take every pod), or after the
   * plan's node startup timeout if some never come up.
   */
  addCluster(c: ScenarioCluster): void {
    this.snapshot.setClusterTenant(c.name, c.tenant);
    this.snapshot.setMaxPods(c.name, c.maxPodsPerNode);
    this.seenReady.set(c.name, new Set());
    this.ctx.agenda.after(PLAN_DEFAULTS.nodeStartupTimeoutMs, () => this.deploy(c.name));
  }

  private deploy(cluster: string): void {
    if (this.deployed.has(cluster)) return;
    this.deployed.add(cluster);
    this.schedulePending(cluster);
  }

  addWorkload(spec: ScenarioWorkload): void {
    const w: WorkloadState = { spec, replicas: 0, loadPercent: 100, pods: [], nextIndex: 0 };
    this.workloads.set(spec.key, w);
    this.scale(spec.key, spec.replicas);
  }

  /** Sets a workload's replica count: new pods queue for scheduling, surplus pods (newest first) go. */
  scale(key: string, replicas: number): void {
    const w = this.workloads.get(key);
    if (!w) return;
    while (w.pods.length < replicas) {
      const name = `${w.spec.name}-${w.nextIndex++}`;
      const pod: PodState = { name, key: `${w.spec.cluster}/default/${name}`, workload: w, object: podObject(w.spec, name), node: undefined, running: false, bindEpoch: 0, removed: false };
      w.pods.push(pod);
      this.queue(pod);
    }
    while (w.pods.length > replicas) {
      const pod = w.pods.pop() as PodState;
      pod.removed = true;
      pod.running = false;
      this.unbind(pod);
      this.ctx.recovery.podGone(pod, this.ctx.elapsed());
      const q = this.pending.get(w.spec.cluster);
      if (q) this.pending.set(w.spec.cluster, q.filter((p) => p !== pod));
    }
    w.replicas = replicas;
    this.schedulePending(w.spec.cluster);
  }

  setLoad(key: string, percent: number): void {
    const w = this.workloads.get(key);
    if (w) w.loadPercent = percent;
  }

  /** A node is Ready (created, restarted, reprovisioned): its bound pods start again, pending pods may land. */
  nodeUp(node: NodeState): void {
    node.ready = true;
    this.observe(node);
    for (const pod of node.pods) if (!pod.running) this.startLater(pod);
    const seen = this.seenReady.get(node.cluster.name);
    if (node.role === 'worker') seen?.add(node.name);
    if (seen !== undefined && seen.size >= node.cluster.workers) this.deploy(node.cluster.name);
    else this.schedulePending(node.cluster.name);
  }

  /** A node's machine moved to another host (live migration, reprovisioning). */
  nodeMoved(node: NodeState): void {
    this.observe(node);
  }

  /** A node is lost: its pods stop; unless it is back by then, they are evicted after grace + toleration. */
  nodeDown(node: NodeState): void {
    node.ready = false;
    node.lossEpoch++;
    this.observe(node);
    for (const pod of node.pods) pod.running = false;
    const epoch = node.lossEpoch;
    this.ctx.agenda.after(NODE_MONITOR_GRACE_MS + POD_EVICTION_MS, () => {
      if (node.ready || node.lossEpoch !== epoch) return;
      for (const pod of [...node.pods]) {
        this.unbind(pod);
        this.queue(pod);
      }
      this.schedulePending(node.cluster.name);
    });
  }

  /** Pods of a cluster that could not be placed yet. */
  pendingCount(): number {
    let n = 0;
    for (const q of this.pending.values()) n += q.length;
    return n;
  }

  private observe(node: NodeState): void {
    const m = node.machine;
    this.snapshot.upsertNode(vmObject(m, m.host === undefined ? undefined : this.zoneOf(m.host)));
  }

  private queue(pod: PodState): void {
    const c = pod.workload.spec.cluster;
    const q = this.pending.get(c);
    if (q) q.push(pod);
    else this.pending.set(c, [pod]);
  }

  private unbind(pod: PodState): void {
    if (!pod.node) return;
    pod.node.pods.delete(pod);
    pod.node = undefined;
    pod.running = false;
    pod.bindEpoch++;
    this.snapshot.forget(pod.key);
  }

  private schedulePending(cluster: string): void {
    const q = this.pending.get(cluster);
    if (!q || q.length === 0 || !this.deployed.has(cluster)) return;
    const left: PodState[] = [];
    for (const pod of q) {
      if (pod.removed) continue;
      const r = this.scheduler.place(pod.object);
      const node = r.ok ? this.ctx.nodes.get(r.node.name) : undefined;
      if (!node) {
        if (r.ok) this.snapshot.forget(pod.key);
        left.push(pod);
        continue;
      }
      pod.node = node;
      pod.bindEpoch++;
      node.pods.add(pod);
      this.startLater(pod);
    }
    if (left.length > 0) this.pending.set(cluster, left);
    else this.pending.delete(cluster);
  }

  private startLater(pod: PodState): void {
    const epoch = pod.bindEpoch;
    this.ctx.agenda.after(POD_START_MS, () => {
      if (pod.removed || pod.bindEpoch !== epoch || !pod.node?.ready || pod.running) return;
      pod.running = true;
      this.ctx.recovery.podRunning(pod, this.ctx.elapsed());
    });
  }
}
