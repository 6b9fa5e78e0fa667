/** Registry signatures (cosign): verify routes. (Being written.) */
import type { FastifyInstance } from 'fastify';
import type { RegistryContext } from '../http/registry-context.js';

export function registerSigningRoutes(_app: FastifyInstance, _rc: RegistryContext): void {
  // filled in by the feature
}
