/**
 * One design's run of a scenario, as a discrete-event simulation on a VirtualClock advanced as
 * fast as the CPU allows: no API server and no store (this is the what-if tool, not the
 * platform), but the same pure layers the platform's controllers call (schedulers, resource
 * model, HA, DRS) and the same simulated datacenter.
 *
 *   scenario ─▶ datacenter (sim driver) ─▶ design.provision ─▶ pods ─▶ timeline, churn, DRS
 *                         │                                                  │
 *                         └──────── VirtualClock.advance(duration) ◀─────────┘
 *                                          samples every interval ─▶ DesignResult
 */
import { Random, VirtualClock } from '../../clock/index.js';
import { createSimDriver, expandTopology, type HostInventory } from '../../infra/index.js';
import { RecoveryTracker } from '../metrics/recovery.js';
import { Sampler } from '../metrics/sampler.js';
import type { DesignResult } from '../metrics/types.js';
import { formatDuration } from '../scenario/duration.js';
import type { Scenario } from '../scenario/types.js';
import { Agenda } from './agenda.js';
import { bareMetalTopology, BareMetalDesign } from './bare-metal-design.js';
import { newCounters, type EngineContext } from './context.js';
import type { Design } from './design.js';
import { PodManager } from './pods.js';
import { Timeline } from './timeline.js';
import { VmDesign } from './vm-design.js';
import type { DesignKind, Machine, NodeState } from './world.js';

export interface RunOptions {
  /** Called after each sample with the share of the run done (0..1): progress on a terminal. */
  readonly onProgress?: (fraction: number) => void;
}

export async function runDesign(scenario: Scenario, kind: DesignKind, options: RunOptions = {}): Promise<DesignResult> {
  const clock = new VirtualClock(scenario.startMs);
  const topology = kind === 'vm' ? scenario.topology : bareMetalTopology(scenario);
  // No heartbeat events: HA detection is modeled from the failure time (assessHost), which is cheaper at 1,000 hosts.
  const driver = createSimDriver({ clock, seed: scenario.seed, topology, timings: { heartbeatIntervalMs: 0 }, historyLimit: 1_000 });
  const hosts: HostInventory[] = expandTopology(topology).hosts;
  let infraEvents = 0;
  driver.subscribe(() => void infraEvents++);
  const notes: string[] = [];
  let done = false;
  const ctx: EngineContext = {
    scenario,
    design: kind,
    clock,
    agenda: new Agenda(clock),
    driver,
    random: new Random(scenario.seed),
    machines: new Map<string, Machine>(),
    nodes: new Map<string, NodeState>(),
    recovery: new RecoveryTracker(),
    counters: newCounters(),
    note: (m) => void (notes.length < 200 && notes.push(`at ${formatDuration(clock.now() - scenario.startMs)}: ${m}`)),
    elapsed: () => clock.now() - scenario.startMs,
    finished: () => done,
  };
  const zoneOf = new Map(hosts.map((h) => [h.name, h.zone]));
  const pods = new PodManager(ctx, (h) => zoneOf.get(h));
  let sampler: Sampler | undefined;
  const refresh = (): void => void sampler?.contention();
  const design: Design = kind === 'vm' ? new VmDesign(ctx, hosts, pods, refresh) : new BareMetalDesign(ctx, hosts, pods);
  const s = (sampler = new Sampler(ctx, design, pods));

  // Samples are scheduled first: at an instant shared with a DRS pass, the sample runs before it.
  let failure: { error: unknown } | undefined;
  const pendingSamples = new Set<Promise<void>>();
  const count = Math.floor(scenario.durationMs / scenario.sampleIntervalMs);
  for (let k = 1; k <= count; k++) {
    ctx.agenda.at(scenario.startMs + k * scenario.sampleIntervalMs, () => {
      // Started here, not in a microtask: the sample sees the instant before a DRS pass at the same time acts.
      pendingSamples.add(
        s
          .sample()
          .then(() => options.onProgress?.(k / count))
          .catch((error: unknown) => void (failure ??= { error })),
      );
    });
  }
  for (const c of scenario.clusters) pods.addCluster(c);
  design.provision();
  for (const w of scenario.workloads) pods.addWorkload(w);
  new Timeline(ctx, design, pods).start();
  await clock.advance(scenario.durationMs);
  await Promise.all(pendingSamples);
  if (failure !== undefined) throw failure.error;
  done = true;
  const events = ctx.agenda.ran + infraEvents + ctx.counters.migrations;
  ctx.agenda.close();
  await driver.close();
  return {
    design: kind,
    hosts: hosts.map((h) => ({ name: h.name, zone: h.zone })),
    hostsNeeded: design.hostsNeeded,
    hostCpuMHz: Object.fromEntries(scenario.zones.map((z) => [z.name, z.hardware.sockets * z.hardware.coresPerSocket * scenario.coreMHz])),
    samples: s.samples,
    failures: ctx.recovery.failures,
    noisy: s.noisy.figures(),
    counters: { ...ctx.counters },
    notes,
    events,
  };
}
