/**
 * Admission for the cluster capability: a Cluster's plan, version and worker count are checked
 * against its Plan, its tenant must exist and stay within its quotas (clusters, vCPUs, memory,
 * with the numbers in the message), upgrades wait for the action in progress, and a Plan in use
 * cannot be deleted.
 */
import {
  CLUSTER_NAME_MAX,
  ConflictError,
  DEFAULT_STEMCELL,
  ForbiddenError,
  ValidationError,
  defaultPlanSpec,
  type Cluster,
  type Plan,
  type PlanSpec,
  type Tenant,
  type VirtualMachine,
} from '../api/index.js';
import type { ServerContext } from './context.js';

const CLUSTER_FINALIZER = 'bulkhead.dev/cluster-cleanup';

/** vCPUs and memory a cluster of this plan and worker count uses. */
export function clusterFootprint(plan: PlanSpec, workers: number): { vcpus: number; memoryMiB: number } {
  return {
    vcpus: plan.controlPlaneNodes * plan.controlPlaneVm.cpus + workers * plan.workerVm.cpus,
    memoryMiB: plan.controlPlaneNodes * plan.controlPlaneVm.memoryMiB + workers * plan.workerVm.memoryMiB,
  };
}

async function checkQuota(ctx: Pick<ServerContext, 'store'>, tenant: Tenant, c: Cluster, plan: PlanSpec, isNew: boolean): Promise<void> {
  const q = tenant.spec?.quotas;
  if (!q) return;
  const t = tenant.metadata.name;
  const others = (await ctx.store.list<Cluster>('Cluster')).items.filter((x) => x.spec?.tenant === t && x.metadata.name !== c.metadata.name);
  if (isNew && q.clusters !== undefined && others.length >= q.clusters)
    throw new ForbiddenError(`tenant ${t}: cluster quota ${q.clusters} reached (${others.length} clusters)`);
  let vcpus = 0;
  let memoryMiB = 0;
  for (const o of others) {
    const p = await ctx.store.tryGet<Plan>('Plan', '', o.spec?.plan ?? '');
    if (!p?.spec || !o.spec) continue;
    const f = clusterFootprint(defaultPlanSpec(p.spec), o.spec.workers ?? p.spec.defaultWorkers);
    vcpus += f.vcpus;
    memoryMiB += f.memoryMiB;
  }
  // Standalone VMs of the tenant count too (cluster nodes are counted through their clusters).
  const vms = await ctx.store.list<VirtualMachine>('VirtualMachine', { labelSelector: `bulkhead.dev/tenant=${t},!bulkhead.dev/cluster` });
  for (const vm of vms.items) {
    vcpus += vm.spec?.cpus ?? 0;
    memoryMiB += vm.spec?.memoryMiB ?? 0;
  }
  const mine = clusterFootprint(plan, c.spec?.workers ?? plan.defaultWorkers);
  const what = `tenant ${t}: cluster "${c.metadata.name}"`;
  if (q.vcpus !== undefined && vcpus + mine.vcpus > q.vcpus)
    throw new ForbiddenError(`${what} would use ${vcpus + mine.vcpus} vCPUs of a ${q.vcpus} vCPU quota (${mine.vcpus} for this cluster, ${vcpus} in use)`);
  if (q.memoryMiB !== undefined && memoryMiB + mine.memoryMiB > q.memoryMiB)
    throw new ForbiddenError(`${what} would use ${memoryMiB + mine.memoryMiB} MiB of memory of a ${q.memoryMiB} MiB quota (${mine.memoryMiB} MiB for this cluster, ${memoryMiB} MiB in use)`);
}

/** Checks and defaults a Cluster on create and update. */
export async function admitCluster(ctx: Pick<ServerContext, 'store'>, c: Cluster, old: Cluster | undefined): Promise<Cluster> {
  const spec = c.spec;
  if (!spec) return c;
  const name = c.metadata.name;
  const ctxt = { kind: 'Cluster', name };
  if (!old && name.length > CLUSTER_NAME_MAX) throw ValidationError.field('metadata.name', `must be at most ${CLUSTER_NAME_MAX} characters (node VM names are derived from it)`, ctxt);
  if (old?.spec) {
    const causes = (['tenant', 'plan'] as const).filter((f) => old.spec![f] !== spec[f]).map((f) => ({ field: `spec.${f}`, message: 'field is immutable' }));
    if (causes.length) throw new ValidationError(causes, ctxt);
  }
  const tenant = await ctx.store.tryGet<Tenant>('Tenant', '', spec.tenant);
  if (!tenant?.spec) throw ValidationError.field('spec.tenant', `tenant "${spec.tenant}" does not exist`, ctxt);
  const planObj = await ctx.store.tryGet<Plan>('Plan', '', spec.plan);
  if (!planObj?.spec) throw ValidationError.field('spec.plan', `plan "${spec.plan}" does not exist`, ctxt);
  const plan = defaultPlanSpec(planObj.spec);
  const allowed = tenant.spec.zones;
  if (!old && plan.zones?.length && allowed && !plan.zones.some((z) => allowed.includes(z)))
    throw ValidationError.field('spec.plan', `plan "${spec.plan}" places nodes in zones ${plan.zones.join(', ')}, none of which tenant "${spec.tenant}" may use (${allowed.join(', ')})`, ctxt);
  const version = spec.kubernetesVersion ?? old?.spec?.kubernetesVersion ?? plan.kubernetesVersions[0];
  if (version === undefined || !plan.kubernetesVersions.includes(version))
    throw ValidationError.field('spec.kubernetesVersion', `version "${version}" is not offered by plan "${spec.plan}" (${plan.kubernetesVersions.join(', ')})`, ctxt);
  const workers = spec.workers ?? old?.spec?.workers ?? plan.defaultWorkers;
  if (workers < 1 || workers > plan.maxWorkers) throw ValidationError.field('spec.workers', `must be between 1 and ${plan.maxWorkers} (the maximum of plan "${spec.plan}"), got ${workers}`, ctxt);
  const stemcell = spec.stemcell ?? old?.spec?.stemcell ?? DEFAULT_STEMCELL;
  const next: Cluster = {
    ...c,
    metadata: {
      ...c.metadata,
      labels: { ...c.metadata.labels, 'bulkhead.dev/tenant': spec.tenant },
      finalizers: [...new Set([...(c.metadata.finalizers ?? []), ...(old ? [] : [CLUSTER_FINALIZER])])],
    },
    spec: { ...spec, workers, kubernetesVersion: version, stemcell },
  };
  if (old?.spec) {
    const a = old.status?.lastAction;
    const upgrade = old.spec.kubernetesVersion !== version || (old.spec.stemcell ?? DEFAULT_STEMCELL) !== stemcell;
    const resize = (old.spec.workers ?? plan.defaultWorkers) !== workers;
    if (a?.state === 'in progress' && (upgrade || (resize && a.type === 'upgrade')) && !old.metadata.deletionTimestamp)
      throw new ConflictError(`cluster "${name}": cannot ${upgrade ? 'upgrade' : 'resize'} while the ${a.type} action is in progress (${a.description})`);
    if (old.metadata.deletionTimestamp && (upgrade || resize)) throw new ConflictError(`cluster "${name}" is being deleted`);
    if (!resize && !upgrade) return next;
  }
  await checkQuota(ctx, tenant, next, plan, !old);
  return next;
}

/** A plan that clusters use cannot be deleted; a tenant with clusters cannot be deleted. */
export async function admitClusterDelete(ctx: ServerContext, kind: string, name: string): Promise<void> {
  if (kind !== 'Plan' && kind !== 'Tenant') return;
  const field = kind === 'Plan' ? 'plan' : 'tenant';
  const users = (await ctx.store.list<Cluster>('Cluster')).items.filter((c) => c.spec?.[field] === name);
  if (users.length) throw new ConflictError(`${kind.toLowerCase()} "${name}" is used by ${users.length} cluster(s): ${users.map((c) => c.metadata.name).join(', ')}`);
}
