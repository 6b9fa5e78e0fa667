/**
 * Placement rules for HA restarts, migrations and evacuations: the scheduler's own PreFilter and
 * Filter plugins (host state, zone, features, sensitivity/tenant isolation, capacity under
 * overcommit, NUMA fit) plus any extra filter (HA admission), run for one VM on one host over a
 * snapshot of the zone. As a `CanPlace` it mirrors a planner's working view (the HA layer's Placer)
 * by replaying its change journal; on success it records the NUMA nodes the fit chose, so a
 * restart or migration pins the VM where the check said it fits.
 */
import type { Host, Tenant, VirtualMachine, Zone } from '../../api/index.js';
import { schedulingView } from '../../controllers/index.js';
import { PLACEMENT_OK, refuse, type CanPlace, type PlacementVerdict, type PlacementView } from '../../drs/index.js';
import type { HaHost, HaVm } from '../../ha/index.js';
import { ClusterSnapshot, CycleState, defaultProfile, vmKey, type FilterPlugin, type HostInfo, type PlacementRequest, type Profile } from '../../scheduler/index.js';

export interface CheckInput {
  readonly hosts: readonly Host[];
  readonly zones: readonly Zone[];
  readonly tenants: readonly Tenant[];
  /** VMs on those hosts (others are ignored). */
  readonly vms: readonly VirtualMachine[];
  /** Filters beyond the default profile's, run before the NUMA search. */
  readonly extraFilters?: readonly FilterPlugin[];
}

export type CheckResult = { readonly ok: true; readonly numaNodes: readonly number[] } | { readonly ok: false; readonly reason: string };

export class SchedulerCheck {
  readonly profile: Profile;
  private readonly cycle = new CycleState();
  private readonly requests = new Map<string, PlacementRequest | null>();
  /** NUMA nodes of the last successful check per `vm\nhost`. */
  private readonly numa = new Map<string, readonly number[]>();
  private mirrored: PlacementView | undefined;
  private applied = 0;

  /**
   * Checks over `snapshot`; `lookup` finds a VM by key (names it cannot resolve, such as a
   * planner's aggregate entries, are ignored when mirroring a view).
   */
  constructor(
    readonly snapshot: ClusterSnapshot,
    private readonly lookup: (key: string) => VirtualMachine | undefined,
    extraFilters: readonly FilterPlugin[] = [],
  ) {
    const base = defaultProfile();
    const filters = [...base.filters];
    const numaAt = filters.findIndex((f) => f.name === 'NumaFit');
    filters.splice(numaAt < 0 ? filters.length : numaAt, 0, ...extraFilters);
    this.profile = { ...base, filters };
  }

  /** A check over a snapshot built from lists (one-off decisions: admission, migrations). */
  static build(input: CheckInput): SchedulerCheck {
    const snapshot = ClusterSnapshot.build({ hosts: input.hosts.map(schedulingView), zones: input.zones, tenants: input.tenants, vms: input.vms });
    const byKey = new Map(input.vms.map((v) => [vmKey(v), v]));
    return new SchedulerCheck(snapshot, (k) => byKey.get(k), input.extraFilters);
  }

  /** Adds a VM the input did not include (one being moved into the zone's hosts). */
  track(vm: VirtualMachine): void {
    this.requests.set(vmKey(vm), this.snapshot.compile(vm));
  }

  private request(key: string): PlacementRequest | undefined {
    let r = this.requests.get(key);
    if (r === undefined) {
      const vm = this.lookup(key);
      r = vm?.spec === undefined ? null : this.snapshot.compile(vm);
      this.requests.set(key, r);
    }
    return r ?? undefined;
  }

  /** May the VM (by key) run on the host, with every other VM where the snapshot has it? */
  check(vm: string, hostName: string): CheckResult {
    const req = this.request(vm);
    if (req === undefined) return { ok: false, reason: 'UnknownVm' };
    const info = this.snapshot.host(hostName);
    if (info === undefined) return { ok: false, reason: 'UnknownHost' };
    this.cycle.reset(this.snapshot.hostCount, 0);
    for (const pf of this.profile.preFilters) {
      const st = pf.preFilter(this.cycle, req, this.snapshot);
      if (st.code !== 'Success') return { ok: false, reason: st.reason };
    }
    for (const f of this.profile.filters) {
      const st = f.filter(this.cycle, req, info);
      if (st.code !== 'Success') return { ok: false, reason: st.reason };
    }
    const numaNodes = nodesOf(info, this.cycle.numaFor(info.slot));
    this.numa.set(`${vm}\n${hostName}`, numaNodes);
    return { ok: true, numaNodes };
  }

  /** Records that the VM now runs on the host (or nowhere), for the checks that follow. */
  place(vm: string, hostName: string | undefined): void {
    const req = this.request(vm);
    if (req === undefined) return;
    if (hostName === undefined) this.snapshot.forget(vm);
    else if (this.snapshot.placement(vm)?.host !== hostName) this.snapshot.assume(req, hostName, this.numa.get(`${vm}\n${hostName}`));
  }

  /** NUMA nodes the last successful check of this VM on this host chose. */
  numaFor(vm: string, hostName: string): readonly number[] | undefined {
    return this.numa.get(`${vm}\n${hostName}`);
  }

  /** The check as the HA layer's `CanPlace`, mirroring the planner's working view. */
  readonly canPlace: CanPlace<HaVm, HaHost> = (vm, host, view): PlacementVerdict => {
    this.sync(view);
    const r = this.check(vm.name, host.name);
    return r.ok ? PLACEMENT_OK : refuse(r.reason);
  };

  private sync(view: PlacementView): void {
    if (view !== this.mirrored) {
      for (const [vm, host] of view.placements()) this.place(vm, host);
      this.mirrored = view;
      this.applied = view.changes.length;
      return;
    }
    const changes = view.changes;
    for (; this.applied < changes.length; this.applied++) {
      const c = changes[this.applied];
      if (c !== undefined) this.place(c.vm, c.to);
    }
  }
}

function nodesOf(info: HostInfo, mask: number): readonly number[] {
  const out: number[] = [];
  for (let i = 0; i < info.numaCount; i++) if ((mask & (1 << i)) !== 0) out.push(info.numaIds[i] as number);
  return out;
}
