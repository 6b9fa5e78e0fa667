/**
 * The API objects the pure layers take (Host, Zone, Tenant, VirtualMachine, Pod), built from the
 * what-if's state. The schedulers are fed exactly what the platform's controllers would feed them,
 * so a placement here is a placement there.
 */
import { API_VERSION, type Host, type HostState, type Pod, type Tenant, type VirtualMachine, type Zone } from '../../api/index.js';
import type { HostInventory } from '../../infra/index.js';
import { CLUSTER_LABEL, ROLE_LABEL } from '../../scheduler/pods/index.js';
import type { ScenarioTenant, ScenarioWorkload, ScenarioZone } from '../scenario/types.js';
import type { Machine } from './world.js';

export function hostObject(h: HostInventory, state: HostState): Host {
  return {
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name: h.name },
    spec: {
      zone: h.zone,
      sockets: h.sockets,
      cores: h.cores,
      memoryMiB: h.memoryMiB,
      numaNodes: h.numaNodes.map((n) => ({ id: n.id, socket: n.socket, cores: n.cores, memoryMiB: n.memoryMiB })),
      nicMbps: h.nicMbps,
      features: [...h.features],
    },
    status: { state },
  };
}

export function zoneObject(z: ScenarioZone): Zone {
  return {
    apiVersion: API_VERSION,
    kind: 'Zone',
    metadata: { name: z.name },
    spec: { isolation: z.isolation, cpuOvercommitPercent: z.cpuOvercommitPercent, memoryOvercommitPercent: z.memoryOvercommitPercent },
  };
}

export function tenantObject(t: ScenarioTenant): Tenant {
  return { apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: t.name }, spec: { sensitivity: t.sensitivity, ...(t.zones ? { zones: [...t.zones] } : {}) } };
}

/**
 * A machine as a VirtualMachine: what the VM scheduler places (namespace = tenant, so its key is
 * the machine key) and what the pod scheduler reads as a node (labels, phase, host, zone).
 */
export function vmObject(m: Machine, zone: string | undefined, zonePin?: string): VirtualMachine {
  const node = m.node;
  return {
    apiVersion: API_VERSION,
    kind: 'VirtualMachine',
    metadata: {
      name: m.name,
      namespace: m.tenant,
      ...(node ? { labels: { [CLUSTER_LABEL]: node.cluster.name, [ROLE_LABEL]: node.role } } : {}),
    },
    spec: {
      tenant: m.tenant,
      cpus: m.cpus,
      memoryMiB: m.memoryMiB,
      sensitivity: m.sensitivity,
      ...(zonePin === undefined ? {} : { zone: zonePin }),
      restartPriority: m.restartPriority,
    },
    status: {
      phase: m.running && (node?.ready ?? true) ? 'Running' : 'Lost',
      ...(m.host === undefined ? {} : { host: m.host }),
      ...(zone === undefined ? {} : { zone }),
    },
  };
}

/** Milli-CPU and MiB as Kubernetes quantities. */
const cpu = (m: number): string => `${m}m`;
const mem = (mi: number): string => `${mi}Mi`;

/** One replica of a workload; its namespace puts it in its cluster (`<cluster>/default`). */
export function podObject(w: ScenarioWorkload, name: string): Pod {
  const limits = {
    ...(w.limitMillis === undefined ? {} : { cpu: cpu(w.limitMillis) }),
    ...(w.limitMiB === undefined ? {} : { memory: mem(w.limitMiB) }),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: `${w.cluster}/default`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: w.name, uid: w.key, controller: true }],
    },
    spec: {
      containers: [
        {
          name: w.name,
          image: `sim/${w.name}:1`,
          resources: { requests: { cpu: cpu(w.requestMillis), memory: mem(w.requestMiB) }, ...(Object.keys(limits).length > 0 ? { limits } : {}) },
        },
      ],
    },
  };
}
