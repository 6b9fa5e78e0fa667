/**
 * The what-if tool (`bulkhead sim run`): scenario files, the discrete-event engine that runs them
 * on a virtual clock over the simulated datacenter with the real schedulers, resource model, HA
 * and DRS (no API server, no store), the bare-metal comparison, and the report. Other folders
 * (the CLI, benchmarks) import only from here.
 */
export { loadScenarioFile, parseScenario, parseScenarioText, DEFAULT_SAMPLE_MS, DEFAULT_START } from './scenario/parse.js';
export { parseDuration, formatDuration } from './scenario/duration.js';
export type { Scenario, ScenarioCluster, ScenarioTenant, ScenarioWorkload, ScenarioZone, TimelineEvent, TimelineAction, ChurnSpec, RandomFailures } from './scenario/types.js';
export { simulate, COMPARE_TARGETS, type CompareTarget, type SimulateOptions, type Simulation } from './simulate.js';
export { runDesign, type RunOptions } from './engine/run.js';
export { DESIGN_KINDS, isDesignKind, type DesignKind } from './engine/world.js';
export { bareMetalHostNames } from './engine/bare-metal-design.js';
export { vmHostsNeeded, bareMetalHostsNeeded, type HostsNeeded } from './packing/hosts-needed.js';
export type { DesignResult, Sample, ZoneSample } from './metrics/types.js';
export type { FailureRecord } from './metrics/recovery.js';
export type { NoisyFigures } from './metrics/noisy.js';
export { buildReport, type Report, type DesignReport, type DesignSeries, type ScenarioBrief } from './report/build.js';
export { summarize, type DesignSummary, type RecoverySummary } from './report/summary.js';
export { verdict, DESIGN_LABELS, type VerdictRow, type Winner } from './report/verdict.js';
export { renderMarkdown } from './report/markdown.js';
export { plots, type Plot } from './report/plots.js';
export { lineChart, type ChartSpec, type LineSeries } from './report/svg.js';
export { writeReport } from './report/write.js';
export { summaryTable, type SummaryTable } from './report/summary-table.js';
export { SimulationError } from './errors.js';
export { assumptionLines } from './assumptions.js';
