/**
 * Retention runs, by hand or on schedule: one at a time per project (a second gets 409 naming the
 * first), each recorded in the project's history. Validation errors (no rules, a rule without a
 * quantity) are thrown before anything runs.
 */
import type { Project } from '../../api/index.js';
import { MaintenanceRunningError } from '../gc/errors.js';
import type { RunHistory } from '../gc/run-history.js';
import { runId } from '../gc/run-id.js';
import { retentionRules, runRetention, type RetentionDeps } from './run-retention.js';
import type { RetentionResult } from './types.js';

export class RetentionRunner {
  private readonly running = new Map<string, { readonly id: string; readonly done: Promise<RetentionResult> }>();

  constructor(
    private readonly deps: RetentionDeps,
    private readonly history: RunHistory<RetentionResult>,
    private readonly warn: (obj: Record<string, unknown>, msg: string) => void,
  ) {}

  async run(project: Project, dryRun: boolean, user: string): Promise<RetentionResult> {
    const name = project.metadata.name;
    const busy = this.running.get(name);
    if (busy) throw new MaintenanceRunningError('Retention', busy.id, name);
    retentionRules(project);
    const id = runId('retention', this.deps.clock.now());
    const done = (async () => {
      const result = await runRetention(this.deps, project, dryRun, { id, user });
      if (result.error !== undefined) this.warn({ run: id, project: name, error: result.error }, 'retention run failed');
      await this.history.add(name, result).catch((err: unknown) => this.warn({ err, run: id }, 'could not record the retention run'));
      return result;
    })();
    this.running.set(name, { id, done });
    try {
      return await done;
    } finally {
      this.running.delete(name);
    }
  }

  list(project: string, limit: number): Promise<RetentionResult[]> {
    return this.history.list(project, limit);
  }

  lastStartedAt(project: string): Promise<number | undefined> {
    return this.history.lastStartedAt(project);
  }

  /** Waits for the runs in progress (server close). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }
}
