/**
 * The simulated kubelets (kwok's role): a pod bound to a Running node VM goes Running after a
 * modeled image pull and container start on the infrastructure clock, with seeded jitter. Pull
 * time comes from an image-size heuristic (2-10 s; small base images ~2 s) and is skipped when the
 * node already pulled that image. A pod whose node VM is Lost, Failed or gone becomes Failed
 * (reason NodeLost) so its ReplicaSet replaces it; a pod on a draining node is evicted (deleted).
 *
 * The pod's address is the network's (its IPAM writes `status.podIP`, the CNI's ADD): on a cluster
 * the network manages, the kubelet starts a pod only once it has one, as a real kubelet creates the
 * sandbox's network before the containers. Status writes carry the resourceVersion they were
 * computed from, so the kubelet and the network never overwrite each other's fields.
 */
import { ConflictError, NotFoundError, setCondition, type Pod, type PodStatus, type VirtualMachine } from '../../api/index.js';
import { Random, type Clock } from '../../clock/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { ImagePolicyChecker } from '../../platform/extension.js';
import { isDraining } from '../../scheduler/pods/index.js';
import type { Store } from '../../store/index.js';
import { objectKey, splitKey } from '../names.js';
import type { WorkloadIndexes } from './indexes.js';
import { isTerminal } from './pod-status.js';

export const CONTAINER_START_MS = 1_000;
const JITTER = 0.2;
/** Kubernetes' image pull back-off: 10 s, doubling, at most 5 min. */
const PULL_BACKOFF_MS = 10_000;
const PULL_BACKOFF_MAX_MS = 300_000;
const LOST_PHASES = new Set(['Lost', 'Failed']);
const SMALL_IMAGES = /(^|\/)(pause|busybox|alpine|distroless)[:@]?/;

/** Modeled pull time of an image (before jitter): small base images 2 s, others 3-10 s by a stable hash. */
export function imagePullMs(image: string): number {
  if (SMALL_IMAGES.test(image)) return 2_000;
  let h = 2166136261;
  for (let i = 0; i < image.length; i++) h = Math.imul(h ^ image.charCodeAt(i), 16777619);
  return 3_000 + ((h >>> 0) % 8) * 1_000;
}

/** Whether a network plugin gives the pods of a cluster their addresses (they then wait for one). */
export type PodNetworkCheck = (cluster: string) => boolean;

export class KubeletSim implements Reconciler {
  readonly name = 'kubelet-sim';
  /** Pod key -> infra time its containers are up. */
  private readonly startAt = new Map<string, number>();
  /** Images pulled per node. */
  private readonly pulled = new Map<string, Set<string>>();
  /** Refused pulls in a row per pod, and when the next pull may be tried (the back-off). */
  private readonly pullFailures = new Map<string, { readonly count: number; readonly retryAt: number }>();
  private readonly rng: Random;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly infraClock: Clock,
    private readonly pods: Informer<Pod>,
    private readonly vms: Informer<VirtualMachine>,
    private readonly idx: WorkloadIndexes,
    private readonly enqueue: (key: string) => void,
    seed: number,
    private readonly networkManages: PodNetworkCheck = () => false,
    /** The registry's deploy-time policy, asked again at every image pull (as Harbor refuses pulls). */
    private readonly imagePolicy: () => ImagePolicyChecker | undefined = () => undefined,
  ) {
    this.rng = new Random(seed).fork('kubelet');
    const podEvent = (p: Pod) => {
      if (p.spec?.nodeName && !isTerminal(p) && p.status?.phase !== 'Running') enqueue(objectKey(p));
    };
    pods.addHandlers({
      onAdd: podEvent,
      onUpdate: (_o, p) => podEvent(p),
      onDelete: (p) => {
        this.startAt.delete(objectKey(p));
        this.pullFailures.delete(objectKey(p));
      },
    });
    const nodeEvent = (vm: VirtualMachine) => {
      for (const k of this.idx.podsOnNode(vm.metadata.name)) enqueue(k);
    };
    vms.addHandlers({
      onUpdate: (o, vm) => {
        if (o.status?.phase !== vm.status?.phase || isDraining(o) !== isDraining(vm) || o.metadata.deletionTimestamp !== vm.metadata.deletionTimestamp) nodeEvent(vm);
      },
      onDelete: (vm) => {
        this.pulled.delete(vm.metadata.name);
        nodeEvent(vm);
      },
      onAdd: nodeEvent,
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(name, namespace);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || isTerminal(pod) || pod.metadata.deletionTimestamp) return;
    const node = this.vms.get(nodeName);
    if (!node || node.metadata.deletionTimestamp || LOST_PHASES.has(node.status?.phase ?? '')) return this.fail(pod, `node ${nodeName} is ${node ? node.status?.phase : 'gone'}`);
    if (isDraining(node)) return this.evict(pod);
    if (pod.status?.phase === 'Running' || node.status?.phase !== 'Running') return; // a node coming up enqueues its pods
    // No address yet on a networked cluster: the pod's update with its podIP enqueues it again.
    if (!pod.status?.podIP && this.networkManages(namespace.slice(0, namespace.indexOf('/')))) return;
    let at = this.startAt.get(key);
    if (at === undefined) {
      const images = this.pulled.get(nodeName) ?? new Set<string>();
      this.pulled.set(nodeName, images);
      if (await this.pullRefused(key, pod, node, images)) return;
      let ms = 0;
      for (const c of pod.spec?.containers ?? []) {
        if (images.has(c.image)) continue;
        ms += this.rng.jitter(imagePullMs(c.image), JITTER);
        images.add(c.image);
      }
      ms += this.rng.jitter(CONTAINER_START_MS, JITTER);
      at = this.infraClock.now() + ms;
      this.startAt.set(key, at);
      this.infraClock.setTimeout(() => this.enqueue(key), ms);
      return;
    }
    const left = at - this.infraClock.now();
    if (left > 0) {
      // A scaled clock's timer may fire a hair early: look again when the time has really come.
      this.infraClock.setTimeout(() => this.enqueue(key), Math.max(1, left));
      return;
    }
    if (await this.run(pod)) this.startAt.delete(key);
  }

  /**
   * Asks the registry's policy about the images this node still has to pull. A refused pull leaves
   * the pod Pending with ErrImagePull and the reason, and tries again after Kubernetes' image pull
   * back-off (10 s doubling to 5 min); true when refused.
   */
  private async pullRefused(key: string, pod: Pod, node: VirtualMachine, cached: ReadonlySet<string>): Promise<boolean> {
    const policy = this.imagePolicy();
    const uses = (pod.spec?.containers ?? []).map((c, i) => ({ image: c.image, field: `spec.containers[${i}].image` })).filter((u) => !cached.has(u.image));
    if (!policy || uses.length === 0) return false;
    const prev = this.pullFailures.get(key);
    if (prev && this.infraClock.now() < prev.retryAt) return true; // backing off; the timer enqueues it
    const tenant = node.spec?.tenant;
    const refusals = await policy.check(uses, { user: 'system:kubelet', ...(tenant ? { tenant } : {}) });
    if (refusals.length === 0) {
      this.pullFailures.delete(key);
      return false;
    }
    const failures = (prev?.count ?? 0) + 1;
    const backoffMs = Math.min(PULL_BACKOFF_MAX_MS, PULL_BACKOFF_MS * 2 ** (failures - 1));
    this.pullFailures.set(key, { count: failures, retryAt: this.infraClock.now() + backoffMs });
    const byImage = new Map(refusals.map((r) => [r.image, r.message]));
    const containers = pod.spec?.containers ?? [];
    const status: PodStatus = {
      ...(pod.status ?? {}),
      phase: 'Pending',
      ready: `0/${containers.length}`,
      containerStatuses: containers.map((c) => {
        const why = byImage.get(c.image);
        return { name: c.name, image: c.image, ready: false, state: 'waiting' as const, reason: why ? (failures > 1 ? 'ImagePullBackOff' : 'ErrImagePull') : 'ContainerCreating', ...(why ? { message: why } : {}) };
      }),
    };
    await this.write(pod, status);
    this.infraClock.setTimeout(() => this.enqueue(key), backoffMs);
    return true;
  }

  /** Marks the pod Running; false when the write lost a race and the pod was enqueued again. */
  private async run(pod: Pod): Promise<boolean> {
    const now = new Date(this.clock.now()).toISOString();
    const prev: PodStatus = pod.status ?? {};
    const containers = pod.spec?.containers ?? [];
    let conditions = setCondition(prev.conditions, { type: 'Initialized', status: 'True', reason: '', message: '' }, now);
    conditions = setCondition(conditions, { type: 'ContainersReady', status: 'True', reason: '', message: '' }, now);
    conditions = setCondition(conditions, { type: 'Ready', status: 'True', reason: '', message: '' }, now);
    const status: PodStatus = {
      ...prev,
      phase: 'Running',
      startTime: now,
      ready: `${containers.length}/${containers.length}`,
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, ready: true, state: 'running' as const })),
      conditions,
    };
    return this.write(pod, status);
  }

  private async fail(pod: Pod, why: string): Promise<void> {
    const now = new Date(this.clock.now()).toISOString();
    const prev: PodStatus = pod.status ?? {};
    const containers = pod.spec?.containers ?? [];
    const status: PodStatus = {
      ...prev,
      phase: 'Failed',
      reason: 'NodeLost',
      message: `${why}; the pod's ReplicaSet replaces it on another node`,
      ready: `0/${containers.length}`,
      conditions: setCondition(prev.conditions, { type: 'Ready', status: 'False', reason: 'NodeLost', message: why }, now),
    };
    await this.write(pod, status);
  }

  private async evict(pod: Pod): Promise<void> {
    await this.store.delete('Pod', pod.metadata.namespace ?? '', pod.metadata.name).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  }

  /** Writes status at the pod's resourceVersion; on a conflict looks again at the fresh pod. */
  private async write(pod: Pod, status: PodStatus): Promise<boolean> {
    try {
      await this.store.update({ ...pod, status }, { subresource: 'status' });
      return true;
    } catch (e) {
      if (e instanceof ConflictError) {
        this.enqueue(objectKey(pod));
        return false;
      }
      if (!(e instanceof NotFoundError)) throw e;
      return true;
    }
  }
}
