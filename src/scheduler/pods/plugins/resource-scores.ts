/**
 * Resource scores over allocatable, as kube's NodeResourcesFit: LeastAllocated (mean free fraction
 * of CPU and memory after placing the pod, x100: spreads load) and BalancedAllocation
 * ((1 - |fCpu - fMem| / 2) x100: keeps CPU and memory use even so neither is stranded).
 */
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodScorePlugin } from '../plugin.js';
import type { PodRequest } from '../request.js';

export class PodLeastAllocated implements PodScorePlugin {
  readonly name = 'LeastAllocated';

  score(_state: PodCycleState, req: PodRequest, node: NodeInfo): number {
    const cpu = node.allocCpu > 0 ? (node.allocCpu - node.reqCpu - req.cpuMillis) / node.allocCpu : 0;
    const mem = node.allocMem > 0 ? (node.allocMem - node.reqMem - req.memoryMiB) / node.allocMem : 0;
    return Math.max(0, 50 * (cpu + mem));
  }
}

export class PodBalancedAllocation implements PodScorePlugin {
  readonly name = 'BalancedAllocation';

  score(_state: PodCycleState, req: PodRequest, node: NodeInfo): number {
    const cpu = node.allocCpu > 0 ? Math.min(1, (node.reqCpu + req.cpuMillis) / node.allocCpu) : 1;
    const mem = node.allocMem > 0 ? Math.min(1, (node.reqMem + req.memoryMiB) / node.allocMem) : 1;
    return 100 * (1 - Math.abs(cpu - mem) / 2);
  }
}
