/**
 * Scheduler: the stateful wrapper a controller holds. It owns the profile, the reusable cycle
 * state, the rotating start offset and the seed stream, and turns VMs into decisions over its
 * snapshot. `place` also reserves the result in the snapshot (kube's assume).
 */
import type { VirtualMachine } from '../api/index.js';
import { Random } from '../clock/index.js';
import { decide, type PlacementResult } from './framework.js';
import { CycleState, type Profile } from './plugin.js';
import { defaultProfile } from './profile.js';
import { isPlacementRequest, type PlacementRequest } from './request.js';
import { feasibleHostsToFind, type SamplingOptions } from './sampling.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface SchedulerOptions extends SamplingOptions {
  /** Plugins to run; `defaultProfile()` when absent. */
  readonly profile?: Profile;
  /** Seed of the per-decision seed stream; the same seed replays the same choices. */
  readonly seed?: number;
  /** Monotonic milliseconds for decision timing; `performance.now` when absent. */
  readonly now?: () => number;
}

/** Per-call overrides, to replay a recorded decision (seed and startOffset from its explanation). */
export interface ScheduleOptions {
  readonly seed?: number;
  readonly startOffset?: number;
}

export class Scheduler {
  readonly profile: Profile;
  private readonly state = new CycleState();
  private readonly seeds: Random;
  private readonly now: () => number;
  private nextStart = 0;

  constructor(
    readonly snapshot: ClusterSnapshot,
    private readonly options: SchedulerOptions = {},
  ) {
    this.profile = options.profile ?? defaultProfile();
    this.seeds = new Random(options.seed ?? 1);
    this.now = options.now ?? (() => performance.now());
  }

  /** Chooses a host and NUMA nodes for a VM, or explains why none fits. Does not change the snapshot. */
  schedule(vm: VirtualMachine | PlacementRequest, opts: ScheduleOptions = {}): PlacementResult {
    const req = isPlacementRequest(vm) ? vm : this.snapshot.compile(vm);
    const seed = opts.seed ?? Math.floor(this.seeds.next() * 0x100000000);
    const d = decide(this.snapshot, this.profile, this.state, req, {
      seed,
      startOffset: opts.startOffset ?? this.nextStart,
      feasibleToFind: feasibleHostsToFind(this.snapshot.hostCount, this.options),
      now: this.now,
    });
    if (opts.startOffset === undefined) this.nextStart = d.nextStartOffset;
    return d.result;
  }

  /** `schedule`, then on success reserve the placement in the snapshot (undo with `snapshot.forget`). */
  place(vm: VirtualMachine | PlacementRequest, opts: ScheduleOptions = {}): PlacementResult {
    const req = isPlacementRequest(vm) ? vm : this.snapshot.compile(vm);
    const result = this.schedule(req, opts);
    if (result.ok) this.snapshot.assume(req, result.host, result.numaNodes);
    return result;
  }
}
