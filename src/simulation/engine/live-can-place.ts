/**
 * A `CanPlace` for DRS and HA that runs the scheduler's own PreFilter and Filter plugins against
 * the run's LIVE snapshot: the logic of `drs/schedulerCanPlace`, which builds a private snapshot
 * from objects on every call; rebuilding one per DRS pass at 1,000 hosts would cost more than the
 * pass. The planner's working view is mirrored into the live snapshot as it changes (every move it
 * tries is assumed there), so after a pass the snapshot already holds the planned placements;
 * the caller then applies the plan explicitly (idempotent) and reverts a move that fails.
 */
import { PLACEMENT_OK, refuse, type CanPlace, type PlacementVerdict, type PlacementView } from '../../drs/index.js';
import { CycleState, type ClusterSnapshot, type PlacementRequest, type Profile } from '../../scheduler/index.js';

export function liveCanPlace(snapshot: ClusterSnapshot, requestOf: (key: string) => PlacementRequest | undefined, profile: Profile): CanPlace {
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
    for (; applied < view.changes.length; applied++) {
      const c = view.changes[applied];
      if (c !== undefined) place(c.vm, c.to);
    }
  };
  return (vm, host, view): PlacementVerdict => {
    sync(view);
    const req = requestOf(vm.name);
    if (req === undefined) return refuse('UnknownVm');
    const info = snapshot.host(host.name);
    if (info === undefined) return refuse('UnknownHost');
    // The VM's own current placement must not count against it on its current host.
    const own = snapshot.placement(vm.name);
    if (own !== undefined && own.host === host.name) return PLACEMENT_OK;
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
