/**
 * The Deployment controller: finds or creates the ReplicaSet of the current pod template
 * (`<name>-<pod-template-hash>`), scales it and the old ones step by step (rollout.ts: RollingUpdate
 * within maxSurge/maxUnavailable, or Recreate), and writes status. It acts only on a settled view:
 * every ReplicaSet it wrote is seen back in the cache and has observed its generation, so a stale
 * cache never makes it over-scale.
 */
import {
  NotFoundError,
  POD_TEMPLATE_HASH,
  resolveIntOrPercent,
  setCondition,
  type Deployment,
  type DeploymentStatus,
  type ReplicaSet,
} from '../../api/index.js';
import type { Clock } from '../../clock/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import { objectKey, splitKey, templateHash } from '../names.js';
import { controllerUid, type WorkloadIndexes } from './indexes.js';
import { planRollout, type RsView } from './rollout.js';

export class DeploymentController implements Reconciler {
  readonly name = 'deployment';
  /** ReplicaSet key -> the resourceVersion we last wrote; act only once the cache has caught up. */
  private readonly written = new Map<string, number>();
  /** Deployment uid -> template hash at a generation (hashing the template is not free). */
  private readonly hashes = new Map<string, { readonly generation: number; readonly hash: string }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly deployments: Informer<Deployment>,
    private readonly rss: Informer<ReplicaSet>,
    private readonly idx: WorkloadIndexes,
    enqueue: (key: string) => void,
  ) {
    deployments.addHandlers({
      onAdd: (d) => enqueue(objectKey(d)),
      onUpdate: (o, d) => {
        if (o.metadata.generation !== d.metadata.generation) enqueue(objectKey(d));
      },
      onDelete: (d) => {
        this.hashes.delete(d.metadata.uid ?? '');
        void this.cascade(d);
      },
    });
    const rsEvent = (rs: ReplicaSet) => {
      const owner = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
      if (owner) enqueue(`${rs.metadata.namespace ?? ''}/${owner.name}`);
    };
    rss.addHandlers({ onAdd: rsEvent, onUpdate: (_o, rs) => rsEvent(rs), onDelete: rsEvent });
  }

  private async cascade(d: Deployment): Promise<void> {
    for (const k of [...this.idx.replicaSetsOwnedBy(d.metadata.uid ?? '')]) {
      const { namespace, name } = splitKey(k);
      this.written.delete(k);
      await this.store.delete('ReplicaSet', namespace, name).catch((e: unknown) => {
        if (!(e instanceof NotFoundError)) throw e;
      });
    }
  }

  private owned(d: Deployment): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const k of this.idx.replicaSetsOwnedBy(d.metadata.uid ?? '')) {
      const { namespace, name } = splitKey(k);
      const rs = this.rss.get(name, namespace);
      if (rs && controllerUid(rs) === d.metadata.uid) out.push(rs);
    }
    return out.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  }

  /** Whether the cache shows our last writes and every ReplicaSet has acted on its spec. */
  private settled(d: Deployment, rss: readonly ReplicaSet[]): boolean {
    const prefix = `${d.metadata.namespace ?? ''}/`;
    for (const [k, rv] of this.written) {
      if (!k.startsWith(prefix)) continue;
      const { namespace, name } = splitKey(k);
      const rs = this.rss.get(name, namespace);
      if (!rs) return false;
      if (Number(rs.metadata.resourceVersion ?? 0) < rv) return false;
      this.written.delete(k);
    }
    return rss.every((rs) => (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 1));
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const d = this.deployments.get(name, namespace);
    if (!d?.spec || d.metadata.deletionTimestamp) return;
    const rss = this.owned(d);
    if (!this.settled(d, rss)) return; // the informer event that settles it enqueues us again
    const replicas = d.spec.replicas ?? 1;
    const gen = d.metadata.generation ?? 1;
    const cached = this.hashes.get(d.metadata.uid ?? '');
    const hash = cached?.generation === gen ? cached.hash : templateHash(d.spec.template);
    this.hashes.set(d.metadata.uid ?? '', { generation: gen, hash });
    let newRs = rss.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    const old = rss.filter((rs) => rs !== newRs);
    const view = (rs: ReplicaSet): RsView => ({ name: rs.metadata.name, spec: rs.spec?.replicas ?? 0, current: rs.status?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 });
    const recreate = d.spec.strategy?.type === 'Recreate';
    const surge = recreate ? 0 : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true, '25%');
    let unavailable = recreate ? replicas : resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false, '25%');
    if (surge === 0 && unavailable === 0) unavailable = 1;

    let newView: RsView = newRs ? view(newRs) : { name: `${name}-${hash}`, spec: 0, current: 0, available: 0 };
    const oldViews = old.map(view);
    let plan = planRollout(replicas, surge, unavailable, newView, oldViews);
    if (recreate && oldViews.some((o) => o.spec > 0 || o.current > 0)) plan = { newReplicas: newView.spec, oldScale: new Map(oldViews.filter((o) => o.spec > 0).map((o) => [o.name, 0])) };

    if (!newRs) {
      newRs = await this.createRs(d, hash, plan.newReplicas);
      newView = view(newRs);
    } else if (plan.newReplicas !== newView.spec) await this.scale(newRs, plan.newReplicas);
    for (const rs of old) {
      const to = plan.oldScale.get(rs.metadata.name);
      if (to !== undefined) await this.scale(rs, to);
    }
    await this.writeStatus(d, newRs, rss, replicas, unavailable);
  }

  private async createRs(d: Deployment, hash: string, replicas: number): Promise<ReplicaSet> {
    const spec = d.spec;
    if (!spec) throw new Error('deployment without spec');
    const labels = { ...(spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace ?? '',
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid ?? '', controller: true }],
      },
      spec: {
        replicas,
        selector: { matchLabels: { ...(spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
        template: { ...spec.template, metadata: { ...(spec.template.metadata ?? {}), labels } },
      },
    };
    const created = await this.store.create(rs);
    this.written.set(objectKey(created), Number(created.metadata.resourceVersion ?? 0));
    return created;
  }

  private async scale(rs: ReplicaSet, replicas: number): Promise<void> {
    if (!rs.spec) return;
    const updated = await this.store.update({ ...rs, spec: { ...rs.spec, replicas } });
    this.written.set(objectKey(updated), Number(updated.metadata.resourceVersion ?? 0));
  }

  private async writeStatus(d: Deployment, newRs: ReplicaSet, rss: readonly ReplicaSet[], replicas: number, maxUnavailable: number): Promise<void> {
    const sum = (f: (rs: ReplicaSet) => number | undefined) => rss.reduce((s, rs) => s + (f(rs) ?? 0), 0);
    const available = sum((rs) => rs.status?.availableReplicas);
    const updated = newRs.status?.replicas ?? 0;
    const gen = d.metadata.generation ?? 1;
    const now = new Date(this.clock.now()).toISOString();
    const prev = d.status ?? {};
    const isAvailable = available >= replicas - maxUnavailable;
    const complete = updated === replicas && available >= replicas && sum((rs) => rs.status?.replicas) === replicas;
    let conditions = setCondition(prev.conditions, { type: 'Available', status: isAvailable ? 'True' : 'False', reason: isAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: `${available} of ${replicas} replicas available`, observedGeneration: gen }, now);
    conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', message: `ReplicaSet "${newRs.metadata.name}" ${complete ? 'has successfully progressed' : 'is progressing'}`, observedGeneration: gen }, now);
    const status: DeploymentStatus = {
      observedGeneration: gen,
      replicas: sum((rs) => rs.status?.replicas),
      updatedReplicas: updated,
      readyReplicas: sum((rs) => rs.status?.readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
      conditions,
    };
    const same = (['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const).every((k) => prev[k] === status[k]) && JSON.stringify(prev.conditions?.map((c) => [c.type, c.status, c.reason, c.message])) === JSON.stringify(conditions.map((c) => [c.type, c.status, c.reason, c.message]));
    if (same) return;
    const { resourceVersion: _rv, ...meta } = d.metadata;
    await this.store.update({ ...d, metadata: meta, status }, { subresource: 'status' }).catch((e: unknown) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  }
}
