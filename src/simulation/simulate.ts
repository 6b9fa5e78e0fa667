/**
 * The what-if entry point: runs a scenario's VM design and, with `compare: 'bare-metal'`, the
 * same clusters and workloads on bare metal, then builds the report.
 */
import { runDesign } from './engine/run.js';
import type { DesignKind } from './engine/world.js';
import type { DesignResult } from './metrics/types.js';
import { buildReport, type Report } from './report/build.js';
import type { Scenario } from './scenario/types.js';

export const COMPARE_TARGETS = ['bare-metal'] as const;
export type CompareTarget = (typeof COMPARE_TARGETS)[number];

export interface SimulateOptions {
  readonly compare?: CompareTarget;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Progress of each design's run, 0..1. */
  readonly onProgress?: (design: DesignKind, fraction: number) => void;
}

export interface Simulation {
  readonly report: Report;
  readonly results: readonly DesignResult[];
}

export async function simulate(scenario: Scenario, options: SimulateOptions = {}): Promise<Simulation> {
  const s = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const designs: DesignKind[] = options.compare === 'bare-metal' ? ['vm', 'bare-metal'] : ['vm'];
  const results: DesignResult[] = [];
  for (const d of designs) {
    const progress = options.onProgress;
    results.push(await runDesign(s, d, progress ? { onProgress: (f) => progress(d, f) } : {}));
  }
  return { report: buildReport(s, results), results };
}
