/**
 * Retention on schedule: every `tickMs` of the platform clock, each project whose policy sets
 * `everyMinutes` is run when that long has passed since its last run (the history's newest run,
 * or, for a project never run, since the scheduler first saw the policy). Projects run one after
 * the other; the next tick is armed only when a tick is done, so runs never overlap.
 */
import type { Project } from '../../api/index.js';
import type { Clock, TimerHandle } from '../../clock/index.js';

export interface SchedulerDeps {
  readonly clock: Clock;
  readonly tickMs: number;
  readonly projects: () => Promise<readonly Project[]>;
  /** When the project's last run started (ms), if it ever ran. */
  readonly lastRun: (project: string) => Promise<number | undefined>;
  /** Runs retention for real; must not throw (report failures itself). */
  readonly run: (project: Project) => Promise<void>;
  readonly warn: (obj: Record<string, unknown>, msg: string) => void;
}

export class RetentionScheduler {
  private timer: TimerHandle | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  /** Per project: when the period last started counting. */
  private readonly since = new Map<string, number>();

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick()
        .catch((err: unknown) => this.deps.warn({ err }, 'retention schedule tick failed'))
        .finally(() => {
          this.ticking = undefined;
          this.arm();
        });
    }, this.deps.tickMs);
  }

  /** One pass over the projects (exposed for tests). */
  async tick(): Promise<void> {
    const seen = new Set<string>();
    for (const p of await this.deps.projects()) {
      const name = p.metadata.name;
      const every = p.spec?.retention?.everyMinutes;
      if (every === undefined || this.stopped) continue;
      seen.add(name);
      const now = this.deps.clock.now();
      let since = this.since.get(name);
      if (since === undefined) {
        since = (await this.deps.lastRun(name)) ?? now;
        this.since.set(name, since);
      }
      if (now - since < every * 60_000) continue;
      this.since.set(name, now);
      await this.deps.run(p);
    }
    for (const name of [...this.since.keys()]) if (!seen.has(name)) this.since.delete(name);
  }
}
