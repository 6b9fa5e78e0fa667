/** Registry garbage collection, retention and upload expiry. (Being written.) */
import type { FastifyInstance } from 'fastify';
import type { RegistryContext } from '../http/registry-context.js';

export function registerMaintenanceRoutes(_app: FastifyInstance, _rc: RegistryContext): void {
  // filled in by the feature
}
