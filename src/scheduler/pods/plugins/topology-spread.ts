/**
 * Topology spread scores (kube's default PodTopologySpread, soft): prefer nodes whose host, and
 * whose zone, run fewer pods of the same owner (ReplicaSet), so one host or zone failure takes
 * out as few replicas as possible. Raw score = the count; normalized inversely to 0..100 over the
 * sample (fewest = 100).
 */
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodScorePlugin } from '../plugin.js';
import type { PodRequest } from '../request.js';

function normalizeInverse(scores: Float64Array, count: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const s = scores[i] as number;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const span = max - min;
  for (let i = 0; i < count; i++) scores[i] = span === 0 ? 100 : (100 * (max - (scores[i] as number))) / span;
}

export class HostSpread implements PodScorePlugin {
  readonly name = 'HostSpread';

  score(state: PodCycleState, _req: PodRequest, node: NodeInfo): number {
    return state.ownerPerHost.get(node.host) ?? 0;
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeInverse(scores, count);
  }
}

export class ZoneSpread implements PodScorePlugin {
  readonly name = 'ZoneSpread';

  score(state: PodCycleState, _req: PodRequest, node: NodeInfo): number {
    return state.ownerPerZone.get(node.zone) ?? 0;
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeInverse(scores, count);
  }
}
