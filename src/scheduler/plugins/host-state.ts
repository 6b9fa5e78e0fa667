/** HostState filter: only Ready hosts that are not cordoned take new VMs. */
import type { HostInfo } from '../host-info.js';
import type { CycleState, FilterPlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import { SUCCESS, unresolvable, type FilterStatus } from '../status.js';

const NOT_READY = unresolvable('HostNotReady');
const CORDONED = unresolvable('HostCordoned');

/** Rejects hosts that are not `Ready` (NotReady, Failed, Maintenance, unknown) or are cordoned. */
export class HostStateFilter implements FilterPlugin {
  readonly name = 'HostState';

  filter(_state: CycleState, _req: PlacementRequest, host: HostInfo): FilterStatus {
    if (host.state !== 'Ready') return NOT_READY;
    if (host.unschedulable) return CORDONED;
    return SUCCESS;
  }
}
