/** The network runtime a route works with; 503 while the network's controllers are not running. */
import { UnavailableError } from '../../api/index.js';
import type { RouteContext } from '../../platform/extension.js';
import { runtimeOf, type NetworkRuntime } from '../controllers/runtime.js';

export function requireRuntime(ctx: RouteContext): NetworkRuntime {
  const rt = runtimeOf(ctx.store);
  if (!rt) throw new UnavailableError('the network controllers are not running on this server');
  return rt;
}
