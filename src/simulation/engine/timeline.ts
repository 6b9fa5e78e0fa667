/**
 * The scripted events of a scenario on the agenda: the timeline's actions at their times, and
 * random host failures (a seeded Poisson process) with optional repair. Host faults go through the
 * simulated datacenter's fault injector first, then to the design, which handles what ran there.
 */
import { RANDOM_HOST, type TimelineAction } from '../scenario/types.js';
import type { EngineContext } from './context.js';
import type { Design } from './design.js';
import type { PodManager } from './pods.js';

export class Timeline {
  private readonly pick;

  constructor(
    private readonly ctx: EngineContext,
    private readonly design: Design,
    private readonly pods: PodManager,
  ) {
    this.pick = ctx.random.fork('random-hosts');
  }

  start(): void {
    const { scenario, agenda } = this.ctx;
    for (const e of scenario.timeline) agenda.at(scenario.startMs + e.atMs, () => this.run(e.action));
    const rf = scenario.randomFailures;
    if (rf === undefined) return;
    const rng = this.ctx.random.fork('random-failures');
    const mean = 86_400_000 / rf.perDay;
    for (let t = -mean * Math.log(1 - rng.next()); t <= scenario.durationMs; t += -mean * Math.log(1 - rng.next())) {
      const zone = rf.zones === undefined ? undefined : rf.zones[Math.floor(rng.next() * rf.zones.length)];
      agenda.at(scenario.startMs + t, () => this.run({ kind: 'failHost', host: RANDOM_HOST, node: undefined, zone, recoverAfterMs: rf.repairAfterMs }));
    }
  }

  private run(a: TimelineAction): void {
    switch (a.kind) {
      case 'failHost':
        return this.fail(a.host, a.node, a.zone, a.recoverAfterMs);
      case 'recoverHost':
        return this.recover(a.host);
      case 'scale':
        return this.pods.scale(a.workload, a.replicas);
      case 'load':
        return this.pods.setLoad(a.workload, a.percent);
    }
  }

  private fail(name: string | undefined, node: string | undefined, zone: string | undefined, recoverAfterMs: number | undefined): void {
    const { ctx, design } = this;
    let host: string | undefined = name;
    if (node !== undefined) {
      host = ctx.nodes.get(node)?.machine.host;
      if (host === undefined) return ctx.note(`failHost node ${node}: the node has no host right now; the failure was skipped`);
    } else if (name === RANDOM_HOST) {
      const candidates = design.hosts.filter((h) => design.isUp(h.name) && (zone === undefined || h.zone === zone));
      host = candidates[Math.floor(this.pick.next() * candidates.length)]?.name;
      if (host === undefined) return ctx.note(`at ${ctx.elapsed() / 1000} s a random host failure found no host up${zone ? ` in ${zone}` : ''}`);
    } else if (!design.hosts.some((h) => h.name === name)) {
      return ctx.note(`failHost ${name ?? ''}: this design's datacenter has no such host; the failure was skipped`);
    }
    if (host === undefined) return;
    if (!design.isUp(host)) return;
    void ctx.driver.faults.failHost(host, 'scenario');
    design.hostFailed(host);
    const failed = host;
    if (recoverAfterMs !== undefined) ctx.agenda.after(recoverAfterMs, () => this.recover(failed));
  }

  private recover(host: string): void {
    const { ctx, design } = this;
    if (!design.hosts.some((h) => h.name === host)) return ctx.note(`recoverHost ${host}: this design's datacenter has no such host; skipped`);
    if (design.isUp(host)) return;
    void ctx.driver.faults.recoverHost(host);
    design.hostRecovered(host);
  }
}
