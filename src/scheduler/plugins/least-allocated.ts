/**
 * LeastAllocated score (kube's NodeResourcesFit LeastAllocated): the mean free fraction of CPU and
 * memory capacity left after placing the VM, x100. Spreads load across hosts.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, ScorePlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';

export class LeastAllocated implements ScorePlugin {
  readonly name = 'LeastAllocated';

  score(_state: CycleState, req: PlacementRequest, host: HostInfo): number {
    const cpu = host.cpuCapacity > 0 ? (host.cpuCapacity - host.allocatedVcpus - req.cpus) / host.cpuCapacity : 0;
    const mem =
      host.memoryCapacity > 0 ? (host.memoryCapacity - host.allocatedMemoryMiB - req.memoryMiB) / host.memoryCapacity : 0;
    return Math.max(0, 50 * (cpu + mem));
  }
}
