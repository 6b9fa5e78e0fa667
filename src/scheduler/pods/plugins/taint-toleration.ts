/** TaintToleration filter: the pod tolerates every NoSchedule/NoExecute taint of the node. */
import { SUCCESS, type FilterStatus } from '../../status.js';
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodFilterPlugin } from '../plugin.js';
import { untoleratedTaint } from '../reasons.js';
import type { PodRequest } from '../request.js';
import { untolerated } from '../taints.js';

export class TaintToleration implements PodFilterPlugin {
  readonly name = 'TaintToleration';

  filter(_state: PodCycleState, req: PodRequest, node: NodeInfo): FilterStatus {
    if (node.taints.length === 0) return SUCCESS;
    const t = untolerated(node.taints, req.tolerations);
    return t ? untoleratedTaint(t.key, t.value) : SUCCESS;
  }
}
