/** Kinds of the cluster capability (plans, clusters, events), added to the kind registry. */
import type { KindDef } from '../registry.js';

export const CLUSTER_KINDS: readonly KindDef[] = [];
