/**
 * Standalone VM churn in the VM design: per churn spec, VMs arrive as a Poisson process (seeded
 * exponential gaps at the given rate), are placed by the scheduler and created on the simulated
 * datacenter, and are deleted after an exponential lifetime. They load hosts (a fixed share of
 * their vCPUs) and are restarted by HA like any VM, at low priority.
 */
import type { Random } from '../../clock/index.js';
import type { ChurnSpec } from '../scenario/types.js';
import type { EngineContext } from './context.js';
import { churnMachine } from './machines.js';
import type { VmPlatform } from './vm-platform.js';
import type { Machine } from './world.js';

/** An exponential variate with the given mean, from a uniform draw. */
function exponential(rng: Random, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

export class Churn {
  private serial = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly platform: VmPlatform,
  ) {}

  start(): void {
    this.ctx.scenario.churn.forEach((spec, i) => this.next(spec, this.ctx.random.fork(`churn-${i}`)));
  }

  private next(spec: ChurnSpec, rng: Random): void {
    const gap = exponential(rng, 3_600_000 / spec.perHour);
    if (this.ctx.elapsed() + gap > this.ctx.scenario.durationMs) return;
    this.ctx.agenda.after(gap, () => {
      this.arrive(spec, rng);
      this.next(spec, rng);
    });
  }

  private arrive(spec: ChurnSpec, rng: Random): void {
    const { ctx } = this;
    const sensitivity = ctx.scenario.tenants.find((t) => t.name === spec.tenant)?.sensitivity ?? 'high';
    const name = `churn-${++this.serial}`;
    const m = churnMachine({ key: `${spec.tenant}/${name}`, name, tenant: spec.tenant, sensitivity, cpus: spec.cpus, memoryMiB: spec.memoryMiB, cpuFraction: spec.cpuDemandPercent / 100 });
    ctx.machines.set(m.key, m);
    ctx.counters.churnCreated++;
    this.platform.placeAndLaunch(m, spec.zone);
    ctx.agenda.after(exponential(rng, spec.meanLifetimeMs), () => this.depart(m));
  }

  private depart(m: Machine): void {
    const { ctx, platform } = this;
    m.gone = true;
    m.running = false;
    ctx.machines.delete(m.key);
    platform.unplaced.delete(m);
    platform.snapshot.forget(m.key);
    if (m.vmId !== undefined) ctx.driver.deleteVm(m.vmId).catch(() => undefined);
    ctx.recovery.machineGone(m, ctx.elapsed());
    ctx.counters.churnDeleted++;
  }
}
