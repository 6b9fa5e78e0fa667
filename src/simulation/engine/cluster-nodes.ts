/**
 * The nodes every cluster of a scenario has, in a fixed order (control plane, then workers), with
 * their size, zone and HA priority: one list that the VM design, the bare-metal design and the
 * hosts-needed packing all start from, so they compare the same clusters.
 */
import type { RestartPriority, Sensitivity } from '../../api/index.js';
import { CONTROL_PLANE_CPU_FRACTION, CONTROL_PLANE_MEMORY_FRACTION } from '../assumptions.js';
import type { Scenario, ScenarioCluster } from '../scenario/types.js';
import type { FixedDemand, NodeRole } from './world.js';

export interface NodeSpec {
  readonly name: string;
  readonly cluster: ScenarioCluster;
  readonly role: NodeRole;
  readonly tenant: string;
  readonly sensitivity: Sensitivity;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** Nodes are pinned round-robin over the cluster's zones (control plane and workers each from the first zone). */
  readonly zone: string;
  readonly cpuReservationPercent: number;
  readonly restartPriority: RestartPriority;
  readonly fixedDemand: FixedDemand | undefined;
}

const CONTROL_PLANE_DEMAND: FixedDemand = Object.freeze({ cpuFraction: CONTROL_PLANE_CPU_FRACTION, memoryFraction: CONTROL_PLANE_MEMORY_FRACTION });

/** One step up vSphere's restart-priority ladder: the control plane comes back before workers. */
function higher(p: RestartPriority): RestartPriority {
  const ladder: readonly RestartPriority[] = ['highest', 'high', 'medium', 'low', 'lowest'];
  const i = ladder.indexOf(p);
  return i <= 0 ? p : (ladder[i - 1] as RestartPriority);
}

export function clusterNodeSpecs(s: Scenario): NodeSpec[] {
  const out: NodeSpec[] = [];
  for (const c of s.clusters) {
    const sensitivity = s.tenants.find((t) => t.name === c.tenant)?.sensitivity ?? 'high';
    const base = { cluster: c, tenant: c.tenant, sensitivity, cpuReservationPercent: c.cpuReservationPercent };
    const zoneAt = (i: number): string => c.zones[i % c.zones.length] as string;
    for (let i = 0; i < c.controlPlaneNodes; i++) {
      out.push({ ...base, name: `${c.name}-cp-${i}`, role: 'control-plane', ...c.controlPlane, zone: zoneAt(i), restartPriority: higher(c.restartPriority), fixedDemand: CONTROL_PLANE_DEMAND });
    }
    for (let i = 0; i < c.workers; i++) {
      out.push({ ...base, name: `${c.name}-w-${i}`, role: 'worker', ...c.worker, zone: zoneAt(i), restartPriority: c.restartPriority, fixedDemand: undefined });
    }
  }
  return out;
}
