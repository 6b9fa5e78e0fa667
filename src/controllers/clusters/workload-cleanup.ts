/**
 * When a cluster goes, everything inside it goes first: its Deployments, ReplicaSets, Pods,
 * Services, Endpoints and Namespaces (stored under `<cluster>/<ns>` and `<cluster>`). Otherwise a
 * later cluster of the same name, possibly another tenant's, would inherit them and run them.
 * Deployments and ReplicaSets go first so nothing recreates the pods being deleted.
 */
import { NotFoundError } from '../../api/index.js';
import type { Store } from '../../store/index.js';

/** Kinds in the order they are deleted. */
const NAMESPACED_KINDS = ['Deployment', 'ReplicaSet', 'Pod', 'Service', 'Endpoints'] as const;

/**
 * Deletes one round of the cluster's workload objects; returns how many were still there. Lists
 * each kind across namespaces rather than trusting the Namespace objects, so objects written into a
 * namespace with no Namespace object (the implicit `default`) are found too.
 */
export async function deleteClusterWorkloads(store: Store, cluster: string): Promise<number> {
  const prefix = `${cluster}/`;
  let remaining = 0;
  for (const kind of NAMESPACED_KINDS) {
    const items = (await store.list(kind)).items.filter((o) => (o.metadata.namespace ?? '').startsWith(prefix));
    remaining += items.length;
    for (const o of items) await store.delete(kind, o.metadata.namespace ?? '', o.metadata.name).catch(ignoreGone);
  }
  const namespaces = (await store.list('Namespace', { namespace: cluster })).items;
  remaining += namespaces.length;
  for (const ns of namespaces) await store.delete('Namespace', cluster, ns.metadata.name).catch(ignoreGone);
  return remaining;
}

function ignoreGone(err: unknown): void {
  if (!(err instanceof NotFoundError)) throw err;
}
