/**
 * The availability capability (vSphere HA, vMotion, maintenance mode): how it plugs into the
 * platform. Controllers: controllers.ts; routes: http/routes.ts; admission rules (called by the
 * API server's admission step): admission/index.ts.
 */
import type { PlatformExtension } from '../platform/extension.js';
import { addAvailabilityControllers } from './controllers.js';
import { registerAvailabilityRoutes } from './http/routes.js';

export const availabilityExtension: PlatformExtension = {
  name: 'availability',
  controllers: (ctx) => void addAvailabilityControllers(ctx),
  routes: (app, ctx) => registerAvailabilityRoutes(app, ctx),
};
