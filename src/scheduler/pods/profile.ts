/**
 * The default pod profile, wired in one place. Filters run cheapest and most decisive first;
 * the first failure is the reason recorded for the node.
 */
import type { PodProfile } from './plugin.js';
import { MaxPods } from './plugins/max-pods.js';
import { NodeEligible } from './plugins/node-eligible.js';
import { NodeResourcesFit } from './plugins/node-resources-fit.js';
import { NodeSelector } from './plugins/node-selector.js';
import { PodBalancedAllocation, PodLeastAllocated } from './plugins/resource-scores.js';
import { TaintToleration } from './plugins/taint-toleration.js';
import { HostSpread, ZoneSpread } from './plugins/topology-spread.js';

export function defaultPodProfile(): PodProfile {
  return {
    name: 'default-pods',
    filters: [
      // Cluster, role, readiness, cordon: a node failing these is out whatever the pod asks.
      new NodeEligible(),
      // What the pod asks of the node's labels and taints: unresolvable by waiting.
      new NodeSelector(),
      new TaintToleration(),
      // Capacity: may free up when other pods leave.
      new MaxPods(),
      new NodeResourcesFit(),
    ],
    scores: [
      // Spread replicas over hosts first (a host crash takes every VM on it), then zones.
      { plugin: new HostSpread(), weight: 2 },
      { plugin: new ZoneSpread(), weight: 1 },
      // Then even, balanced use of allocatable.
      { plugin: new PodLeastAllocated(), weight: 1 },
      { plugin: new PodBalancedAllocation(), weight: 1 },
    ],
  };
}
