/**
 * DRS vocabulary: the zone state a pass reads (hosts with capacity, VMs with their entitlement),
 * the options a controller sets, and the recommendations a pass returns. Plain data, so the
 * controller can build it from the store and show it as `bulkhead drs recommendations`.
 */
import type { MigrationTimings } from '../infra/index.js';
import type { CanPlace, HostRef, VmRef } from './placement-check.js';
import type { DrsRule } from './rules.js';

/**
 * How DRS treats a host: `active` takes and gives VMs; `cordoned` keeps its VMs, takes none (a
 * dedicated HA failover host, a cordoned host); `maintenance` is being evacuated: its VMs must
 * leave (mandatory moves) and it is left out of the imbalance.
 */
export const DRS_HOST_MODES = ['active', 'cordoned', 'maintenance'] as const;
export type DrsHostMode = (typeof DRS_HOST_MODES)[number];

export interface DrsHost extends HostRef {
  /** CPU capacity available to VMs, MHz. */
  readonly cpuMHz: number;
  /** Memory available to VMs, MiB. */
  readonly memoryMiB: number;
  /** vMotion NIC speed, Mb/s: the migration link and the concurrent-migration limit (4 below 10 GbE, 8 from it). */
  readonly nicMbps: number;
  /** Default `active`. */
  readonly mode?: DrsHostMode;
}

export interface DrsVm extends VmRef {
  /** Host the VM runs on. */
  readonly host: string;
  /** CPU entitlement, MHz: demand bounded by reservation, limit and shares (from the resource-pool layer). */
  readonly cpuMHz: number;
  /** Memory entitlement, MiB. */
  readonly memoryMiB: number;
  /** Configured memory, MiB: what pre-copy must send. Default `memoryMiB`. */
  readonly sizeMiB?: number;
  /** Guest page dirty rate, MB/s. Default: the migration timings' `dirtyRateMBps` (200). */
  readonly dirtyRateMBps?: number;
  /**
   * How steady the VM's demand is, 0..1 (1 = flat): the share of the stable horizon a move's gain is
   * expected to last. Default 1.
   */
  readonly demandStability?: number;
  /** False when DRS automation is disabled for this VM: it is never moved for balancing. Default true. */
  readonly movable?: boolean;
}

/** What a pass reads. */
export interface DrsState {
  readonly hosts: readonly DrsHost[];
  readonly vms: readonly DrsVm[];
}

/** vSphere's DRS automation levels; the pure layer only recommends, the controller applies. */
export const DRS_AUTOMATION_LEVELS = ['manual', 'fullyAutomated'] as const;
export type DrsAutomationLevel = (typeof DRS_AUTOMATION_LEVELS)[number];

export interface DrsOptions {
  /** Migration threshold 1 (conservative: mandatory moves only) .. 5 (aggressive). Default 3. */
  readonly threshold?: number;
  readonly rules?: readonly DrsRule[];
  /** Placement rules the scheduler enforces; default allows everything. */
  readonly canPlace?: CanPlace<DrsVm, DrsHost>;
  /** Weights of CPU and memory imbalance; default each resource's share of the zone's utilization. */
  readonly weights?: { readonly cpu: number; readonly memory: number };
  /** Cap on recommendations per pass, mandatory ones included. Default: only the migration budget limits. */
  readonly maxMovesPerPass?: number;
  /** DRS invocation period, ms: each host's migration budget is slots × this. Default 5 min (§4.1). */
  readonly passIntervalMs?: number;
  /** Period a steady (stability 1) VM's gain is counted over in the cost-benefit. Default 1 h. */
  readonly stableHorizonMs?: number;
  /** Balancing moves whose predicted stun exceeds this are not proposed. Default 1,000 ms (vMotion's switchover goal). */
  readonly maxStunMs?: number;
  /** Pre-copy model parameters. Default `DEFAULT_SIM_TIMINGS.migration`, the simulator's. */
  readonly timings?: MigrationTimings;
  /** Hottest hosts examined together per greedy step. Default 4. */
  readonly sourceWindow?: number;
  /** Coolest hosts examined as destinations per greedy step. Default 8. */
  readonly destinationWindow?: number;
}

/** Why a VM is recommended to move. */
export const RECOMMENDATION_KINDS = ['evacuate', 'mustRule', 'shouldRule', 'balance'] as const;
export type RecommendationKind = (typeof RECOMMENDATION_KINDS)[number];

/** Predicted cost of one migration, from the pre-copy model (`planPrecopy`). */
export interface MigrationCost {
  readonly seconds: number;
  readonly transferredMiB: number;
  readonly stunMs: number;
  readonly rounds: number;
  readonly throttled: boolean;
  /** Link share assumed: the slower NIC divided by the pass's migrations on the busier end (at most its slots). */
  readonly linkMbps: number;
}

export interface Recommendation {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly kind: RecommendationKind;
  /** vSphere priority: 1 mandatory, 2 should-rule fixes, balancing 6 − ceil(imbalance / 0.1 × √hosts) clamped to 2..5. */
  readonly priority: number;
  /** Imbalance before and after this move (for VMs moved `together`: before and after the whole group). */
  readonly imbalanceBefore: number;
  readonly imbalanceAfter: number;
  /** `imbalanceBefore − imbalanceAfter`. */
  readonly gain: number;
  /** Cost-benefit, in host-load·seconds: benefit = hot-host relief × stable period; cost = VM load × migration time × (1 + SDPS slowdown). */
  readonly benefit: number;
  readonly costScore: number;
  readonly cost: MigrationCost;
  /** Other VMs of a must-affinity group moved with this one (apply all or none). */
  readonly together?: readonly string[];
  readonly reason: string;
}

/** A must rule or maintenance evacuation the pass could not satisfy, and why. */
export interface UnresolvedViolation {
  readonly vm: string;
  readonly rule?: string;
  readonly reason: string;
}

export const DRS_STOP_REASONS = ['balanced', 'noBeneficialMove', 'moveLimit', 'mandatoryOnly'] as const;
export type DrsStopReason = (typeof DRS_STOP_REASONS)[number];

/** Imbalance figures: combined, and per resource (population standard deviation of normalized entitlement). */
export interface ImbalanceFigures {
  readonly imbalance: number;
  readonly cpu: number;
  readonly memory: number;
}

export interface DrsPassResult {
  readonly threshold: number;
  /** Target host load standard deviation for this threshold and host count. */
  readonly target: number;
  readonly weights: { readonly cpu: number; readonly memory: number };
  readonly before: ImbalanceFigures;
  readonly after: ImbalanceFigures;
  readonly recommendations: readonly Recommendation[];
  readonly unresolved: readonly UnresolvedViolation[];
  readonly stopReason: DrsStopReason;
  /** Candidate moves whose imbalance gain was evaluated. */
  readonly evaluated: number;
}
