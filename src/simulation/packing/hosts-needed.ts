/**
 * How many hosts each design needs for a scenario's clusters:
 * - VM design: the real scheduler (isolation, capacity under the zone's overcommit, NUMA fit)
 *   places every node VM, largest first, with a bin-packing score, opening a host of the zone's
 *   hardware only when no open host takes the VM; plus one failover host per zone in use (HA N+1).
 * - Bare-metal design: one host per node, plus one spare per zone in use (to reprovision onto).
 */
import { expandTopology, type HostInventory } from '../../infra/index.js';
import { ClusterSnapshot, Scheduler } from '../../scheduler/index.js';
import { clusterNodeSpecs, type NodeSpec } from '../engine/cluster-nodes.js';
import { hostObject, tenantObject, zoneObject } from '../engine/objects.js';
import { SimulationError } from '../errors.js';
import type { Scenario, ScenarioZone } from '../scenario/types.js';
import { packingProfile } from './most-allocated.js';
import { API_VERSION, type VirtualMachine } from '../../api/index.js';
import { CLUSTER_LABEL } from '../../scheduler/pods/index.js';

export interface HostsNeeded {
  /** Hosts running workload, per zone. */
  readonly perZone: Readonly<Record<string, number>>;
  readonly workload: number;
  /** Failover (VM) or spare (bare metal) hosts: one per zone in use. */
  readonly spare: number;
  readonly total: number;
  /** Bare metal: hosts that only run a control plane. */
  readonly controlPlane: number;
}

/** A host of a zone's hardware, named `<prefix><index>`. */
export function templateHost(zone: ScenarioZone, prefix: string, index: number): HostInventory {
  const group = { ...zone.hardware, count: 1, namePrefix: prefix, startIndex: index, indexWidth: 4 };
  return expandTopology({ zones: [{ name: zone.name, hostGroups: [group] }] }).hosts[0] as HostInventory;
}

function nodeVm(n: NodeSpec): VirtualMachine {
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: { name: n.name, namespace: n.tenant, labels: { [CLUSTER_LABEL]: n.cluster.name } },
    spec: { tenant: n.tenant, cpus: n.cpus, memoryMiB: n.memoryMiB, sensitivity: n.sensitivity, zone: n.zone },
  };
}

function summarize(perZone: Map<string, number>, controlPlane: number): HostsNeeded {
  const workload = [...perZone.values()].reduce((a, b) => a + b, 0);
  const spare = [...perZone.values()].filter((n) => n > 0).length;
  return { perZone: Object.fromEntries(perZone), workload, spare, total: workload + spare, controlPlane };
}

export function vmHostsNeeded(s: Scenario): HostsNeeded {
  const snapshot = new ClusterSnapshot(s.seed);
  for (const z of s.zones) snapshot.upsertZone(zoneObject(z));
  for (const t of s.tenants) snapshot.upsertTenant(tenantObject(t));
  const scheduler = new Scheduler(snapshot, { seed: s.seed, profile: packingProfile(), now: () => 0 });
  const perZone = new Map<string, number>(s.zones.map((z) => [z.name, 0]));
  const specs = clusterNodeSpecs(s).sort((a, b) => b.cpus - a.cpus || b.memoryMiB - a.memoryMiB || (a.name < b.name ? -1 : 1));
  for (const n of specs) {
    const vm = nodeVm(n);
    if (scheduler.place(vm).ok) continue;
    const zone = s.zones.find((z) => z.name === n.zone) as ScenarioZone;
    const opened = (perZone.get(zone.name) ?? 0) + 1;
    perZone.set(zone.name, opened);
    snapshot.upsertHost(hostObject(templateHost(zone, `need-${zone.name}-`, opened), 'Ready'));
    const r = scheduler.place(vm);
    if (!r.ok) throw new SimulationError(`node ${n.name} (${n.cpus} vCPUs, ${n.memoryMiB} MiB) does not fit an empty host of zone ${zone.name}: ${r.explanation.message}`);
  }
  return summarize(perZone, 0);
}

export function bareMetalHostsNeeded(s: Scenario): HostsNeeded {
  const perZone = new Map<string, number>(s.zones.map((z) => [z.name, 0]));
  let controlPlane = 0;
  for (const n of clusterNodeSpecs(s)) {
    perZone.set(n.zone, (perZone.get(n.zone) ?? 0) + 1);
    if (n.role === 'control-plane') controlPlane++;
  }
  return summarize(perZone, controlPlane);
}
