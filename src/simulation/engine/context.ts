/**
 * What every part of one design's run shares: the scenario, the virtual clock and agenda, the
 * simulated datacenter, the world state, and the trackers that become the report.
 */
import type { VirtualClock } from '../../clock/index.js';
import type { Random } from '../../clock/index.js';
import type { SimDriver } from '../../infra/index.js';
import type { RecoveryTracker } from '../metrics/recovery.js';
import type { Scenario } from '../scenario/types.js';
import type { Agenda } from './agenda.js';
import type { DesignKind, Machine, NodeState } from './world.js';

/** Running totals the report reads. */
export interface Counters {
  migrations: number;
  failedMigrations: number;
  migrationSeconds: number;
  migratedMiB: number;
  drsPasses: number;
  drsRecommendations: number;
  churnCreated: number;
  churnDeleted: number;
  haRestarts: number;
  haAbandoned: number;
  reprovisions: number;
  reservationsRefused: number;
}

export function newCounters(): Counters {
  return {
    migrations: 0,
    failedMigrations: 0,
    migrationSeconds: 0,
    migratedMiB: 0,
    drsPasses: 0,
    drsRecommendations: 0,
    churnCreated: 0,
    churnDeleted: 0,
    haRestarts: 0,
    haAbandoned: 0,
    reprovisions: 0,
    reservationsRefused: 0,
  };
}

export interface EngineContext {
  readonly scenario: Scenario;
  readonly design: DesignKind;
  readonly clock: VirtualClock;
  readonly agenda: Agenda;
  readonly driver: SimDriver;
  /**
   * Root of the run's seeded randomness (the scenario's seed, the same for both designs, so random
   * failures and churn arrive at the same times in each); parts fork their own stream by label.
   */
  readonly random: Random;
  readonly machines: Map<string, Machine>;
  readonly nodes: Map<string, NodeState>;
  readonly recovery: RecoveryTracker;
  readonly counters: Counters;
  /** Things the report should say (a failure that named a host this design lacks, a VM that fits nowhere). */
  note(message: string): void;
  /** Milliseconds since the scenario started. */
  elapsed(): number;
  /** True once the run is over: callbacks of operations the shutdown cancelled do nothing. */
  finished(): boolean;
}
