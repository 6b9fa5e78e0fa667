/**
 * Plans a scenario may name without defining them: the platform's default plans (small, medium,
 * large; src/controllers/clusters/default-plans.ts, not exported through the controllers' door),
 * reduced to what the what-if needs. A scenario's own `plans` override these by name.
 */
import type { NodeSize } from './types.js';

export interface ScenarioPlan {
  readonly name: string;
  readonly controlPlaneNodes: number;
  readonly controlPlane: NodeSize;
  readonly worker: NodeSize;
  readonly maxPodsPerNode: number;
}

/** Kubernetes' default (and the Plan kind's): 110 pods per node. */
export const DEFAULT_MAX_PODS_PER_NODE = 110;

export const BUILTIN_PLANS: readonly ScenarioPlan[] = Object.freeze([
  { name: 'small', controlPlaneNodes: 1, controlPlane: { cpus: 2, memoryMiB: 4096 }, worker: { cpus: 2, memoryMiB: 8192 }, maxPodsPerNode: DEFAULT_MAX_PODS_PER_NODE },
  { name: 'medium', controlPlaneNodes: 3, controlPlane: { cpus: 4, memoryMiB: 8192 }, worker: { cpus: 4, memoryMiB: 16_384 }, maxPodsPerNode: DEFAULT_MAX_PODS_PER_NODE },
  { name: 'large', controlPlaneNodes: 5, controlPlane: { cpus: 8, memoryMiB: 16_384 }, worker: { cpus: 8, memoryMiB: 32_768 }, maxPodsPerNode: DEFAULT_MAX_PODS_PER_NODE },
]);

/** The plan a cluster gets when it names none. */
export const DEFAULT_PLAN = 'small';
