/** Labels and annotations the balance capability reads and writes, in one place. */

/** A VM's cluster (set by the cluster controller on node VMs). */
export const CLUSTER_LABEL = 'bulkhead.dev/cluster';
/** A VM's tenant (stamped at admission and by the cluster controller). */
export const TENANT_LABEL = 'bulkhead.dev/tenant';
/**
 * A VM's own demand profile (JSON, the pod annotation's format): for a VM without pods its whole
 * demand; for a cluster node, what runs beside the pods (replacing the system-reserve default).
 */
export const VM_DEMAND_ANNOTATION = 'bulkhead.dev/demand-profile';
/** `disabled` on a VM: DRS never moves it for balancing (vSphere's per-VM automation override). */
export const VM_DRS_ANNOTATION = 'bulkhead.dev/drs-automation';
/** On VmMigrations: the VM moved (the availability capability's key). */
export const VM_LABEL = 'bulkhead.dev/vm';
/** On VmMigrations DRS creates: the recommendation they carry out. */
export const RECOMMENDATION_LABEL = 'bulkhead.dev/drs-recommendation';
/** On VmMigrations and DrsRecommendations: the zone. */
export const ZONE_LABEL = 'bulkhead.dev/zone';
