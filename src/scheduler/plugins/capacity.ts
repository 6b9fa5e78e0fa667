/**
 * Capacity filter (kube's NodeResourcesFit): allocated vCPUs plus the request stay within
 * cores x cpuOvercommitPercent, allocated memory plus the request within memory x
 * memoryOvercommitPercent. A cheap necessary condition checked before the NUMA search.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, FilterPlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import { SUCCESS, unschedulable, type FilterStatus } from '../status.js';

const CPU = unschedulable('InsufficientCPU');
const MEMORY = unschedulable('InsufficientMemory');

export class CapacityFilter implements FilterPlugin {
  readonly name = 'Capacity';

  filter(_state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    if (host.allocatedVcpus + req.cpus > host.cpuCapacity) return CPU;
    if (host.allocatedMemoryMiB + req.memoryMiB > host.memoryCapacity) return MEMORY;
    return SUCCESS;
  }
}
