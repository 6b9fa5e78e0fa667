/** NodeSelector filter: every `spec.nodeSelector` pair must be a label of the node VM. */
import { SUCCESS, type FilterStatus } from '../../status.js';
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodFilterPlugin } from '../plugin.js';
import { SELECTOR_MISMATCH } from '../reasons.js';
import type { PodRequest } from '../request.js';

export class NodeSelector implements PodFilterPlugin {
  readonly name = 'NodeSelector';

  filter(_state: PodCycleState, req: PodRequest, node: NodeInfo): FilterStatus {
    // Indexed loop: this runs for hundreds of nodes per pod, and most pods have no selector.
    const sel = req.nodeSelector;
    for (let i = 0; i < sel.length; i++) {
      const [k, v] = sel[i] as readonly [string, string];
      if (node.labels[k] !== v) return SELECTOR_MISMATCH;
    }
    return SUCCESS;
  }
}
