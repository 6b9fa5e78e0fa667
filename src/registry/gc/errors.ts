/** Errors of registry maintenance, in the platform's vocabulary (mapped to Status bodies by the server). */
import { BulkheadError } from '../../api/index.js';

export const MAINTENANCE_KINDS = ['GarbageCollection', 'Retention'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

/** A run of the same kind (and project) is in progress: 409, naming it (Status details.name). */
export class MaintenanceRunningError extends BulkheadError {
  constructor(
    readonly kind: MaintenanceKind,
    readonly objectName: string,
    readonly namespace?: string,
  ) {
    super(409, 'Conflict', `${kind === 'GarbageCollection' ? 'garbage collection' : `retention of project "${namespace ?? ''}"`} is already running as ${objectName}; wait for it to finish`, {
      retryable: true,
    });
  }
}
