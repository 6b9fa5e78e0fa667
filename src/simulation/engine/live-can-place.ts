/**
 * A `CanPlace` for DRS and HA that runs the scheduler's own PreFilter and Filter plugins against
 * the run's LIVE snapshot (`drs/snapshotCanPlace`): rebuilding a private snapshot per DRS pass at
 * 1,000 hosts would cost more than the pass. The planner's working view is mirrored into the live
 * snapshot as it changes, so after a pass the snapshot already holds the planned placements; the
 * caller then applies the plan explicitly (idempotent) and reverts a move that fails.
 */
import { snapshotCanPlace, type CanPlace } from '../../drs/index.js';
import type { ClusterSnapshot, PlacementRequest, Profile } from '../../scheduler/index.js';

export function liveCanPlace(snapshot: ClusterSnapshot, requestOf: (key: string) => PlacementRequest | undefined, profile: Profile): CanPlace {
  return snapshotCanPlace(snapshot, requestOf, profile);
}
