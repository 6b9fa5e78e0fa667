/** Command groups of the cluster capability, listed by commands/index.ts. */
import type { GroupSpec } from '../spec.js';

export const CLUSTER_GROUPS: readonly GroupSpec[] = [];
