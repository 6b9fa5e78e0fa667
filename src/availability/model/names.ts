/** Labels and condition types the availability capability reads and writes, in one place. */

/** On VmMigrations: the VM's tenant (RBAC scope), stamped at admission. Same key as on VMs. */
export const TENANT_LABEL = 'bulkhead.dev/tenant';
/** On VmMigrations: the VM being moved, to find a VM's migrations. */
export const VM_LABEL = 'bulkhead.dev/vm';
/** On VmMigrations maintenance mode creates: the host being evacuated. */
export const MAINTENANCE_HOST_LABEL = 'bulkhead.dev/maintenance-host';

/** On VMs: True while a live migration of the VM runs (its message names the destination). */
export const MIGRATING_CONDITION = 'Migrating';
/** On hosts with `spec.maintenance`: False while evacuating (why it is not empty yet), True once in maintenance mode. */
export const MAINTENANCE_CONDITION = 'Maintenance';
