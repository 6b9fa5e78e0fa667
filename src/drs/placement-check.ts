/**
 * The placement-rule seam DRS and HA share: before proposing that a VM run on a host, they ask a
 * `CanPlace` callback, so neither can break a rule the scheduler enforces (sensitivity and tenant
 * isolation, capacity under overcommit, NUMA fit, features). The callback sees a `PlacementView`
 * of the planner's working state, including the moves it has already committed in this plan.
 */

/** A VM as the callback sees it: its name (the scheduler's `vmKey`) and free-form labels. */
export interface VmRef {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A host as the callback sees it. */
export interface HostRef {
  readonly name: string;
}

/** The callback's answer; a refusal carries a named reason (e.g. the scheduler's `SensitivityIsolation`). */
export type PlacementVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** One change a planner made to its working state: a VM moved, placed (`from` undefined) or unplaced. */
export interface PlacementChange {
  readonly vm: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/**
 * A planner's working state, read-only. `changes` lists every change since the view was created,
 * in order (rolled-back attempts appear as a change and its reverse), so a stateful checker can
 * mirror the view by replaying the tail it has not seen.
 */
export interface PlacementView {
  /** The VM's host in the working state, or undefined when it is not placed. */
  hostOf(vm: string): string | undefined;
  /** Names of the VMs on a host in the working state. */
  vmsOn(host: string): readonly string[];
  /** Every VM the view tracks with its host, in a stable order. */
  placements(): Iterable<readonly [vm: string, host: string | undefined]>;
  readonly changes: readonly PlacementChange[];
}

/**
 * May `vm` run on `host` given the working state (the VM is still accounted where the view says
 * it is)? Must be deterministic for a given view.
 */
export type CanPlace<V extends VmRef = VmRef, H extends HostRef = HostRef> = (vm: V, host: H, view: PlacementView) => PlacementVerdict;

/** The verdict every callback returns on success, shared so the hot path allocates nothing. */
export const PLACEMENT_OK: PlacementVerdict = Object.freeze({ ok: true });

/** A callback that allows everything: for zones whose only rules are the planner's own. */
export const allowAll: CanPlace = () => PLACEMENT_OK;

/** A refusal with a reason. */
export function refuse(reason: string): PlacementVerdict {
  return Object.freeze({ ok: false, reason });
}
