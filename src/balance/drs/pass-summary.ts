/** What the last DRS pass of a zone did, kept in memory for `bulkhead drs recommendations` and /metrics. */
import type { DrsStopReason, ImbalanceFigures, UnresolvedViolation } from '../../drs/index.js';
import type { DrsSettings } from './settings.js';

/** Why a pass ran or did not. */
export const PASS_OUTCOMES = ['ran', 'disabled', 'waiting', 'error'] as const;
export type PassOutcome = (typeof PASS_OUTCOMES)[number];

export interface DrsPassSummary {
  readonly zone: string;
  /** Simulated time of the pass. */
  readonly at: string;
  readonly settings: DrsSettings;
  readonly outcome: PassOutcome;
  /** Why it did not run, or what went wrong. */
  readonly message?: string;
  readonly hosts: number;
  readonly vms: number;
  readonly target?: number;
  readonly before?: ImbalanceFigures;
  /** Predicted imbalance once every recommendation is carried out. */
  readonly after?: ImbalanceFigures;
  readonly stopReason?: DrsStopReason;
  readonly evaluated?: number;
  readonly recommendations: number;
  /** Migrations the pass issued itself (fullyAutomated). */
  readonly migrations: number;
  readonly unresolved: readonly UnresolvedViolation[];
  /** Rules left out of the pass, with why. */
  readonly droppedRules: readonly { readonly rule: string; readonly reason: string }[];
  /** Wall time of the pass (model + planning), ms. */
  readonly wallMs: number;
}
