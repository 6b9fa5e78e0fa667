/**
 * ZoneAllowed: a VM goes to its pinned zone, else to one of its tenant's zones, else anywhere.
 * PreFilter resolves the set once per decision (and rejects a pin outside the tenant's zones
 * before any host is read); Filter is then one set lookup per host.
 */
import type { HostInfo } from '../host-info.js';
import type { CycleState, FilterPlugin, PreFilterPlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { SUCCESS, unresolvable, type FilterStatus } from '../status.js';

const NOT_ALLOWED = unresolvable('ZoneNotAllowed');

export class ZoneAllowed implements PreFilterPlugin, FilterPlugin {
  readonly name = 'ZoneAllowed';

  preFilter(state: CycleState, req: PlacementRequest, snapshot: ClusterSnapshot): FilterStatus {
    const tenantZones = snapshot.tenant(req.tenant)?.zones;
    if (req.zone !== undefined) {
      if (tenantZones !== undefined && !tenantZones.has(req.zone)) return NOT_ALLOWED;
      state.allowedZones = new Set([req.zone]);
    } else {
      state.allowedZones = tenantZones;
    }
    return SUCCESS;
  }

  filter(state: CycleState, _req: PlacementRequest, host: HostInfo): FilterStatus {
    const allowed = state.allowedZones;
    return allowed === undefined || allowed.has(host.zone.name) ? SUCCESS : NOT_ALLOWED;
  }
}
