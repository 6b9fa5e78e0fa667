/**
 * The cluster lifecycle controller (the BOSH director's role): converges a Cluster's VMs to its
 * spec and plan, one reconcile at a time, level-triggered from the store.
 *
 *   action bookkeeping  -> a new generation starts create / update / upgrade
 *   disks               -> one persistent disk per node slot, created once, kept in status
 *   health monitor      -> down nodes resurrected (or meltdown declared)      replace.ts
 *   upgrade scheduler   -> next nodes to recreate, BOSH order                   replace.ts, rollout.ts
 *   replacement steps   -> drain, delete, create, watch                         replace.ts
 *   create / scale down -> missing VMs created, surplus workers drained away    lifecycle.ts
 *   summary             -> nodes, conditions, last action                       lifecycle.ts
 *
 * Durations (watch times, drain timeout, health grace) run on the infrastructure's clock, as the
 * host heartbeat deadlines do, so a sped-up simulated datacenter speeds them up too.
 */
import type { Logger } from 'pino';
import {
  AlreadyExistsError,
  DEFAULT_STEMCELL,
  NotFoundError,
  defaultPlanSpec,
  setCondition,
  type Cluster,
  type Plan,
  type Resource,
  type Tenant,
  type VirtualMachine,
} from '../../api/index.js';
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { Driver } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { Informer, ReconcileResult, Reconciler } from '../framework/index.js';
import { EventRecorder } from './events.js';
import { createMissing, removeSurplus, summarize } from './lifecycle.js';
import { CLUSTER_FINALIZER, CLUSTER_LABEL, desiredSlots, isDrainMarked, withDrainMarks } from './nodes.js';
import { monitorHealth, scheduleUpgrade, stepReplacements, uncordonStale } from './replace.js';
import { teardown } from './teardown.js';
import { draftOf, statusOf, type Ops, type Work } from './work.js';

/** A Pod as far as draining needs it (the workloads capability owns the kind). */
export type PodLike = Resource<{ readonly nodeName?: string }, { readonly phase?: string }>;

export interface ClusterInformers {
  readonly clusters: Informer<Cluster>;
  readonly plans: Informer<Plan>;
  readonly vms: Informer<VirtualMachine>;
  readonly tenants: Informer<Tenant>;
  readonly pods: Informer<PodLike>;
}

/** How often a cluster with something under way is looked at again (infrastructure time). */
export const BUSY_RESYNC_MS = 5_000;

export class ClusterController implements Reconciler {
  readonly name = 'clusters';
  readonly events: EventRecorder;
  private readonly timers = new Map<string, { at: number; handle: TimerHandle }>();

  constructor(
    private readonly store: Store,
    private readonly driver: Driver,
    private readonly clock: Clock,
    private readonly inf: ClusterInformers,
    private readonly enqueue: (name: string) => void,
    private readonly log?: Logger,
    /** Wall-clock time for Event timestamps (what an operator reads); `clock` by default. */
    eventClock: Clock = clock,
  ) {
    this.events = new EventRecorder(store, eventClock, (err) => log?.warn({ err: err.message }, 'event not recorded'));
    inf.clusters.addHandlers({ onAdd: (c) => enqueue(c.metadata.name), onUpdate: (_o, c) => enqueue(c.metadata.name) });
    const byVm = (vm: VirtualMachine) => {
      const c = vm.metadata.labels?.[CLUSTER_LABEL];
      if (c) enqueue(c);
    };
    inf.vms.addHandlers({ onAdd: byVm, onUpdate: (_o, vm) => byVm(vm), onDelete: byVm });
    inf.plans.addHandlers({
      onUpdate: (_o, p) => {
        for (const c of inf.clusters.list()) if (c.spec?.plan === p.metadata.name) enqueue(c.metadata.name);
      },
    });
    const byPod = (p: PodLike) => {
      const node = p.spec?.nodeName;
      const vm = node ? inf.vms.get(node) : undefined;
      if (vm && isDrainMarked(vm)) byVm(vm);
    };
    inf.pods.addHandlers({ onUpdate: (_o, p) => byPod(p), onDelete: byPod });
  }

  /** Looks at `name` again after `ms` of infrastructure time (earliest request wins). */
  private wake(name: string, ms: number): void {
    const at = this.clock.now() + ms;
    const prev = this.timers.get(name);
    if (prev && prev.at <= at) return;
    if (prev) this.clock.clearTimeout(prev.handle);
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(name);
      this.enqueue(name);
    }, ms);
    this.timers.set(name, { at, handle });
  }

  /** Cancels pending wake-ups (shutdown). */
  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t.handle);
    this.timers.clear();
  }

  /** The cluster's VMs: labelled with its name and owned by this incarnation of it. */
  vmsOf(c: Cluster): Map<string, VirtualMachine> {
    const out = new Map<string, VirtualMachine>();
    for (const vm of this.inf.vms.list()) {
      if (vm.metadata.labels?.[CLUSTER_LABEL] !== c.metadata.name) continue;
      if (!vm.metadata.ownerReferences?.some((o) => o.kind === 'Cluster' && o.uid === c.metadata.uid)) continue;
      out.set(vm.metadata.name, vm);
    }
    return out;
  }

  private readonly ops: Ops = {
    createVm: async (vm) => {
      try {
        await this.store.create(vm);
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    },
    deleteVm: async (name) => {
      try {
        await this.store.delete('VirtualMachine', '', name);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },
    setDrainMarks: async (vm, on) => {
      const fresh = await this.store.tryGet<VirtualMachine>('VirtualMachine', '', vm.metadata.name);
      if (fresh && !fresh.metadata.deletionTimestamp) await this.store.update(withDrainMarks(fresh, on));
    },
    podsOn: (cluster, node) =>
      this.inf.pods.list().filter((p) => p.spec?.nodeName === node && (p.metadata.namespace ?? '').startsWith(`${cluster}/`) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length,
    deleteDisk: (diskId) => this.driver.deleteDisk(diskId),
  };

  /** Writes status only (no resourceVersion: this controller is its only writer). */
  private async saveStatus(c: Cluster, status: Cluster['status']): Promise<Cluster> {
    const { resourceVersion: _rv, ...metadata } = c.metadata;
    return this.store.update({ ...c, metadata, status }, { subresource: 'status' });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    let c = await this.store.tryGet<Cluster>('Cluster', '', name);
    const spec = c?.spec;
    if (!c || !spec) return;
    const now = this.clock.now();
    const nowIso = new Date(now).toISOString();
    if (c.metadata.deletionTimestamp) {
      // From the store, not the cache: a VM created a moment ago must not be missed.
      const listed = await this.store.list<VirtualMachine>('VirtualMachine', { labelSelector: `${CLUSTER_LABEL}=${name}` });
      const owned = new Map(listed.items.filter((vm) => vm.metadata.ownerReferences?.some((o) => o.uid === c!.metadata.uid)).map((vm) => [vm.metadata.name, vm]));
      const done = await teardown(c, owned, { store: this.store, driver: this.driver, ops: this.ops, nowIso, events: this.events });
      if (!done) this.wake(name, BUSY_RESYNC_MS);
      return;
    }
    if (!c.metadata.finalizers?.includes(CLUSTER_FINALIZER)) {
      await this.store.update({ ...c, metadata: { ...c.metadata, finalizers: [...(c.metadata.finalizers ?? []), CLUSTER_FINALIZER] } });
      return;
    }
    const st = draftOf(c.status);
    const gen = c.metadata.generation ?? 1;
    const planObj = this.inf.plans.get(spec.plan);
    if (!planObj?.spec) {
      st.conditions = setCondition(st.conditions, { type: 'Ready', status: 'False', reason: 'PlanNotFound', message: `plan "${spec.plan}" does not exist`, observedGeneration: gen }, nowIso);
      await this.saveStatus(c, statusOf(st));
      return;
    }
    const plan = defaultPlanSpec(planObj.spec);
    const target = { version: spec.kubernetesVersion ?? plan.kubernetesVersions[0] ?? '', stemcell: spec.stemcell ?? DEFAULT_STEMCELL };
    const events: Work['events'] = [];
    if (st.observedGeneration !== gen) {
      const upgrade = st.kubernetesVersion !== undefined && (st.kubernetesVersion !== target.version || (st.stemcell ?? DEFAULT_STEMCELL) !== target.stemcell);
      const type = st.kubernetesVersion === undefined ? 'create' : upgrade ? 'upgrade' : 'update';
      const from = upgrade ? ` from ${st.kubernetesVersion} (${st.stemcell ?? DEFAULT_STEMCELL})` : '';
      st.lastAction = { type, state: 'in progress', description: `${type} started`, startedAt: nowIso };
      st.observedGeneration = gen;
      events.push(['Normal', `${type[0]!.toUpperCase()}${type.slice(1)}Started`, type === 'upgrade' ? `upgrading${from} to Kubernetes ${target.version} (${target.stemcell})` : `${type}: ${plan.controlPlaneNodes} control-plane nodes, ${spec.workers ?? plan.defaultWorkers} workers`]);
    }
    const slots = desiredSlots(c, plan);
    // One disk per slot, created once and recorded at once, so that no disk is ever orphaned.
    const missing = slots.filter((s) => !st.disks[s.name]);
    if (missing.length) {
      const made = await Promise.allSettled(missing.map(() => this.driver.createDisk(plan.persistentDiskMiB)));
      made.forEach((r, i) => {
        if (r.status === 'fulfilled') st.disks[missing[i]!.name] = r.value.diskId;
        else events.push(['Warning', 'DiskCreateFailed', `disk for ${missing[i]!.name}: ${(r.reason as Error).message}`]);
      });
      c = await this.saveStatus(c, statusOf(st));
    }
    const tenant = this.inf.tenants.get(spec.tenant);
    const current = st.kubernetesVersion ? { version: st.kubernetesVersion, stemcell: st.stemcell ?? DEFAULT_STEMCELL } : target;
    const w: Work = { cluster: c, plan, now, nowIso, st, vms: this.vmsOf(c), slots, target, current, tenantSensitivity: tenant?.spec?.sensitivity, ...(tenant?.spec?.zones ? { tenantZones: tenant.spec.zones } : {}), ops: this.ops, events };
    monitorHealth(w);
    scheduleUpgrade(w);
    await stepReplacements(w);
    await createMissing(w);
    await removeSurplus(w);
    await uncordonStale(w);
    summarize(w);
    const status = statusOf(st);
    if (JSON.stringify(status) !== JSON.stringify(c.status)) c = await this.saveStatus(c, status);
    for (const [type, reason, message] of events) await this.events.record(c, type, reason, message);
    const busy = st.lastAction?.state === 'in progress' || Object.keys(st.replacing).length + Object.keys(st.draining).length + Object.keys(st.notRunningSince).length + Object.keys(st.alerts).length + Object.keys(st.resurrectedAt).length > 0;
    if (busy) this.wake(name, BUSY_RESYNC_MS);
  }
}
