/** Registry replication policies, executions and triggers. (Being written.) */
import type { FastifyInstance } from 'fastify';
import type { RegistryContext } from '../http/registry-context.js';

export function registerReplicationRoutes(_app: FastifyInstance, _rc: RegistryContext): void {
  // filled in by the feature
}
