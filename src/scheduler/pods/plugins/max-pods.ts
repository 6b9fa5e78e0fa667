/** MaxPods filter: a node holds at most its cluster plan's maxPodsPerNode pods (default 110). */
import { SUCCESS, type FilterStatus } from '../../status.js';
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodFilterPlugin } from '../plugin.js';
import { TOO_MANY_PODS } from '../reasons.js';
import type { PodRequest } from '../request.js';

export class MaxPods implements PodFilterPlugin {
  readonly name = 'MaxPods';

  filter(_state: PodCycleState, _req: PodRequest, node: NodeInfo): FilterStatus {
    return node.pods + 1 > node.maxPods ? TOO_MANY_PODS : SUCCESS;
  }
}
