/**
 * `bulkhead sim run <scenario.yaml> [--compare bare-metal] [--out DIR] [--seed N]`: runs a what-if
 * scenario on the virtual clock as fast as the CPU allows, writes report.json, report.md and SVG
 * plots, and prints the summary (the verdict table when comparing). No server needed. The
 * simulation modules are imported inside `run`, so other commands start without them.
 */
import { UserError } from '../../errors.js';
import { optionalPositiveInt, optionalString } from '../../flags.js';
import { defineCommand } from '../../spec.js';

/** Designs `--compare` accepts (mirrors the simulation's COMPARE_TARGETS, kept here so the CLI need not load it). */
const COMPARE_CHOICES = ['bare-metal'] as const;
type Compare = (typeof COMPARE_CHOICES)[number];

export interface SimRunInput {
  readonly file: string;
  readonly compare: Compare | undefined;
  readonly out: string;
  readonly seed: number | undefined;
}

export function parseSimRun(args: readonly (string | undefined)[], opts: Readonly<Record<string, unknown>>): SimRunInput {
  const file = args[0];
  if (file === undefined || file.trim() === '') throw new UserError('a scenario file is required: bulkhead sim run <scenario.yaml>');
  const compare = optionalString(opts.compare, '--compare');
  if (compare !== undefined && !(COMPARE_CHOICES as readonly string[]).includes(compare)) throw new UserError(`--compare must be one of ${COMPARE_CHOICES.join(', ')}, got "${compare}"`);
  return {
    file,
    compare: compare as Compare | undefined,
    out: optionalString(opts.out, '--out') ?? './sim-report',
    seed: optionalPositiveInt(opts.seed, '--seed', { allowZero: true }),
  };
}

export const simRunCommand = defineCommand<SimRunInput>({
  name: 'run',
  description: 'Run a what-if scenario on the virtual clock; write report.json, report.md and SVG plots',
  args: [{ name: 'scenario', description: 'scenario file (YAML or JSON; see docs/what-if.md)', required: true }],
  options: [
    { flags: '--compare <design>', description: 'also run the same clusters and workloads on bare metal and compare', choices: COMPARE_CHOICES },
    { flags: '--out <dir>', description: 'report directory (default ./sim-report)' },
    { flags: '--seed <n>', description: "override the scenario's seed" },
  ],
  examples: [
    'bulkhead sim run examples/host-failure.yaml',
    'bulkhead sim run examples/whatif-datacenter.yaml --compare bare-metal --out sim-report',
    'bulkhead sim run examples/noisy-neighbour.yaml --compare bare-metal -o json',
  ],
  parse: ({ args, opts }) => parseSimRun(args, opts),
  run: async (ctx, input) => {
    const sim = await import('../../../simulation/index.js');
    let scenario;
    try {
      scenario = await sim.loadScenarioFile(input.file);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new UserError(`cannot read scenario file ${input.file}: ${(e as Error).message}`);
      throw e;
    }
    const started = performance.now();
    const { report, results } = await sim.simulate(scenario, {
      ...(input.compare === undefined ? {} : { compare: input.compare }),
      ...(input.seed === undefined ? {} : { seed: input.seed }),
    });
    const wallS = (performance.now() - started) / 1000;
    const events = results.reduce((a, r) => a + r.events, 0);
    ctx.log(`${scenario.name}: ${sim.formatDuration(scenario.durationMs)} of virtual time, ${results.map((r) => sim.DESIGN_LABELS[r.design]).join(' and ')}, in ${wallS.toFixed(2)} s (${events} events)`);
    const files = await sim.writeReport(report, input.out);
    ctx.log(`wrote ${files.join(', ')}`);
    const table = sim.summaryTable(report);
    return {
      type: 'table',
      headers: table.headers,
      rows: table.rows,
      data: { scenario: report.scenario, files, summaries: report.designs.map((d) => ({ design: d.design, hostsNeeded: d.hostsNeeded, summary: d.summary })), ...(report.verdict ? { verdict: report.verdict } : {}) },
    };
  },
});
