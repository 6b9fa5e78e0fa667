/** Features filter: the host has every feature the VM needs (`sev-es` for encrypted memory, requiredFeatures). */
import type { HostInfo } from '../host-info.js';
import type { CycleState, FilterPlugin } from '../plugin.js';
import type { PlacementRequest } from '../request.js';
import { missingFeature, SUCCESS, type FilterStatus } from '../status.js';

/** Rejects a host lacking a feature with `MissingFeature:<feature>` (the first one missing). */
export class FeaturesFilter implements FilterPlugin {
  readonly name = 'Features';

  filter(_state: CycleState, req: PlacementRequest, host: HostInfo): FilterStatus {
    const need = req.features;
    for (let i = 0; i < need.length; i++) {
      const f = need[i] as string;
      if (!host.features.has(f)) return missingFeature(f);
    }
    return SUCCESS;
  }
}
