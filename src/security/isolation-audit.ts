/**
 * The isolation audit: checks, from the store's objects, the invariant the platform promises:
 * VMs that the zone's isolation mode says may not share a host do not, and every VM carries at
 * least its tenant's sensitivity. The result lists each violation with the VMs involved.
 */
import { SENSITIVITY_LEVELS, type Host, type Tenant, type VirtualMachine, type Zone } from '../api/index.js';

export interface IsolationViolation {
  readonly host: string;
  readonly zone: string;
  readonly isolation: string;
  readonly reason: string;
  readonly vms: readonly { readonly name: string; readonly tenant: string; readonly sensitivity: string }[];
}

export interface IsolationReport {
  readonly violations: IsolationViolation[];
  readonly checkedHosts: number;
  readonly checkedVms: number;
}

/** VM phases that occupy a host. */
const OCCUPYING = new Set(['Provisioning', 'Running', 'Stopped', 'Lost', 'Deleting']);

export function auditIsolation(zones: readonly Zone[], hosts: readonly Host[], vms: readonly VirtualMachine[], tenants: readonly Tenant[]): IsolationReport {
  const zoneMode = new Map(zones.map((z) => [z.metadata.name, z.spec?.isolation ?? 'per-sensitivity']));
  const tenantLevel = new Map(tenants.map((t) => [t.metadata.name, t.spec?.sensitivity ?? 'low']));
  const byHost = new Map<string, VirtualMachine[]>();
  let checkedVms = 0;
  for (const vm of vms) {
    const host = vm.status?.host;
    if (!host || !OCCUPYING.has(vm.status?.phase ?? '')) continue;
    checkedVms++;
    const list = byHost.get(host) ?? [];
    list.push(vm);
    byHost.set(host, list);
  }
  const violations: IsolationViolation[] = [];
  const describe = (vm: VirtualMachine) => ({ name: vm.metadata.name, tenant: vm.spec?.tenant ?? '', sensitivity: vm.spec?.sensitivity ?? 'low' });
  for (const h of hosts) {
    const list = byHost.get(h.metadata.name) ?? [];
    const zone = h.spec?.zone ?? '';
    const mode = zoneMode.get(zone) ?? 'per-sensitivity';
    if (list.length > 1 && mode === 'per-sensitivity') {
      const levels = new Set(list.map((v) => v.spec?.sensitivity ?? 'low'));
      if (levels.size > 1)
        violations.push({ host: h.metadata.name, zone, isolation: mode, reason: `VMs of sensitivity levels ${[...levels].sort().join(', ')} share the host`, vms: list.map(describe) });
    }
    if (list.length > 1 && mode === 'per-tenant') {
      const owners = new Set(list.map((v) => v.spec?.tenant ?? ''));
      if (owners.size > 1)
        violations.push({ host: h.metadata.name, zone, isolation: mode, reason: `VMs of tenants ${[...owners].sort().join(', ')} share the host`, vms: list.map(describe) });
    }
    for (const vm of list) {
      const want = tenantLevel.get(vm.spec?.tenant ?? '');
      const have = vm.spec?.sensitivity ?? 'low';
      if (want && SENSITIVITY_LEVELS.indexOf(have) < SENSITIVITY_LEVELS.indexOf(want))
        violations.push({ host: h.metadata.name, zone, isolation: mode, reason: `VM ${vm.metadata.name} is marked ${have} but its tenant is ${want}`, vms: [describe(vm)] });
    }
  }
  return { violations, checkedHosts: hosts.length, checkedVms };
}
