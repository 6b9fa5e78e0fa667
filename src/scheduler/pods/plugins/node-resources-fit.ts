/** NodeResourcesFit filter: the pod's summed requests fit what the node's pods leave of allocatable. */
import { SUCCESS, type FilterStatus } from '../../status.js';
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodFilterPlugin } from '../plugin.js';
import { INSUFFICIENT_CPU, INSUFFICIENT_MEMORY } from '../reasons.js';
import type { PodRequest } from '../request.js';

export class NodeResourcesFit implements PodFilterPlugin {
  readonly name = 'NodeResourcesFit';

  filter(_state: PodCycleState, req: PodRequest, node: NodeInfo): FilterStatus {
    if (req.memoryMiB > 0 && node.reqMem + req.memoryMiB > node.allocMem) return INSUFFICIENT_MEMORY;
    if (req.cpuMillis > 0 && node.reqCpu + req.cpuMillis > node.allocCpu) return INSUFFICIENT_CPU;
    return SUCCESS;
  }
}
