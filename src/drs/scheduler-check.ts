/**
 * A `CanPlace` that runs the scheduler's own PreFilter and Filter plugins (host state, zone,
 * features, sensitivity/tenant isolation, capacity under overcommit, NUMA fit) for one VM on one
 * host, so DRS and HA moves obey exactly the rules initial placement does.
 *
 * It keeps a private `ClusterSnapshot` built from the same store objects and mirrors the
 * planner's view: on a new view it re-accounts every VM the view places differently, then replays
 * the view's change journal as it grows. VMs the view does not track (other zones, powered-off)
 * stay where the store says.
 */
import {
  ClusterSnapshot,
  CycleState,
  defaultProfile,
  vmKey,
  type PlacementRequest,
  type Profile,
  type SnapshotInput,
} from '../scheduler/index.js';
import { PLACEMENT_OK, refuse, type CanPlace, type PlacementVerdict, type PlacementView } from './placement-check.js';

export interface SchedulerCheckOptions {
  /** Default `defaultProfile()`; only its PreFilter and Filter plugins are used. */
  readonly profile?: Profile;
}

/**
 * The check over an existing snapshot, mirroring the planner's view into it as the view changes
 * (every move the planner tries is assumed there). `requestOf` compiles a VM's placement request.
 * A VM is always placeable on the host it already occupies.
 */
export function snapshotCanPlace(snapshot: ClusterSnapshot, requestOf: (vm: string) => PlacementRequest | undefined, profile: Profile = defaultProfile()): CanPlace {
  const cycle = new CycleState();
  let mirrored: PlacementView | undefined;
  let applied = 0;

  const place = (vm: string, host: string | undefined): void => {
    const req = requestOf(vm);
    if (req === undefined) return;
    if (host === undefined) snapshot.forget(vm);
    else if (snapshot.placement(vm)?.host !== host) snapshot.assume(req, host);
  };
  const sync = (view: PlacementView): void => {
    if (view !== mirrored) {
      for (const [vm, host] of view.placements()) place(vm, host);
      mirrored = view;
      applied = view.changes.length;
      return;
    }
    const changes = view.changes;
    for (; applied < changes.length; applied++) {
      const c = changes[applied];
      if (c !== undefined) place(c.vm, c.to);
    }
  };

  return (vm, host, view): PlacementVerdict => {
    sync(view);
    const req = requestOf(vm.name);
    if (req === undefined) return refuse('UnknownVm');
    const info = snapshot.host(host.name);
    if (info === undefined) return refuse('UnknownHost');
    if (snapshot.placement(vm.name)?.host === host.name) return PLACEMENT_OK;
    cycle.reset(snapshot.hostCount, 0);
    for (const pf of profile.preFilters) {
      const st = pf.preFilter(cycle, req, snapshot);
      if (st.code !== 'Success') return refuse(st.reason);
    }
    for (const f of profile.filters) {
      const st = f.filter(cycle, req, info);
      if (st.code !== 'Success') return refuse(st.reason);
    }
    return PLACEMENT_OK;
  };
}

/**
 * Builds the callback from the objects the scheduler's snapshot is built from, over a private
 * snapshot. VM names in the planner's state must be `vmKey(vm)` (`namespace/name`); host names
 * are `metadata.name`.
 */
export function schedulerCanPlace(input: SnapshotInput, options: SchedulerCheckOptions = {}): CanPlace {
  const snapshot = ClusterSnapshot.build(input);
  const requests = new Map<string, PlacementRequest>();
  for (const vm of input.vms ?? []) requests.set(vmKey(vm), snapshot.compile(vm));
  return snapshotCanPlace(snapshot, (vm) => requests.get(vm), options.profile ?? defaultProfile());
}
