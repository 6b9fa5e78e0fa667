/**
 * Noisy-neighbour accounting over a whole run. A workload with a bursty demand profile is a
 * "burster" while `inBurst` says so; every other workload's pods are victims. At each sample a
 * victim pod's CPU shortfall (demand it did not get) is added, per victim workload, to buckets by
 * how the pod was exposed:
 *
 *   quiet        nothing anywhere was bursting (the workload's own baseline)
 *   container    a bursting pod of another workload shares its node (Linux CFS only)
 *   vm           a bursting pod shares its host but not its node (the hypervisor in between)
 *   crossTenant  another tenant's workload was bursting anywhere and the pod shared no node with
 *                a burster: "tenant A's CPU loss while tenant B bursts"
 *
 * A bucket's impact is the shortfall beyond each victim workload's own quiet-time shortfall (so a
 * diurnal peak the workload causes itself is not blamed on a neighbour), as a share of the
 * bucket's demand, in percent.
 */
import { inBurst } from '../../resources/index.js';
import type { WorkloadState } from '../engine/world.js';
import type { PodFigures } from './contention.js';

const BUCKETS = ['quiet', 'container', 'vm', 'crossTenant'] as const;
type Bucket = (typeof BUCKETS)[number];

/** Shortfall share of demand in one bucket (before the baseline), and the pod-samples behind it. */
export interface NoisyBucket {
  readonly lossPercent: number | undefined;
  readonly podSamples: number;
}

export interface NoisyFigures {
  readonly burstSamples: number;
  /** Impacts beyond the victims' own quiet-time loss, percent; undefined when never exposed. */
  readonly containerBoundaryPercent: number | undefined;
  readonly vmBoundaryPercent: number | undefined;
  readonly crossTenantPercent: number | undefined;
  readonly buckets: Readonly<Record<Bucket, NoisyBucket>>;
}

export function isBursting(w: WorkloadState, atMs: number): boolean {
  return w.spec.demand.kind === 'bursty' && w.loadPercent > 0 && inBurst(w.spec.demand, atMs);
}

interface Sums {
  short: number;
  demand: number;
  count: number;
}

const zero = (): Sums => ({ short: 0, demand: 0, count: 0 });

export class NoisyAccumulator {
  /** Per victim workload, per bucket. */
  private readonly sums = new Map<WorkloadState, Record<Bucket, Sums>>();
  private burstSamples = 0;

  /** Adds one sample's pods; returns the workloads that were bursting. */
  add(pods: readonly PodFigures[], workloads: Iterable<WorkloadState>, atMs: number): string[] {
    const bursting = new Set<WorkloadState>();
    for (const w of workloads) if (isBursting(w, atMs)) bursting.add(w);
    if (bursting.size > 0) this.burstSamples++;
    // Where bursting pods run: per node the bursting workloads, per host the nodes with one.
    const nodeBursters = new Map<string, Set<WorkloadState>>();
    const hostBurstNodes = new Map<string, Set<string>>();
    const burstTenants = new Set<string>();
    for (const b of bursting) burstTenants.add(b.spec.tenant);
    for (const f of pods) {
      const w = f.pod.workload;
      const node = f.pod.node;
      const host = node?.machine.host;
      if (!bursting.has(w) || !node || host === undefined) continue;
      let set = nodeBursters.get(node.name);
      if (!set) nodeBursters.set(node.name, (set = new Set()));
      set.add(w);
      let nodes = hostBurstNodes.get(host);
      if (!nodes) hostBurstNodes.set(host, (nodes = new Set()));
      nodes.add(node.name);
    }
    for (const f of pods) {
      const w = f.pod.workload;
      const node = f.pod.node;
      const host = node?.machine.host;
      if (w.spec.demand.kind === 'bursty' || f.demandMillis <= 0 || !node || host === undefined) continue;
      const shortfall = Math.max(0, f.demandMillis - f.gotMillis);
      if (bursting.size === 0) {
        this.put(w, 'quiet', shortfall, f.demandMillis);
        continue;
      }
      const onNode = nodeBursters.get(node.name);
      if (onNode !== undefined && [...onNode].some((b) => b !== w)) {
        this.put(w, 'container', shortfall, f.demandMillis);
        continue;
      }
      const nodesHere = hostBurstNodes.get(host);
      if (nodesHere !== undefined && [...nodesHere].some((n) => n !== node.name)) this.put(w, 'vm', shortfall, f.demandMillis);
      if ([...burstTenants].some((t) => t !== w.spec.tenant)) this.put(w, 'crossTenant', shortfall, f.demandMillis);
    }
    return [...bursting].map((w) => w.spec.key);
  }

  private put(w: WorkloadState, b: Bucket, shortfall: number, demand: number): void {
    let rec = this.sums.get(w);
    if (!rec) this.sums.set(w, (rec = { quiet: zero(), container: zero(), vm: zero(), crossTenant: zero() }));
    rec[b].short += shortfall;
    rec[b].demand += demand;
    rec[b].count++;
  }

  private bucket(b: Bucket): NoisyBucket {
    let short = 0;
    let demand = 0;
    let count = 0;
    for (const rec of this.sums.values()) {
      short += rec[b].short;
      demand += rec[b].demand;
      count += rec[b].count;
    }
    return { lossPercent: demand > 0 ? (short / demand) * 100 : undefined, podSamples: count };
  }

  /** Shortfall beyond each victim workload's quiet-time loss rate, over the bucket's demand. */
  private impact(b: Bucket): number | undefined {
    let excess = 0;
    let demand = 0;
    for (const rec of this.sums.values()) {
      const s = rec[b];
      if (s.demand <= 0) continue;
      const quiet = rec.quiet.demand > 0 ? rec.quiet.short / rec.quiet.demand : 0;
      excess += Math.max(0, s.short - quiet * s.demand);
      demand += s.demand;
    }
    return demand > 0 ? (excess / demand) * 100 : undefined;
  }

  figures(): NoisyFigures {
    return {
      burstSamples: this.burstSamples,
      containerBoundaryPercent: this.impact('container'),
      vmBoundaryPercent: this.impact('vm'),
      crossTenantPercent: this.impact('crossTenant'),
      buckets: Object.fromEntries(BUCKETS.map((b) => [b, this.bucket(b)])) as Record<Bucket, NoisyBucket>,
    };
  }
}
