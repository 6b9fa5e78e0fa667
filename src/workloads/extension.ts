/** Namespaces, deployments, pods and services inside clusters: how this capability plugs into the platform. */
import type { PlatformExtension } from '../platform/extension.js';
import { addWorkloadControllers } from './controllers/wiring.js';
import { registerWorkloadRoutes } from './routes/register.js';

export const workloadsExtension: PlatformExtension = {
  name: 'workloads',
  controllers: (ctx) => void addWorkloadControllers(ctx),
  routes: (app, ctx) => registerWorkloadRoutes(app, ctx),
};
