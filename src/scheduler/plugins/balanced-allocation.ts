/**
 * BalancedAllocation score (kube's NodeResourcesBalancedAllocation): (1 - |fCpu - fMem| / 2) x100,
 * where f is the used fraction after placement. Keeps CPU and memory use even on a host so
 * neither is stranded while the other runs out.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, ScorePlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';

export class BalancedAllocation implements ScorePlugin {
  readonly name = 'BalancedAllocation';

  score(_state: CycleState, req: PlacementRequest, host: HostInfo): number {
    const cpu = host.cpuCapacity > 0 ? Math.min(1, (host.allocatedVcpus + req.cpus) / host.cpuCapacity) : 1;
    const mem = host.memoryCapacity > 0 ? Math.min(1, (host.allocatedMemoryMiB + req.memoryMiB) / host.memoryCapacity) : 1;
    return 100 * (1 - Math.abs(cpu - mem) / 2);
  }
}
