/** Command groups of the cluster capability, listed by commands/index.ts. */
import type { GroupSpec } from '../spec.js';
import { clusterCreateCommand, clusterDeleteCommand, clusterListCommand, clusterResizeCommand, clusterUpgradeCommand } from './cluster.js';
import { clusterShowCommand } from './cluster-show.js';
import { planListCommand } from './plan.js';

export const CLUSTER_GROUPS: readonly GroupSpec[] = [
  { name: 'plan', description: 'Cluster plans', commands: [planListCommand] },
  {
    name: 'cluster',
    description: 'Kubernetes-style clusters on VMs',
    commands: [clusterCreateCommand, clusterListCommand, clusterShowCommand, clusterResizeCommand, clusterUpgradeCommand, clusterDeleteCommand],
  },
];
