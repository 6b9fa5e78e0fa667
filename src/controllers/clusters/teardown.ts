/**
 * Cluster deletion: the workloads inside it are deleted, then every VM the cluster owns (a VM still
 * being created is deleted as soon as its create lands), then its persistent disks, then the finalizer goes and with it the
 * Cluster. Deleting during creation is the same path: creation stops, everything is released.
 */
import type { Cluster, VirtualMachine } from '../../api/index.js';
import type { Driver } from '../../infra/index.js';
import type { Store } from '../../store/index.js';
import type { EventRecorder } from './events.js';
import { CLUSTER_FINALIZER } from './nodes.js';
import { deleteClusterWorkloads } from './workload-cleanup.js';
import type { Ops } from './work.js';

export interface TeardownDeps {
  readonly store: Store;
  readonly driver: Driver;
  readonly ops: Ops;
  readonly nowIso: string;
  readonly events: EventRecorder;
}

/** One step of deletion; true when the cluster is gone. */
export async function teardown(c: Cluster, vms: ReadonlyMap<string, VirtualMachine>, d: TeardownDeps): Promise<boolean> {
  if (!c.metadata.finalizers?.includes(CLUSTER_FINALIZER)) return true;
  const a = c.status?.lastAction;
  if (a?.type !== 'delete') {
    const interrupted = a?.state === 'in progress' ? ` (interrupting the ${a.type} in progress)` : '';
    const description = `deleting ${vms.size} nodes and ${Object.keys(c.status?.disks ?? {}).length} disks${interrupted}`;
    const { resourceVersion: _rv, ...metadata } = c.metadata;
    c = await d.store.update({ ...c, metadata, status: { ...c.status, lastAction: { type: 'delete', state: 'in progress', description, startedAt: d.nowIso } } }, { subresource: 'status' });
    await d.events.record(c, 'Normal', 'DeleteStarted', description);
  }
  // Workloads first: nothing inside the cluster may outlive it (or be inherited by a namesake).
  if ((await deleteClusterWorkloads(d.store, c.metadata.name)) > 0) return false;
  for (const vm of vms.values()) if (!vm.metadata.deletionTimestamp) await d.ops.deleteVm(vm.metadata.name);
  if (vms.size > 0) return false;
  for (const diskId of Object.values(c.status?.disks ?? {})) await d.driver.deleteDisk(diskId);
  await d.events.record(c, 'Normal', 'Deleted', `cluster ${c.metadata.name} deleted: nodes and disks released`);
  const fresh = await d.store.get<Cluster>('Cluster', '', c.metadata.name);
  await d.store.update({ ...fresh, metadata: { ...fresh.metadata, finalizers: (fresh.metadata.finalizers ?? []).filter((f) => f !== CLUSTER_FINALIZER) } });
  return true;
}
