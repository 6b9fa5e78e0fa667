/**
 * Modeled durations of the simulated datacenter, with where each figure comes from. Every
 * operation's duration is its mean here, jittered by `jitter` from the driver's seeded generator
 * (live migration is not jittered: it follows the pre-copy model exactly, see precopy.ts).
 *
 * References (in /work/shared/reference):
 * - scheduling-perf.md §4.3: HA restart = detection + placement + "guest boot (workload dependent,
 *   tens of seconds)"  -> bootMs 30 s.
 * - pks-bosh-capi.md §3.6 (CAPV clone spec): `linkedClone` is the default clone mode when the
 *   template has a snapshot. A linked clone copies no disk data (a delta disk on the template's
 *   snapshot), so it costs a vCenter task and a reconfigure, seconds, not GiB/s. The references
 *   give no measured figure: cloneMs 10 s is our assumption.
 * - pks-bosh-capi.md §2.3: create-swap-delete "downtime is about 20 s" (a VM swap, consistent with
 *   boot times of tens of seconds).
 * - scheduling-perf.md §4.4 and §6: vMotion limits and the pre-copy model (see MigrationTimings).
 * - pks-bosh-capi.md §2.1: BOSH agents heartbeat every 30-60 s; scheduling-perf.md §4.3: vSphere
 *   HA detects a dead host in 15-18 s. A host heartbeat every 10 s lets a control plane match it.
 * - Disk, power and metadata durations are short vCenter reconfigure tasks: assumptions.
 */

/** Parameters of the pre-copy live-migration model (scheduling-perf.md §4.4, §6). */
export interface MigrationTimings {
  /** Guest page dirty rate in MB/s (10^6 bytes) when a VM has none set; §6 worked example: 200 MB/s. */
  readonly dirtyRateMBps: number;
  /** Share of the NIC's line rate a vMotion stream achieves; §6 worked example: 92 %. */
  readonly nicEfficiency: number;
  /** Switch over when the remaining dirty memory can be sent in this long; QEMU default 300 ms (§6). */
  readonly downtimeTargetMs: number;
  /** Time to resume the VM on the destination after the last page (T_resume); assumption. */
  readonly resumeMs: number;
  /** Pre-copy rounds before a forced stop-and-copy; Xen DEF_MAX_ITERS 29 (§6). */
  readonly maxRounds: number;
  /** Never send more than this many times the VM's memory; Xen DEF_MAX_FACTOR 3 (§6). */
  readonly maxFactor: number;
  /**
   * Stun During Page Send (vMotion 5.0+, §4.4): when the dirty rate reaches the transfer rate the
   * vCPUs are slowed so pre-copy converges. Modeled as capping D at `sdpsMaxLambda` x R. 0 disables.
   */
  readonly sdpsMaxLambda: number;
  /**
   * What happens when pre-copy does not converge (a round or volume cap is reached before the
   * remainder fits the downtime target, e.g. with SDPS off and a guest dirtying faster than the
   * link): `stopAndCopy` (default) stuns the VM for as long as the remainder takes (Xen's forced
   * last round); `fail` gives up after the rounds, the VM keeps running on the source (vMotion's
   * "migration did not converge" failure).
   */
  readonly onNoConvergence?: 'stopAndCopy' | 'fail';
  /** Concurrent vMotions per host on 10 GbE and faster NICs: 8 (vSphere "Limits on Simultaneous Migrations", §4.4). */
  readonly maxConcurrentPerHost: number;
  /** Concurrent vMotions per host on NICs slower than 10 GbE: 4 (same table). */
  readonly maxConcurrentPerHostSlowNic: number;
}

export interface SimTimings {
  /** Linked clone of the stemcell (assumption, see above). */
  readonly cloneMs: number;
  /** Power-on to running guest (scheduling-perf.md §4.3, "tens of seconds"). */
  readonly bootMs: number;
  /** Hard power-off and unregister/destroy of the VM's files. */
  readonly deleteVmMs: number;
  /** Hard power-off. */
  readonly powerOffMs: number;
  /** Guest reboot: shutdown plus boot. */
  readonly rebootMs: number;
  readonly setMetadataMs: number;
  readonly createDiskMs: number;
  readonly deleteDiskMs: number;
  /** Hot-add of a virtual disk (reconfigure task). */
  readonly attachDiskMs: number;
  readonly detachDiskMs: number;
  readonly snapshotDiskMs: number;
  /** Uniform jitter as a fraction of each mean (0.15 = +-15 %). */
  readonly jitter: number;
  /** Period of the batched Heartbeats event; 0 disables heartbeats. */
  readonly heartbeatIntervalMs: number;
  readonly migration: MigrationTimings;
}

/** The modeled durations the simulated datacenter uses unless told otherwise. */
export const DEFAULT_SIM_TIMINGS: SimTimings = Object.freeze({
  cloneMs: 10_000,
  bootMs: 30_000,
  deleteVmMs: 3_000,
  powerOffMs: 2_000,
  rebootMs: 35_000,
  setMetadataMs: 200,
  createDiskMs: 2_000,
  deleteDiskMs: 1_000,
  attachDiskMs: 2_000,
  detachDiskMs: 1_500,
  snapshotDiskMs: 3_000,
  jitter: 0.15,
  heartbeatIntervalMs: 10_000,
  migration: Object.freeze({
    dirtyRateMBps: 200,
    nicEfficiency: 0.92,
    downtimeTargetMs: 300,
    resumeMs: 20,
    maxRounds: 29,
    maxFactor: 3,
    sdpsMaxLambda: 0.5,
    maxConcurrentPerHost: 8,
    maxConcurrentPerHostSlowNic: 4,
  }),
});

/** Timings with some fields overridden (migration fields merge too). */
export type SimTimingsOverrides = Partial<Omit<SimTimings, 'migration'>> & { readonly migration?: Partial<MigrationTimings> };

export function resolveTimings(o?: SimTimingsOverrides): SimTimings {
  return Object.freeze({
    ...DEFAULT_SIM_TIMINGS,
    ...o,
    migration: Object.freeze({ ...DEFAULT_SIM_TIMINGS.migration, ...o?.migration }),
  });
}

/**
 * The `--time-scale` at which creating a VM (clone + boot) takes about one second of wall time:
 * 40 with the default timings. The server runs its ScaledClock at this scale by default.
 */
export function defaultTimeScale(timings: Pick<SimTimings, 'cloneMs' | 'bootMs'> = DEFAULT_SIM_TIMINGS): number {
  return Math.max(1, Math.round((timings.cloneMs + timings.bootMs) / 1000));
}

/** `defaultTimeScale()` of the default timings. */
export const DEFAULT_TIME_SCALE = defaultTimeScale();
