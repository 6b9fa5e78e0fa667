/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods for every ReplicaSet. Creates
 * missing pods in concurrent bursts (the store group-commits them), deletes surplus ones
 * (unbound, then pending, then not ready first), deletes Failed pods so they are replaced
 * elsewhere, and writes status (replicas, ready, available, observedGeneration). In-flight
 * creates and deletes are remembered until the informer shows them (client-go's expectations), so
 * a stale cache never makes it create twice.
 */
import { NotFoundError, type Pod, type ReplicaSet, type ReplicaSetStatus } from '../../api/index.js';
import { Random } from '../../clock/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import { objectKey, randomSuffix, splitKey } from '../names.js';
import { controllerUid, type WorkloadIndexes } from './indexes.js';
import { deletionRank, isActive, isReady, podFromTemplate } from './pod-status.js';

/** Most pod creates or deletes in flight at once per ReplicaSet. */
const BURST = 500;

export class ReplicaSetController implements Reconciler {
  readonly name = 'replicaset';
  private readonly creating = new Map<string, Set<string>>();
  private readonly deleting = new Map<string, Set<string>>();
  private readonly rng: Random;

  constructor(
    private readonly store: Store,
    private readonly rss: Informer<ReplicaSet>,
    private readonly pods: Informer<Pod>,
    private readonly idx: WorkloadIndexes,
    private readonly enqueue: (key: string) => void,
    seed: number,
  ) {
    this.rng = new Random(seed).fork('replicaset');
    rss.addHandlers({
      onAdd: (rs) => enqueue(objectKey(rs)),
      onUpdate: (o, rs) => {
        if (o.metadata.generation !== rs.metadata.generation) enqueue(objectKey(rs));
      },
      onDelete: (rs) => void this.orphanCleanup(rs),
    });
    const podEvent = (p: Pod) => {
      const uid = controllerUid(p);
      const rsName = p.metadata.ownerReferences?.find((r) => r.kind === 'ReplicaSet')?.name;
      if (!uid || !rsName) return;
      return { uid, key: `${p.metadata.namespace ?? ''}/${rsName}` };
    };
    pods.addHandlers({
      onAdd: (p) => {
        const e = podEvent(p);
        if (!e) return;
        this.creating.get(e.uid)?.delete(p.metadata.name);
        enqueue(e.key);
      },
      onUpdate: (o, p) => {
        const e = podEvent(p);
        if (e && (o.status?.phase !== p.status?.phase || isReady(o) !== isReady(p) || o.metadata.deletionTimestamp !== p.metadata.deletionTimestamp)) enqueue(e.key);
      },
      onDelete: (p) => {
        const e = podEvent(p);
        if (!e) return;
        this.deleting.get(e.uid)?.delete(p.metadata.name);
        enqueue(e.key);
      },
    });
  }

  // Garbage collection: a deleted ReplicaSet's pods go with it.
  private async orphanCleanup(rs: ReplicaSet): Promise<void> {
    const uid = rs.metadata.uid ?? '';
    this.creating.delete(uid);
    this.deleting.delete(uid);
    await Promise.all([...this.idx.podsOwnedBy(uid)].map((k) => this.deletePod(k)));
  }

  private async deletePod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    try {
      await this.store.delete('Pod', namespace, name);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const rs = this.rss.get(name, namespace);
    if (!rs?.spec || rs.metadata.deletionTimestamp) return;
    const uid = rs.metadata.uid ?? '';
    const creating = this.creating.get(uid) ?? new Set<string>();
    const deleting = this.deleting.get(uid) ?? new Set<string>();
    this.creating.set(uid, creating);
    this.deleting.set(uid, deleting);

    const active: Pod[] = [];
    const failed: Pod[] = [];
    for (const k of this.idx.podsOwnedBy(uid)) {
      const { namespace: ns, name: n } = splitKey(k);
      const p = this.pods.get(n, ns);
      if (!p || deleting.has(p.metadata.name)) continue;
      if (p.status?.phase === 'Failed') failed.push(p);
      else if (isActive(p)) active.push(p);
    }
    // Failed pods (their node was lost) are removed; their replacements are created below.
    for (let i = 0; i < failed.length; i += BURST) await Promise.all(failed.slice(i, i + BURST).map((p) => this.remove(p, deleting)));

    const want = rs.spec.replicas ?? 1;
    let have = active.length + creating.size;
    while (have < want) {
      const n = Math.min(BURST, want - have);
      await Promise.all(Array.from({ length: n }, () => this.createPod(rs, creating)));
      have += n;
    }
    if (have > want) {
      const victims = [...active].sort((a, b) => deletionRank(a) - deletionRank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
      const surplus = victims.slice(0, have - want);
      for (let i = 0; i < surplus.length; i += BURST) await Promise.all(surplus.slice(i, i + BURST).map((p) => this.remove(p, deleting)));
      have = want;
    }
    await this.writeStatus(rs, active.filter((p) => !deleting.has(p.metadata.name)), have);
  }

  private async createPod(rs: ReplicaSet, creating: Set<string>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const podName = `${rs.metadata.name}-${randomSuffix(this.rng)}`;
      creating.add(podName);
      try {
        await this.store.create(podFromTemplate(rs, rs.spec?.template ?? { spec: { containers: [] } }, podName));
        return;
      } catch (e) {
        creating.delete(podName);
        if (attempt < 3 && (e as { reason?: string }).reason === 'AlreadyExists') continue;
        throw e;
      }
    }
  }

  private async remove(p: Pod, deleting: Set<string>): Promise<void> {
    deleting.add(p.metadata.name);
    try {
      await this.store.delete('Pod', p.metadata.namespace ?? '', p.metadata.name);
    } catch (e) {
      deleting.delete(p.metadata.name);
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  private async writeStatus(rs: ReplicaSet, pods: readonly Pod[], replicas: number): Promise<void> {
    const ready = pods.filter(isReady).length;
    const status: ReplicaSetStatus = {
      ...(rs.status ?? {}),
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      fullyLabeledReplicas: replicas,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    const s = rs.status ?? {};
    if (s.replicas === status.replicas && s.readyReplicas === ready && s.availableReplicas === ready && s.observedGeneration === status.observedGeneration) return;
    const { resourceVersion: _rv, ...meta } = rs.metadata;
    try {
      await this.store.update({ ...rs, metadata: meta, status }, { subresource: 'status' });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}
