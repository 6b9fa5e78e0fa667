/**
 * HA admission control at the API: creating a VM that runs, or powering one on, is refused when
 * every zone it may go to has HA admission control on and would break its policy; the refusal
 * carries each zone's numbers (reserved share, in use, left). Placement enforces the same rule per
 * host (HaAdmissionFilter), so VMs that do not come through the API are held to it too.
 */
import { ConflictError, type Tenant, type VirtualMachine } from '../../api/index.js';
import { checkPowerOn } from '../../ha/index.js';
import type { ClusterView } from '../model/cluster-view.js';
import { admissionPolicy, haEnabled } from '../model/ha-config.js';
import { buildHaZone, haVm } from '../model/ha-zone.js';

/** Whether this write asks for the VM to run (new and On, or Off -> On). */
export function powersOn(vm: VirtualMachine, old: VirtualMachine | undefined): boolean {
  if (vm.spec?.powerState === 'Off') return false;
  return old === undefined || old.spec?.powerState === 'Off';
}

/** Throws ConflictError with the numbers when no zone the VM may use admits it. */
export function checkHaPowerOn(view: ClusterView, vm: VirtualMachine, tenant: Tenant | undefined): void {
  const spec = vm.spec;
  if (spec === undefined) return;
  const placed = vm.status?.host !== undefined ? view.host(vm.status.host)?.spec?.zone : undefined;
  const candidates = placed !== undefined ? [placed] : spec.zone !== undefined ? [spec.zone] : (tenant?.spec?.zones ?? view.zones().map((z) => z.metadata.name));
  const refusals: string[] = [];
  for (const name of candidates) {
    const zone = view.zone(name);
    if (!haEnabled(zone)) return;
    const ha = buildHaZone(zone, name, view.hosts(), view.vms());
    if (!ha.hosts.some((h) => h.up !== false)) continue; // nothing in service there: placement will say so
    const policy = admissionPolicy(zone, ha);
    if (policy.type === 'disabled') return;
    const verdict = checkPowerOn(ha, haVm(vm), policy);
    if (verdict.ok) return;
    refusals.push(`zone ${name}: ${verdict.message}`);
  }
  if (refusals.length === 0) return;
  throw new ConflictError(`HA admission control refuses to power on ${vm.metadata.name}: ${refusals.join('; ')}`);
}
