/**
 * NodeEligible filter: the node belongs to the pod's cluster (the isolation invariant, checked
 * again here although candidates come from that cluster only), belongs to the cluster's tenant, is a worker, is Ready (VM
 * Running) and is not cordoned or draining.
 */
import { SUCCESS, type FilterStatus } from '../../status.js';
import type { NodeInfo } from '../node-info.js';
import type { PodCycleState, PodFilterPlugin } from '../plugin.js';
import { CONTROL_PLANE, CORDONED, NOT_READY, OTHER_CLUSTER, OTHER_TENANT } from '../reasons.js';
import type { PodRequest } from '../request.js';

export class NodeEligible implements PodFilterPlugin {
  readonly name = 'NodeEligible';

  filter(_state: PodCycleState, req: PodRequest, node: NodeInfo): FilterStatus {
    if (node.cluster !== req.cluster) return OTHER_CLUSTER;
    if (node.clusterTenant !== undefined && node.tenant !== node.clusterTenant) return OTHER_TENANT;
    if (node.role !== 'worker') return CONTROL_PLANE;
    if (!node.ready) return NOT_READY;
    if (node.unschedulable) return CORDONED;
    return SUCCESS;
  }
}
