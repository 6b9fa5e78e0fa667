/**
 * Admission of a VmMigration: the VM must exist, its tenant is stamped as a label (RBAC scope: a
 * tenant administrator may migrate the tenant's VMs and no other's), the spec is immutable, and
 * the destination is checked now so that a move that would break isolation, land on a failover
 * host or leave the zone is refused with the conflict named, not accepted and failed later.
 */
import { ConflictError, ValidationError, type VirtualMachine, type VmMigration } from '../../api/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { TENANT_LABEL, VM_LABEL } from '../model/names.js';
import { planDestination } from '../migration/destination.js';

export function admitMigration(view: ClusterView, m: VmMigration, old: VmMigration | undefined): VmMigration {
  const name = m.metadata.name;
  const ctx = { kind: 'VmMigration', name };
  if (old !== undefined) {
    if (JSON.stringify(old.spec) !== JSON.stringify(m.spec)) throw ValidationError.field('spec', 'a VmMigration cannot be changed; create another', ctx);
    return m;
  }
  const spec = m.spec;
  if (spec === undefined) throw ValidationError.field('spec', 'required', ctx);
  const vm: VirtualMachine | undefined = view.vm(spec.vm);
  const tenant = vm?.spec?.tenant;
  const claimed = m.metadata.labels?.[TENANT_LABEL];
  // A label naming another tenant is treated like a missing VM, so other tenants' VM names do not leak.
  if (vm === undefined || tenant === undefined || (claimed !== undefined && claimed !== tenant))
    throw ValidationError.field('spec.vm', `virtual machine "${spec.vm}" does not exist`, ctx);
  if (vm.metadata.deletionTimestamp) throw new ConflictError(`${spec.vm} is being deleted`);
  const dest = planDestination(view, vm, spec.toHost);
  if (!dest.ok) {
    // A named destination that cannot take the VM is bad input; a VM that cannot move now is a conflict.
    if (vm.status?.phase !== 'Running' || spec.toHost === undefined) throw new ConflictError(dest.reason);
    throw ValidationError.field('spec.toHost', dest.reason, ctx);
  }
  return { ...m, metadata: { ...m.metadata, labels: { ...m.metadata.labels, [TENANT_LABEL]: tenant, [VM_LABEL]: spec.vm } }, spec: { ...spec, reason: spec.reason ?? 'User' } };
}
