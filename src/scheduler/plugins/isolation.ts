/**
 * Isolation filter: the zone's isolation mode decides who may share a host. `shared` allows
 * anything; `per-sensitivity` keeps one sensitivity level per host; `per-tenant` one tenant per
 * host. O(1) per host: the snapshot keeps per-host counters by level and by tenant.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, FilterPlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import { SUCCESS, unschedulable, type FilterStatus } from '../status.js';

const SENSITIVITY = unschedulable('SensitivityIsolation');
const TENANT = unschedulable('TenantIsolation');

export class IsolationFilter implements FilterPlugin {
  readonly name = 'Isolation';

  filter(_state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    if (host.vmCount === 0) return SUCCESS;
    switch (host.zone.isolation) {
      case 'shared':
        return SUCCESS;
      case 'per-sensitivity':
        return host.sensitivityCounts[req.sensitivityIdx] === host.vmCount ? SUCCESS : SENSITIVITY;
      case 'per-tenant':
        return host.tenantCounts.get(req.tenant) === host.vmCount ? SUCCESS : TENANT;
    }
  }
}
