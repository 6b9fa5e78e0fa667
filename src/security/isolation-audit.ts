/**
 * The isolation audit: checks, from the store's objects, the invariant the platform promises:
 * VMs that the zone's isolation mode says may not share a host do not, and every VM carries at
 * least its tenant's sensitivity; and, one level down, every pod runs on a node VM of its own
 * cluster and of that cluster's tenant. The result lists each violation with the VMs involved.
 */
import { SENSITIVITY_LEVELS, type Host, type Pod, type Resource, type Tenant, type VirtualMachine, type Zone } from '../api/index.js';

export interface IsolationViolation {
  readonly host: string;
  readonly zone: string;
  readonly isolation: string;
  readonly reason: string;
  readonly vms: readonly { readonly name: string; readonly tenant: string; readonly sensitivity: string }[];
  /** For a pod violation, the pod (`<cluster>/<namespace>/<name>`). */
  readonly pods?: readonly string[];
}

export interface IsolationReport {
  readonly violations: IsolationViolation[];
  readonly checkedHosts: number;
  readonly checkedVms: number;
  /** Present when pods were audited. */
  readonly checkedPods?: number;
}

/** The workload side of the audit: pods, and the clusters whose tenant they belong to. */
export interface WorkloadObjects {
  readonly pods: readonly Pod[];
  readonly clusters: readonly Resource<{ readonly tenant?: string }>[];
}

/** VM phases that occupy a host. */
const OCCUPYING = new Set(['Provisioning', 'Running', 'Stopped', 'Lost', 'Deleting']);

export function auditIsolation(
  zones: readonly Zone[],
  hosts: readonly Host[],
  vms: readonly VirtualMachine[],
  tenants: readonly Tenant[],
  workloads?: WorkloadObjects,
): IsolationReport {
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
  if (!workloads) return { violations, checkedHosts: hosts.length, checkedVms };
  const hostZone = new Map(hosts.map((h) => [h.metadata.name, h.spec?.zone ?? '']));
  const checkedPods = auditPods(workloads, vms, (vm) => hostZone.get(vm.status?.host ?? '') ?? vm.status?.zone ?? '', describe, violations);
  return { violations, checkedHosts: hosts.length, checkedVms, checkedPods };
}

const CLUSTER_LABEL = 'bulkhead.dev/cluster';

// A pod may run only on a node VM labelled with its own cluster and owned by its cluster's tenant.
function auditPods(
  w: WorkloadObjects,
  vms: readonly VirtualMachine[],
  zoneOf: (vm: VirtualMachine) => string,
  describe: (vm: VirtualMachine) => IsolationViolation['vms'][number],
  out: IsolationViolation[],
): number {
  const vmByName = new Map(vms.map((v) => [v.metadata.name, v]));
  const clusterTenant = new Map(w.clusters.map((c) => [c.metadata.name, c.spec?.tenant]));
  let checked = 0;
  for (const pod of w.pods) {
    const nodeName = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (!nodeName || phase === 'Succeeded' || phase === 'Failed') continue;
    checked++;
    const vm = vmByName.get(nodeName);
    if (!vm) continue; // the node is gone; the pod is being replaced
    const ns = pod.metadata.namespace ?? '';
    const cluster = ns.split('/')[0] ?? '';
    const id = `${ns}/${pod.metadata.name}`;
    const vmCluster = vm.metadata.labels?.[CLUSTER_LABEL];
    const tenant = clusterTenant.get(cluster);
    let reason: string | undefined;
    if (vmCluster === undefined) reason = `pod ${id} runs on VM ${vm.metadata.name}, which is not a node of any cluster`;
    else if (vmCluster !== cluster) reason = `pod ${id} of cluster ${cluster} runs on VM ${vm.metadata.name} of cluster ${vmCluster}`;
    else if (tenant !== undefined && vm.spec?.tenant !== tenant) reason = `pod ${id} of tenant ${tenant} runs on VM ${vm.metadata.name} of tenant ${vm.spec?.tenant ?? ''}`;
    if (reason) out.push({ host: vm.status?.host ?? '', zone: zoneOf(vm), isolation: 'pods', reason, vms: [describe(vm)], pods: [id] });
  }
  return checked;
}
