/**
 * The pod scheduler's extension points, the same shape as the VM scheduler's (plugin.ts one level
 * up): Filter per candidate node (first non-Success wins, counted by reason), Score per feasible
 * node of the sample, optional NormalizeScore over the sample. Statuses are the shared
 * FilterStatus values of ../status.ts.
 */
import type { FilterStatus } from '../status.js';
import type { NodeInfo } from './node-info.js';
import type { PodRequest } from './request.js';

/** Per-decision scratch shared by plugins, reused across decisions. */
export class PodCycleState {
  /** Pods of the request's owner per host and per zone (for spreading); empty maps when none. */
  ownerPerHost: ReadonlyMap<string, number> = new Map();
  ownerPerZone: ReadonlyMap<string, number> = new Map();
  feasible = new Int32Array(0);
  scores: Float64Array[] = [];
  totals = new Float64Array(0);

  reset(nodes: number, plugins: number): void {
    if (this.feasible.length < nodes) {
      const cap = Math.max(nodes, this.feasible.length * 2, 16);
      this.feasible = new Int32Array(cap);
      this.totals = new Float64Array(cap);
      this.scores = [];
    }
    while (this.scores.length < plugins) this.scores.push(new Float64Array(this.feasible.length));
  }
}

export interface PodFilterPlugin {
  readonly name: string;
  /** Must not allocate on success: return the shared SUCCESS. */
  filter(state: PodCycleState, req: PodRequest, node: NodeInfo): FilterStatus;
}

export interface PodScorePlugin {
  readonly name: string;
  score(state: PodCycleState, req: PodRequest, node: NodeInfo): number;
  normalize?(scores: Float64Array, count: number): void;
}

export interface PodProfile {
  readonly name: string;
  readonly filters: readonly PodFilterPlugin[];
  readonly scores: readonly { readonly plugin: PodScorePlugin; readonly weight: number }[];
}
