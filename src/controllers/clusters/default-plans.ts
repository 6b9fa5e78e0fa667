/**
 * The plans every installation starts with (PKS ships Plan 1-3 on the tile): small, medium and
 * large, differing in control-plane count (1, 3, 5), node sizes and worker limits. Created on
 * first start only; an administrator may change or delete them afterwards.
 */
import { API_VERSION, defaultPlanSpec, type Plan, type PlanSpec } from '../../api/index.js';
import type { Store } from '../../store/index.js';

const VERSIONS = ['1.30', '1.31', '1.29'];

const SPECS: Readonly<Record<string, PlanSpec>> = {
  small: {
    description: 'Development: 1 control-plane node, small workers',
    controlPlaneNodes: 1,
    controlPlaneVm: { cpus: 2, memoryMiB: 4096 },
    workerVm: { cpus: 2, memoryMiB: 8192 },
    persistentDiskMiB: 10_240,
    defaultWorkers: 3,
    maxWorkers: 10,
    kubernetesVersions: VERSIONS,
  },
  medium: {
    description: 'Production: 3 control-plane nodes (HA etcd), medium workers',
    controlPlaneNodes: 3,
    controlPlaneVm: { cpus: 4, memoryMiB: 8192 },
    workerVm: { cpus: 4, memoryMiB: 16_384 },
    persistentDiskMiB: 51_200,
    defaultWorkers: 3,
    maxWorkers: 50,
    kubernetesVersions: VERSIONS,
    update: { canaries: 1, maxInFlight: 2 },
  },
  large: {
    description: 'Large production: 5 control-plane nodes, large workers',
    controlPlaneNodes: 5,
    controlPlaneVm: { cpus: 8, memoryMiB: 16_384 },
    workerVm: { cpus: 8, memoryMiB: 32_768 },
    persistentDiskMiB: 102_400,
    defaultWorkers: 5,
    maxWorkers: 200,
    kubernetesVersions: VERSIONS,
    update: { canaries: 1, maxInFlight: '20%' },
  },
};

export function defaultPlans(): Plan[] {
  return Object.entries(SPECS).map(([name, spec]) => ({ apiVersion: API_VERSION, kind: 'Plan', metadata: { name }, spec: defaultPlanSpec(spec) }));
}

/** Creates the default plans that do not exist; idempotent. */
export async function bootstrapPlans(store: Store): Promise<void> {
  const { items } = await store.list('Plan');
  if (items.length > 0) return; // first start only: an administrator's deletions stick
  for (const p of defaultPlans()) await store.create(p);
}
