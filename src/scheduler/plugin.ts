/**
 * The scheduling framework's extension points, after kube-scheduler: PreFilter runs once per
 * decision, Filter once per candidate host (first non-Success verdict wins and is recorded by
 * reason), Score once per feasible host in the sample, then NormalizeScore once per plugin over
 * the whole sample before weights are applied. A plugin may implement several points.
 */
import type { HostInfo } from './host-info.js';
import type { NumaPolicy } from './numa.js';
import type { PlacementRequest } from './request.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { FilterStatus } from './status.js';

export interface Plugin {
  readonly name: string;
}

/** Runs once per decision before any host is read; may reject the VM outright. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, req: PlacementRequest, snapshot: ClusterSnapshot): FilterStatus;
}

/** Judges one host. Must not allocate on success: return the shared `SUCCESS`. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus;
}

/** Scores one feasible host, higher is better, nominally 0..100. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, req: PlacementRequest, host: HostInfo): number;
  /** Rescales the first `count` scores in place (kube's NormalizeScore). */
  normalize?(scores: Float64Array, count: number): void;
}

export interface WeightedScorePlugin {
  readonly plugin: ScorePlugin;
  readonly weight: number;
}

/** An ordered set of plugins: what `defaultProfile()` builds. */
export interface Profile {
  readonly name: string;
  readonly preFilters: readonly PreFilterPlugin[];
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly WeightedScorePlugin[];
}

/**
 * Per-decision scratch shared by plugins (kube's CycleState), reused across decisions so the hot
 * path allocates nothing per host. Slot-indexed arrays follow `HostInfo.slot`.
 */
export class CycleState {
  /** Zones the VM may use (from its pin or its tenant); undefined means any. Set by PreFilter. */
  allowedZones: ReadonlySet<string> | undefined = undefined;
  /** NUMA node bitmask chosen per host slot by the NUMA filter; read it through `numaFor`. */
  numaMask = new Int32Array(0);
  /** Decision number that wrote each `numaMask` entry, so stale entries read as "none". */
  numaStamp = new Int32Array(0);
  private epoch = 0;
  /** The NUMA policy of the profile's NUMA plugin, for whoever needs the node choice later. */
  numaPolicy: NumaPolicy = 'pack';
  /** Feasible host slots found this decision. */
  feasible = new Int32Array(0);
  /** One score row per score plugin, indexed like `feasible`. */
  scores: Float64Array[] = [];
  totals = new Float64Array(0);

  /** Sizes the arrays for `hosts` hosts and `plugins` score plugins and clears per-decision fields. */
  reset(hosts: number, plugins: number): void {
    if (this.numaMask.length < hosts) {
      const cap = Math.max(hosts, this.numaMask.length * 2, 16);
      this.numaMask = new Int32Array(cap);
      this.numaStamp = new Int32Array(cap);
      this.feasible = new Int32Array(cap);
      this.totals = new Float64Array(cap);
      this.scores = [];
    }
    while (this.scores.length < plugins) this.scores.push(new Float64Array(this.numaMask.length));
    this.allowedZones = undefined;
    this.epoch = (this.epoch + 1) | 0 || 1;
  }

  /** Records the NUMA nodes chosen on a host for this decision. */
  setNuma(slot: number, mask: number): void {
    this.numaMask[slot] = mask;
    this.numaStamp[slot] = this.epoch;
  }

  /** The NUMA nodes recorded on a host this decision, or 0 if none were. */
  numaFor(slot: number): number {
    return this.numaStamp[slot] === this.epoch ? (this.numaMask[slot] ?? 0) : 0;
  }
}
