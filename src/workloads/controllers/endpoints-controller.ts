/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same
 * name lists the pods of its namespace that match, with their addresses: ready ones under
 * `addresses`, bound but not ready ones under `notReadyAddresses`. Deleted with its Service.
 */
import { ConflictError, NotFoundError, type Endpoints, type EndpointAddress, type Pod, type Service } from '../../api/index.js';
import type { Informer, Reconciler, ReconcileResult } from '../../controllers/index.js';
import type { Store } from '../../store/index.js';
import { objectKey, splitKey, splitStoreNamespace } from '../names.js';
import type { WorkloadIndexes } from './indexes.js';
import { isActive, isReady } from './pod-status.js';

export class EndpointsController implements Reconciler {
  readonly name = 'endpoints';

  constructor(
    private readonly store: Store,
    private readonly services: Informer<Service>,
    private readonly pods: Informer<Pod>,
    private readonly endpoints: Informer<Endpoints>,
    private readonly idx: WorkloadIndexes,
    enqueue: (key: string) => void,
  ) {
    services.addHandlers({ onAdd: (s) => enqueue(objectKey(s)), onUpdate: (_o, s) => enqueue(objectKey(s)), onDelete: (s) => enqueue(objectKey(s)) });
    const podEvent = (p: Pod) => {
      for (const k of idx.servicesInNamespace(p.metadata.namespace ?? '')) enqueue(k);
    };
    pods.addHandlers({
      onAdd: podEvent,
      onUpdate: (o, p) => {
        if (isReady(o) !== isReady(p) || o.spec?.nodeName !== p.spec?.nodeName || o.status?.phase !== p.status?.phase || o.status?.podIP !== p.status?.podIP) podEvent(p);
      },
      onDelete: podEvent,
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(name, namespace);
    const existing = this.endpoints.get(name, namespace);
    if (!svc?.spec) {
      if (existing)
        await this.store.delete('Endpoints', namespace, name).catch((e: unknown) => {
          if (!(e instanceof NotFoundError)) throw e;
        });
      return;
    }
    const selector = Object.entries(svc.spec.selector ?? {});
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    if (selector.length > 0) {
      for (const k of this.idx.podsInNamespace(namespace)) {
        const { name: pn } = splitKey(k);
        const p = this.pods.get(pn, namespace);
        if (!p || !isActive(p) || !p.spec?.nodeName || !selector.every(([lk, lv]) => p.metadata.labels?.[lk] === lv)) continue;
        // Without a network plugin (workloads alone) pods have no address: ip stays '' and the pod is still listed.
        const addr: EndpointAddress = { ip: p.status?.podIP ?? '', nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: splitStoreNamespace(namespace).namespace } };
        (isReady(p) ? ready : notReady).push(addr);
      }
    }
    const byName = (a: EndpointAddress, b: EndpointAddress) => a.targetRef.name.localeCompare(b.targetRef.name);
    ready.sort(byName);
    notReady.sort(byName);
    const ports = svc.spec.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP' }));
    const spec = { subsets: ready.length + notReady.length === 0 ? [] : [{ addresses: ready, notReadyAddresses: notReady, ports }] };
    if (!existing) {
      await this.store.create<Endpoints>({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels: svc.metadata.labels ?? {} }, spec });
    } else if (JSON.stringify(existing.spec) !== JSON.stringify(spec)) {
      const { resourceVersion: _rv, ...meta } = existing.metadata;
      await this.store.update({ ...existing, metadata: meta, spec });
    }
    if (svc.status?.readyEndpoints !== ready.length) {
      // At the Service's resourceVersion, keeping the network's fields (its VIP); a conflict is retried.
      try {
        await this.store.update({ ...svc, status: { ...svc.status, readyEndpoints: ready.length } }, { subresource: 'status' });
      } catch (e) {
        // The network wrote the Service's status meanwhile: look again once the informer has it.
        if (e instanceof ConflictError) return { requeueAfter: 20 };
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
  }
}
