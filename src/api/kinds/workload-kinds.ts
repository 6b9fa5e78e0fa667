/**
 * Kinds served inside a cluster under Kubernetes-compatible paths (`/clusters/{cluster}/api/v1`,
 * `/clusters/{cluster}/apis/apps/v1`). Kept apart from the platform registry: their routes,
 * apiVersions and namespacing are Kubernetes'.
 */
import type { KindDef } from '../registry.js';

export const WORKLOAD_KINDS: readonly KindDef[] = [];
