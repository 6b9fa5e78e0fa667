/**
 * DRS, the pure layer: cluster-imbalance measurement, rule validation, and a pass that turns a
 * zone's state into migration recommendations (mandatory fixes first, then greedy balancing with
 * pre-copy cost-benefit). A controller builds `DrsState` from the store, calls `planDrsPass`, and
 * in fullyAutomated mode issues the migrations; `applyRecommendations` predicts the result.
 */
export { planDrsPass } from './pass.js';
export { applyRecommendations, automaticRecommendations } from './apply.js';
export {
  balancePriority,
  DEFAULT_THRESHOLD,
  MAX_THRESHOLD,
  MIN_THRESHOLD,
  measureImbalance,
  stddev,
  targetImbalance,
  utilizationWeights,
  type HostLoad,
} from './imbalance.js';
export { DEFAULT_MAX_STUN_MS, DEFAULT_PASS_INTERVAL_MS, DEFAULT_STABLE_HORIZON_MS } from './options.js';
export { slowdown } from './migration-cost.js';
export {
  describeRule,
  enforcementOf,
  isRuleType,
  isRunOn,
  isVmHostMode,
  RULE_ENFORCEMENTS,
  RULE_TYPES,
  VM_HOST_MODES,
  type DrsRule,
  type RuleEnforcement,
  type RuleType,
  type VmAffinityRule,
  type VmAntiAffinityRule,
  type VmHostMode,
  type VmHostRule,
} from './rules.js';
export { assertValidRules, validateRules, type RuleConflict, type RuleValidation } from './rule-validation.js';
export { RuleConflictError } from './errors.js';
export { allowAll, PLACEMENT_OK, refuse, type CanPlace, type HostRef, type PlacementChange, type PlacementVerdict, type PlacementView, type VmRef } from './placement-check.js';
export { PlacementLedger, UNPLACED } from './ledger.js';
export { RuleBook, type CompiledRule, type RuleDelta } from './rule-book.js';
export { reposition } from './sorted.js';
export { schedulerCanPlace, snapshotCanPlace, type SchedulerCheckOptions } from './scheduler-check.js';
export {
  DRS_AUTOMATION_LEVELS,
  DRS_HOST_MODES,
  DRS_STOP_REASONS,
  RECOMMENDATION_KINDS,
  type DrsAutomationLevel,
  type DrsHost,
  type DrsHostMode,
  type DrsOptions,
  type DrsPassResult,
  type DrsState,
  type DrsStopReason,
  type DrsVm,
  type ImbalanceFigures,
  type MigrationCost,
  type Recommendation,
  type RecommendationKind,
  type UnresolvedViolation,
} from './types.js';
