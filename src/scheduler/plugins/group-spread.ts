/**
 * GroupSpread score (vSphere's VM-VM anti-affinity as a preference, kube's PodTopologySpread at
 * host level): a VM of a spread group (the nodes of one cluster) prefers hosts holding fewer VMs
 * of its group, so one host failure takes down as few of them as possible. VMs without a group
 * score the same everywhere.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, ScorePlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';

export class GroupSpread implements ScorePlugin {
  readonly name = 'GroupSpread';

  score(_state: CycleState, req: PlacementRequest, host: HostInfo): number {
    if (req.group === undefined) return 100;
    return 100 / (1 + (host.groupCounts.get(req.group) ?? 0));
  }
}
