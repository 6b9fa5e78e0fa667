/**
 * The seam between the shared engine (pods, timeline, sampling) and one design's datacenter:
 * containers on VMs (scheduler, HA, DRS, churn) or containers on bare-metal nodes (one node per
 * host, reprovisioning). The engine calls these; each design keeps the simulated datacenter and
 * the world state in step.
 */
import type { IsolationMode } from '../../api/index.js';
import type { HostInventory } from '../../infra/index.js';
import type { Placement } from '../metrics/isolation.js';
import type { HostsNeeded } from '../packing/hosts-needed.js';
import type { DesignKind } from './world.js';

export interface Design {
  readonly kind: DesignKind;
  /** Every host of this design's datacenter, in inventory order. */
  readonly hosts: readonly HostInventory[];
  readonly hostsNeeded: HostsNeeded;
  isUp(host: string): boolean;
  zoneOf(host: string): string | undefined;
  /** The rule a zone's hosts are audited against (bare metal: one tenant per host). */
  isolationOf(zone: string): IsolationMode;
  /** Creates the clusters' nodes at the start and schedules the design's own periodic work. */
  provision(): void;
  /** The simulated datacenter has just failed `host`: take down what ran there and start recovery. */
  hostFailed(host: string): void;
  hostRecovered(host: string): void;
  /** Housekeeping before each sample (retry VMs that found no host); returns machines still without a host. */
  beforeSample(): number;
  /** DRS imbalance per zone right now (empty for bare metal, which has no DRS). */
  imbalance(): Readonly<Record<string, number>>;
  /** Where the simulated datacenter says each running machine is. */
  placements(): Promise<Placement[]>;
}
