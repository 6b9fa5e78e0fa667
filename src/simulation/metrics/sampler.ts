/**
 * Sampling: at each instant, one contention pass over the running machines (cached per instant,
 * so a DRS pass at the same time reuses it and reads fresh entitlements), then the figures of the
 * sample: utilization per host and zone, CPU ready, pod CPU shortfall, DRS imbalance, the
 * isolation audit over the simulated datacenter's own placements, noisy-neighbour buckets.
 */
import type { HostCapacity } from '../../resources/index.js';
import type { EngineContext } from '../engine/context.js';
import type { Design } from '../engine/design.js';
import type { PodManager } from '../engine/pods.js';
import type { Machine } from '../engine/world.js';
import { computeContention, type ContentionResult } from './contention.js';
import { auditIsolation } from './isolation.js';
import { NoisyAccumulator } from './noisy.js';
import type { Sample, ZoneSample } from './types.js';

/** Rounds to 3 decimals: stable, compact JSON. */
export const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export class Sampler {
  readonly samples: Sample[] = [];
  readonly noisy = new NoisyAccumulator();
  private cache: { at: number; machines: Machine[]; result: ContentionResult } | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly design: Design,
    private readonly pods: PodManager,
  ) {}

  private upHosts(): HostCapacity[] {
    const coreMHz = this.ctx.scenario.coreMHz;
    return this.design.hosts.filter((h) => this.design.isUp(h.name)).map((h) => ({ name: h.name, zone: h.zone, cores: h.cores, coreMHz, memoryMiB: h.memoryMiB }));
  }

  /** The contention model at this instant; machines carry their entitlements afterwards. */
  contention(): { machines: Machine[]; result: ContentionResult } {
    const at = this.ctx.clock.now();
    if (this.cache?.at === at) return this.cache;
    const machines: Machine[] = [];
    for (const m of this.ctx.machines.values()) if (m.running && !m.gone && m.host !== undefined && this.design.isUp(m.host)) machines.push(m);
    const result = computeContention({ hosts: this.upHosts(), machines, atMs: at, coreMHz: this.ctx.scenario.coreMHz });
    result.machines.forEach((f, i) => {
      const m = machines[i] as Machine;
      m.cpuEntitlementMHz = f.cpuEntitlementMHz;
      m.memoryEntitlementMiB = f.memoryEntitlementMiB;
    });
    this.ctx.counters.reservationsRefused = Math.max(this.ctx.counters.reservationsRefused, result.reservationsRefused);
    this.cache = { at, machines, result };
    return this.cache;
  }

  async sample(): Promise<void> {
    const { ctx, design } = this;
    const unplaced = design.beforeSample();
    const { machines, result } = this.contention();
    const coreMHz = ctx.scenario.coreMHz;
    const zoneTotals = new Map<string, { cpu: number; cpuCap: number; mem: number; memCap: number; up: number }>();
    const hostCpuPercent = design.hosts.map((h) => {
      const z = zoneTotals.get(h.zone) ?? { cpu: 0, cpuCap: 0, mem: 0, memCap: 0, up: 0 };
      zoneTotals.set(h.zone, z);
      if (!design.isUp(h.name)) return null;
      const cpu = result.hostCpuMHz.get(h.name) ?? 0;
      z.cpu += cpu;
      z.cpuCap += h.cores * coreMHz;
      z.mem += result.hostMemoryMiB.get(h.name) ?? 0;
      z.memCap += h.memoryMiB;
      z.up++;
      return r3((cpu / (h.cores * coreMHz)) * 100);
    });
    const zones: Record<string, ZoneSample> = {};
    for (const [name, z] of zoneTotals) zones[name] = { cpuPercent: r3(z.cpuCap > 0 ? (z.cpu / z.cpuCap) * 100 : 0), memoryPercent: r3(z.memCap > 0 ? (z.mem / z.memCap) * 100 : 0), hostsUp: z.up };

    let clusterCpu = 0;
    let clusterMem = 0;
    let readyWeighted = 0;
    let vcpus = 0;
    let readyMax = 0;
    result.machines.forEach((f, i) => {
      const m = machines[i] as Machine;
      if (m.node) {
        clusterCpu += f.cpuUsageMHz;
        clusterMem += f.memoryUsageMiB;
      }
      readyWeighted += f.readyPercent * m.cpus;
      vcpus += m.cpus;
      readyMax = Math.max(readyMax, f.readyPercent);
    });
    let demand = 0;
    let shortfall = 0;
    for (const p of result.pods) {
      demand += p.demandMillis;
      shortfall += Math.max(0, p.demandMillis - p.gotMillis);
    }
    let runningPods = 0;
    for (const w of this.pods.workloads.values()) for (const p of w.pods) if (p.running) runningPods++;
    const bursting = this.noisy.add(result.pods, this.pods.workloads.values(), ctx.clock.now());
    const imbalance = Object.fromEntries(Object.entries(design.imbalance()).map(([z, v]) => [z, r3(v)]));
    const audit = auditIsolation(await design.placements(), (host) => design.isolationOf(design.zoneOf(host) ?? ''));
    this.samples.push({
      t: ctx.elapsed(),
      zones,
      hostCpuPercent,
      clusterCpuMHz: r3(clusterCpu),
      clusterMemoryMiB: r3(clusterMem),
      cpuReadyMeanPercent: r3(vcpus > 0 ? readyWeighted / vcpus : 0),
      cpuReadyMaxPercent: r3(readyMax),
      podShortfallPercent: r3(demand > 0 ? (shortfall / demand) * 100 : 0),
      imbalance,
      migrations: ctx.counters.migrations,
      runningMachines: machines.length,
      runningPods,
      pendingPods: this.pods.pendingCount(),
      unplacedMachines: unplaced,
      isolationViolations: audit.hostViolations + audit.podViolations,
      maxTenantsPerHost: audit.maxTenantsPerHost,
      meanTenantsPerHost: r3(audit.meanTenantsPerHost),
      bursting,
    });
  }
}
