/** Tenants, plans and clusters of a scenario: names, references and sizes checked, defaults applied. */
import { CLUSTER_NAME_MAX, nameCauses } from '../../api/index.js';
import type { Causes } from './causes.js';
import type { CompiledTopology } from './compile-topology.js';
import { BUILTIN_PLANS, DEFAULT_PLAN, DEFAULT_MAX_PODS_PER_NODE, type ScenarioPlan } from './plans.js';
import type { ScenarioFileSpec } from './schema.js';
import type { NodeSize, ScenarioCluster, ScenarioTenant } from './types.js';

export function compileTenants(spec: ScenarioFileSpec, topo: CompiledTopology | undefined, causes: Causes): ScenarioTenant[] {
  const seen = new Set<string>();
  return spec.tenants.map((t, i) => {
    const p = `spec.tenants[${i}]`;
    causes.addAll(nameCauses(t.name, `${p}.name`));
    causes.unique(seen, t.name, `${p}.name`, 'tenant');
    t.zones?.forEach((z, j) => {
      if (topo && !topo.zones.some((x) => x.name === z)) causes.add(`${p}.zones[${j}]`, `unknown zone "${z}"`);
    });
    return { name: t.name, sensitivity: t.sensitivity, zones: t.zones };
  });
}

function compilePlans(spec: ScenarioFileSpec, causes: Causes): Map<string, ScenarioPlan> {
  const plans = new Map(BUILTIN_PLANS.map((p) => [p.name, p]));
  const seen = new Set<string>();
  spec.plans?.forEach((p, i) => {
    causes.unique(seen, p.name, `spec.plans[${i}].name`, 'plan');
    plans.set(p.name, {
      name: p.name,
      controlPlaneNodes: p.controlPlane.nodes,
      controlPlane: { cpus: p.controlPlane.cpus, memoryMiB: p.controlPlane.memoryMiB },
      worker: p.worker,
      maxPodsPerNode: p.maxPodsPerNode ?? DEFAULT_MAX_PODS_PER_NODE,
    });
  });
  return plans;
}

function checkFits(size: NodeSize, zones: readonly string[], topo: CompiledTopology, field: string, causes: Causes): void {
  const fits = zones.some((z) => {
    const l = topo.largest.get(z);
    return l !== undefined && size.cpus <= l.cores && size.memoryMiB <= l.memoryMiB;
  });
  if (!fits) causes.add(field, `a ${size.cpus}-vCPU ${size.memoryMiB} MiB node fits no host of zones ${zones.join(', ')}`);
}

export function compileClusters(spec: ScenarioFileSpec, tenants: readonly ScenarioTenant[], topo: CompiledTopology | undefined, causes: Causes): ScenarioCluster[] {
  const plans = compilePlans(spec, causes);
  const seen = new Set<string>();
  const allZones = topo?.zones.map((z) => z.name) ?? [];
  const out: ScenarioCluster[] = [];
  spec.clusters.forEach((c, i) => {
    const p = `spec.clusters[${i}]`;
    causes.addAll(nameCauses(c.name, `${p}.name`));
    if (c.name.length > CLUSTER_NAME_MAX) causes.add(`${p}.name`, `must be at most ${CLUSTER_NAME_MAX} characters`);
    causes.unique(seen, c.name, `${p}.name`, 'cluster');
    const tenant = tenants.find((t) => t.name === c.tenant);
    if (!tenant) causes.add(`${p}.tenant`, `unknown tenant "${c.tenant}"`);
    const planName = c.plan ?? DEFAULT_PLAN;
    const plan = plans.get(planName);
    if (!plan) causes.add(`${p}.plan`, `unknown plan "${planName}" (known: ${[...plans.keys()].join(', ')})`);
    c.zones?.forEach((z, j) => {
      if (topo && !allZones.includes(z)) causes.add(`${p}.zones[${j}]`, `unknown zone "${z}"`);
      else if (tenant?.zones && !tenant.zones.includes(z)) causes.add(`${p}.zones[${j}]`, `tenant "${tenant.name}" may not use zone "${z}"`);
    });
    const zones = c.zones ?? tenant?.zones ?? allZones;
    if (!tenant || !plan || !topo) return;
    checkFits(plan.worker, zones, topo, `${p}.plan`, causes);
    if (plan.controlPlaneNodes > 0) checkFits(plan.controlPlane, zones, topo, `${p}.plan`, causes);
    out.push({
      name: c.name,
      tenant: c.tenant,
      plan: plan.name,
      controlPlaneNodes: plan.controlPlaneNodes,
      controlPlane: plan.controlPlane,
      workers: c.workers,
      worker: plan.worker,
      maxPodsPerNode: plan.maxPodsPerNode,
      zones,
      cpuReservationPercent: c.cpuReservationPercent ?? 0,
      restartPriority: c.restartPriority ?? 'medium',
    });
  });
  return out;
}
