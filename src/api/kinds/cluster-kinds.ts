/** Kinds of the cluster capability (plans, clusters, events), added to the kind registry. */
import { API_VERSION, type Resource } from '../meta.js';
import type { KindDef } from '../registry.js';
import { ClusterSpecSchema } from './cluster.js';
import { EventSpecSchema } from './event.js';
import { PlanSpecSchema, defaultPlanSpec, type PlanSpec } from './plan.js';

const tenantField = (obj: Resource): string | undefined => {
  const v = (obj.spec as { tenant?: unknown } | undefined)?.tenant;
  return typeof v === 'string' ? v : undefined;
};

export const CLUSTER_KINDS: readonly KindDef[] = [
  {
    kind: 'Plan',
    apiVersion: API_VERSION,
    plural: 'plans',
    singular: 'plan',
    shortNames: [],
    scope: 'platform',
    specSchema: PlanSpecSchema,
    specRequired: true,
    defaultSpec: ((s: PlanSpec) => defaultPlanSpec(s)) as (spec: never) => unknown,
    tenantOf: () => undefined,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'CONTROL-PLANE', path: 'spec.controlPlaneNodes' },
      { header: 'WORKERS', path: 'spec.defaultWorkers' },
      { header: 'MAX-WORKERS', path: 'spec.maxWorkers' },
      { header: 'VERSIONS', path: 'spec.kubernetesVersions' },
      { header: 'DESCRIPTION', path: 'spec.description' },
      { header: 'WORKER-CPUS', path: 'spec.workerVm.cpus', wide: true },
      { header: 'WORKER-MEMORY-MIB', path: 'spec.workerVm.memoryMiB', wide: true },
    ],
    userCreatable: true,
    sharedRead: true,
  },
  {
    kind: 'Cluster',
    apiVersion: API_VERSION,
    plural: 'clusters',
    singular: 'cluster',
    shortNames: ['cl'],
    scope: 'platform',
    specSchema: ClusterSpecSchema,
    specRequired: true,
    tenantOf: tenantField,
    columns: [
      { header: 'NAME', path: 'metadata.name' },
      { header: 'TENANT', path: 'spec.tenant' },
      { header: 'PLAN', path: 'spec.plan' },
      { header: 'WORKERS', path: 'spec.workers' },
      { header: 'VERSION', path: 'status.kubernetesVersion' },
      { header: 'LAST-ACTION', path: 'status.lastAction.type' },
      { header: 'STATE', path: 'status.lastAction.state' },
      { header: 'READY', path: 'status.workersReady', wide: true },
      { header: 'DESCRIPTION', path: 'status.lastAction.description', wide: true },
    ],
    userCreatable: true,
  },
  {
    kind: 'Event',
    apiVersion: API_VERSION,
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    scope: 'platform',
    specSchema: EventSpecSchema,
    specRequired: true,
    tenantOf: tenantField,
    columns: [
      { header: 'LAST-SEEN', path: 'spec.lastTimestamp' },
      { header: 'TYPE', path: 'spec.type' },
      { header: 'REASON', path: 'spec.reason' },
      { header: 'OBJECT', path: 'spec.involvedObject.name' },
      { header: 'COUNT', path: 'spec.count' },
      { header: 'MESSAGE', path: 'spec.message' },
    ],
    userCreatable: false,
  },
];
