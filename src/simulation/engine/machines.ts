/** Builders of machines: a cluster node's (VM or whole host) and a standalone churn VM's. */
import type { Sensitivity } from '../../api/index.js';
import type { NodeSpec } from './cluster-nodes.js';
import type { Machine, NodeState } from './world.js';

/** What a builder sets; the rest of a Machine starts unplaced and idle. */
type MachineInit = Pick<Machine, 'key' | 'name' | 'tenant' | 'sensitivity' | 'cpus' | 'memoryMiB' | 'cpuReservationPercent' | 'restartPriority' | 'node' | 'fixedDemand'>;

function machine(init: MachineInit): Machine {
  return { ...init, host: undefined, running: false, vmId: undefined, migrating: false, cpuEntitlementMHz: 0, memoryEntitlementMiB: 0, gone: false };
}

/**
 * A cluster node and the machine carrying it. `size` is the node's VM size in the VM design and
 * the whole host in the bare-metal design; `key` is the scheduler's VM key or the node name.
 */
export function nodeMachine(spec: NodeSpec, key: string, size: { readonly cpus: number; readonly memoryMiB: number }): Machine {
  const node: NodeState = { name: spec.name, cluster: spec.cluster, role: spec.role, machine: undefined as unknown as Machine, ready: false, pods: new Set(), lossEpoch: 0 };
  const m = machine({
    key,
    name: spec.name,
    tenant: spec.tenant,
    sensitivity: spec.sensitivity,
    cpus: size.cpus,
    memoryMiB: size.memoryMiB,
    cpuReservationPercent: spec.cpuReservationPercent,
    restartPriority: spec.restartPriority,
    node,
    // Control-plane demand is a fraction of the node's VM size in both designs (same absolute demand).
    fixedDemand: spec.fixedDemand === undefined ? undefined : { cpuFraction: (spec.fixedDemand.cpuFraction * spec.cpus) / size.cpus, memoryFraction: (spec.fixedDemand.memoryFraction * spec.memoryMiB) / size.memoryMiB },
  });
  node.machine = m;
  return m;
}

/** A standalone VM (churn): no node, a fixed share of its vCPUs busy. */
export function churnMachine(o: { key: string; name: string; tenant: string; sensitivity: Sensitivity; cpus: number; memoryMiB: number; cpuFraction: number }): Machine {
  return machine({
    key: o.key,
    name: o.name,
    tenant: o.tenant,
    sensitivity: o.sensitivity,
    cpus: o.cpus,
    memoryMiB: o.memoryMiB,
    cpuReservationPercent: 0,
    restartPriority: 'low',
    node: undefined,
    fixedDemand: { cpuFraction: o.cpuFraction, memoryFraction: 0.5 },
  });
}
