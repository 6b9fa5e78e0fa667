/**
 * The network capability (NSX-T's role in PKS): per-tenant address blocks, node segments and pod
 * subnets; Kubernetes NetworkPolicy and administrators' policy tiers in one engine, with tenants
 * isolated by construction; ClusterIP and LoadBalancer Services on a load balancer with health
 * monitors; and traceflow. Plugs in controllers (over the shared informers) and routes.
 */
import type { PlatformExtension } from '../platform/extension.js';
import { addNetworkControllers } from './controllers/wiring.js';
import { registerNetworkRoutes } from './routes/register.js';

export const networkExtension: PlatformExtension = {
  name: 'network',
  controllers: (ctx) => void addNetworkControllers(ctx),
  routes: (app, ctx) => registerNetworkRoutes(app, ctx),
};
