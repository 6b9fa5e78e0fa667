import { describe, expect, it } from 'vitest';
import type { Project } from '../../api/index.js';
import { VirtualClock } from '../../clock/index.js';
import { RetentionScheduler } from './scheduler.js';

const MIN = 60_000;

function project(name: string, everyMinutes?: number): Project {
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'Project',
    metadata: { name },
    spec: { tenant: 't', retention: { rules: [{ always: true }], ...(everyMinutes !== undefined ? { everyMinutes } : {}) } },
  };
}

function setup(projects: Project[], lastRun: Record<string, number> = {}) {
  const clock = new VirtualClock();
  const runs: { project: string; at: number }[] = [];
  const list = { projects };
  const s = new RetentionScheduler({
    clock,
    tickMs: MIN,
    projects: async () => list.projects,
    lastRun: async (p) => lastRun[p],
    run: async (p) => void runs.push({ project: p.metadata.name, at: clock.now() - start }),
    warn: () => undefined,
  });
  const start = clock.now();
  return { clock, runs, list, s, start };
}

describe('RetentionScheduler', () => {
  it('runs each project every `everyMinutes` on the platform clock, and only projects with a schedule', async () => {
    const { clock, runs, s } = setup([project('a', 10), project('b', 25), project('manual')]);
    s.start();
    await clock.advance(60 * MIN);
    expect(runs.filter((r) => r.project === 'a').map((r) => r.at / MIN)).toEqual([11, 21, 31, 41, 51]);
    expect(runs.filter((r) => r.project === 'b').map((r) => r.at / MIN)).toEqual([26, 51]);
    expect(runs.some((r) => r.project === 'manual')).toBe(false);
    await s.stop();
  });

  it('counts from the last recorded run, so a restart does not reset the period', async () => {
    const { clock, runs, s, start } = setup([project('a', 30)], { a: Date.UTC(2026, 0, 1) - 25 * MIN });
    expect(start).toBe(Date.UTC(2026, 0, 1));
    s.start();
    await clock.advance(10 * MIN);
    expect(runs.map((r) => r.at / MIN)).toEqual([5]);
    await s.stop();
  });

  it('follows policy changes and stops when told to', async () => {
    const { clock, runs, list, s } = setup([project('a', 5)]);
    s.start();
    await clock.advance(12 * MIN);
    expect(runs).toHaveLength(2);
    list.projects = [project('a')]; // schedule removed
    await clock.advance(30 * MIN);
    expect(runs).toHaveLength(2);
    list.projects = [project('a', 5)];
    await s.stop();
    await clock.advance(60 * MIN);
    expect(runs).toHaveLength(2);
    expect(clock.pending()).toBe(0);
  });
});
