/**
 * VmMigration: one live migration (vMotion) of a VM to another host, requested by a user
 * (`bulkhead vm migrate`), by maintenance mode or by DRS, and carried out by the migration
 * controller through the driver with the pre-copy model's duration on the simulated clock.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Condition, Resource } from '../meta.js';

export const MIGRATION_REASONS = ['User', 'Maintenance', 'DRS', 'RuleViolation'] as const;

export const VmMigrationSpecSchema = Type.Object(
  {
    vm: Type.String({ minLength: 1 }),
    /** Destination host; absent: the scheduler picks one (maintenance mode). */
    toHost: Type.Optional(Type.String({ minLength: 1 })),
    reason: Type.Optional(Type.Union(MIGRATION_REASONS.map((r) => Type.Literal(r)))),
  },
  { additionalProperties: false },
);
export type VmMigrationSpec = Static<typeof VmMigrationSpecSchema>;

export const MIGRATION_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;
export type MigrationPhase = (typeof MIGRATION_PHASES)[number];

export interface VmMigrationStatus {
  readonly phase?: MigrationPhase;
  readonly fromHost?: string;
  readonly toHost?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Pre-copy rounds, total time and stun time as modeled (ms on the simulated clock). */
  readonly rounds?: number;
  readonly totalMs?: number;
  readonly stunMs?: number;
  readonly transferredMiB?: number;
  readonly message?: string;
  readonly conditions?: readonly Condition[];
}

export type VmMigration = Resource<VmMigrationSpec, VmMigrationStatus>;
