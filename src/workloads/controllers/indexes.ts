/**
 * Secondary indexes over the shared informers that every workload controller needs and that the
 * informer cache lacks: pods by controlling owner uid, by node, by store namespace; ReplicaSets
 * by owning Deployment uid; Services by store namespace. Kept current by informer handlers.
 */
import type { Pod, ReplicaSet, Resource, Service } from '../../api/index.js';
import type { Informer } from '../../controllers/index.js';
import { objectKey } from '../names.js';

class SetIndex {
  private readonly m = new Map<string, Set<string>>();
  add(k: string | undefined, v: string): void {
    if (k === undefined) return;
    let s = this.m.get(k);
    if (!s) this.m.set(k, (s = new Set()));
    s.add(v);
  }
  remove(k: string | undefined, v: string): void {
    if (k === undefined) return;
    const s = this.m.get(k);
    if (!s) return;
    s.delete(v);
    if (s.size === 0) this.m.delete(k);
  }
  get(k: string): ReadonlySet<string> {
    return this.m.get(k) ?? EMPTY;
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/** The uid of an object's controlling owner. */
export function controllerUid(o: Resource): string | undefined {
  return (o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0])?.uid;
}

function track<T extends Resource>(inf: Informer<T>, idx: SetIndex, by: (o: T) => string | undefined): void {
  inf.addHandlers({
    onAdd: (o) => idx.add(by(o), objectKey(o)),
    onUpdate: (old, o) => {
      const a = by(old);
      const b = by(o);
      if (a !== b) {
        idx.remove(a, objectKey(old));
        idx.add(b, objectKey(o));
      }
    },
    onDelete: (o) => idx.remove(by(o), objectKey(o)),
  });
}

export class WorkloadIndexes {
  private readonly podsByOwner = new SetIndex();
  private readonly podsByNode = new SetIndex();
  private readonly podsByNs = new SetIndex();
  private readonly rsByOwner = new SetIndex();
  private readonly svcByNs = new SetIndex();

  constructor(
    readonly pods: Informer<Pod>,
    readonly replicaSets: Informer<ReplicaSet>,
    readonly services: Informer<Service>,
  ) {
    track(pods, this.podsByOwner, controllerUid);
    track(pods, this.podsByNode, (p) => p.spec?.nodeName);
    track(pods, this.podsByNs, (p) => p.metadata.namespace);
    track(replicaSets, this.rsByOwner, controllerUid);
    track(services, this.svcByNs, (s) => s.metadata.namespace);
  }

  podsOwnedBy(uid: string): ReadonlySet<string> {
    return this.podsByOwner.get(uid);
  }
  podsOnNode(node: string): ReadonlySet<string> {
    return this.podsByNode.get(node);
  }
  podsInNamespace(storeNs: string): ReadonlySet<string> {
    return this.podsByNs.get(storeNs);
  }
  replicaSetsOwnedBy(uid: string): ReadonlySet<string> {
    return this.rsByOwner.get(uid);
  }
  servicesInNamespace(storeNs: string): ReadonlySet<string> {
    return this.svcByNs.get(storeNs);
  }
}
