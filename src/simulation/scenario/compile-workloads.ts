/**
 * Workloads of a scenario: Kubernetes quantities into milli-CPU and MiB, the demand profile
 * through the resources layer's own parser (constant at the requests when absent), and a check
 * that one pod fits a worker's allocatable, so a scenario never waits on pods that can never run.
 */
import { parseCpuMillis, parseMemoryMiB } from '../../api/index.js';
import { parseDemandProfile, type DemandProfile } from '../../resources/index.js';
import { allocatable } from '../../scheduler/pods/index.js';
import type { Causes } from './causes.js';
import type { ScenarioFileSpec } from './schema.js';
import type { ScenarioCluster, ScenarioWorkload } from './types.js';

function quantity(kind: 'cpu' | 'memory', value: string | number | undefined, field: string, causes: Causes): number | undefined {
  if (value === undefined) return undefined;
  const r = kind === 'cpu' ? parseCpuMillis(value) : parseMemoryMiB(value);
  if (!r.ok) {
    causes.add(field, r.message);
    return undefined;
  }
  return r.value;
}

export function compileWorkloads(spec: ScenarioFileSpec, clusters: readonly ScenarioCluster[], causes: Causes): ScenarioWorkload[] {
  const seen = new Set<string>();
  const out: ScenarioWorkload[] = [];
  (spec.workloads ?? []).forEach((w, i) => {
    const p = `spec.workloads[${i}]`;
    const key = `${w.cluster}/${w.name}`;
    causes.unique(seen, key, `${p}.name`, 'workload');
    const cluster = clusters.find((c) => c.name === w.cluster);
    if (!cluster && !spec.clusters.some((c) => c.name === w.cluster)) causes.add(`${p}.cluster`, `unknown cluster "${w.cluster}"`);
    const before = causes.count;
    const requestMillis = quantity('cpu', w.requests.cpu, `${p}.requests.cpu`, causes) ?? 0;
    const requestMiB = quantity('memory', w.requests.memory, `${p}.requests.memory`, causes) ?? 0;
    const limitMillis = quantity('cpu', w.limits?.cpu, `${p}.limits.cpu`, causes);
    const limitMiB = quantity('memory', w.limits?.memory, `${p}.limits.memory`, causes);
    if (limitMillis !== undefined && limitMillis < requestMillis) causes.add(`${p}.limits.cpu`, `must be at least the request (${requestMillis}m), got ${limitMillis}m`);
    if (limitMiB !== undefined && limitMiB < requestMiB) causes.add(`${p}.limits.memory`, `must be at least the request (${requestMiB} MiB), got ${limitMiB} MiB`);
    let demand: DemandProfile = { kind: 'constant', cpuMillis: requestMillis, memoryMiB: requestMiB };
    if (w.demand !== undefined) {
      const r = parseDemandProfile(w.demand, `${p}.demand`);
      if (r.ok) demand = r.profile;
      else causes.addAll(r.causes);
    }
    if (cluster && causes.count === before) {
      const alloc = allocatable(cluster.worker.cpus, cluster.worker.memoryMiB);
      if (requestMillis > alloc.cpuMillis || requestMiB > alloc.memoryMiB)
        causes.add(`${p}.requests`, `a pod (${requestMillis}m, ${requestMiB} MiB) does not fit a worker of cluster "${cluster.name}" (allocatable ${alloc.cpuMillis}m, ${alloc.memoryMiB} MiB)`);
    }
    if (!cluster) return;
    out.push({ key, name: w.name, cluster: w.cluster, tenant: cluster.tenant, replicas: w.replicas, requestMillis, requestMiB, limitMillis, limitMiB, demand });
  });
  return out;
}
