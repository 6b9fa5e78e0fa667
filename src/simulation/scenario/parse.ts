/**
 * Reading a scenario file: YAML (or JSON) text -> structure checked against the TypeBox schema ->
 * compiled into a `Scenario` with every default applied. Every problem is reported with its field
 * path in one `ValidationError` (kind `Scenario`, named after the file), which the CLI prints as
 * one line.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { schemaCauses, ValidationError } from '../../api/index.js';
import { BARE_METAL_REPROVISION_MS, HA_DETECTION_MS } from '../assumptions.js';
import { Causes } from './causes.js';
import { compileClusters, compileTenants } from './compile-tenancy.js';
import { compileChurn, compileFaults, compileTimeline } from './compile-timeline.js';
import { compileTopology } from './compile-topology.js';
import { compileWorkloads } from './compile-workloads.js';
import { ScenarioFileSchema, type ScenarioFile } from './schema.js';
import type { Scenario } from './types.js';

/** The virtual clock's start when the file gives none (VirtualClock's default). */
export const DEFAULT_START = '2026-01-01T00:00:00Z';
/** Sampling period by default: 5 virtual minutes. */
export const DEFAULT_SAMPLE_MS = 5 * 60_000;
/** Most problems listed in one error (the rest are usually consequences). */
const MAX_CAUSES = 8;

/** Validates parsed YAML/JSON into a Scenario, or throws a ValidationError naming the fields. */
export function parseScenario(input: unknown, source?: string): Scenario {
  const ctx = { kind: 'Scenario', ...(source === undefined ? {} : { name: source }) };
  const structural = schemaCauses(ScenarioFileSchema, input, '');
  if (structural.length > 0) throw new ValidationError(structural.slice(0, MAX_CAUSES), ctx);
  const file = input as ScenarioFile;
  const spec = file.spec;
  const causes = new Causes();
  const durationMs = causes.duration(spec.duration, 'spec.duration', 0, { min: 60_000 });
  const sampleIntervalMs = causes.duration(spec.sampleEvery, 'spec.sampleEvery', DEFAULT_SAMPLE_MS, { min: 1_000 });
  const startMs = Date.parse(spec.start ?? DEFAULT_START);
  if (!Number.isFinite(startMs)) causes.add('spec.start', `"${spec.start ?? ''}" is not an ISO 8601 time`);
  const topo = compileTopology(spec, causes);
  const tenants = compileTenants(spec, topo, causes);
  const clusters = compileClusters(spec, tenants, topo, causes);
  const workloads = compileWorkloads(spec, clusters, causes);
  const nodes = new Set(clusters.flatMap((c) => [...Array.from({ length: c.controlPlaneNodes }, (_, i) => `${c.name}-cp-${i}`), ...Array.from({ length: c.workers }, (_, i) => `${c.name}-w-${i}`)]));
  const refs = { hosts: topo?.hosts ?? new Set<string>(), zones: topo?.zones.map((z) => z.name) ?? [], tenants, workloads, nodes, durationMs };
  const timeline = compileTimeline(spec, refs, causes);
  const churn = compileChurn(spec, refs, causes);
  const randomFailures = compileFaults(spec, refs, causes);
  const drsIntervalMs = causes.duration(spec.drs?.interval, 'spec.drs.interval', 5 * 60_000, { min: 10_000 });
  const detectionMs = causes.duration(spec.ha?.detection, 'spec.ha.detection', HA_DETECTION_MS, { min: 1_000 });
  const reprovisionMs = causes.duration(spec.bareMetal?.reprovision, 'spec.bareMetal.reprovision', BARE_METAL_REPROVISION_MS, { min: 1_000 });
  if (causes.count > 0 || topo === undefined) throw new ValidationError(causes.list.slice(0, MAX_CAUSES), ctx);
  return {
    name: file.metadata.name,
    description: file.metadata.description,
    seed: spec.seed ?? 1,
    startMs,
    durationMs,
    sampleIntervalMs,
    coreMHz: spec.coreMHz ?? 2000,
    topology: topo.topology,
    zones: topo.zones,
    tenants,
    clusters,
    workloads,
    churn,
    randomFailures,
    timeline,
    initialPlacement: spec.initialPlacement ?? 'spread',
    drs: { enabled: spec.drs?.enabled ?? true, threshold: spec.drs?.threshold ?? 3, intervalMs: drsIntervalMs },
    ha: { enabled: spec.ha?.enabled ?? true, detectionMs },
    bareMetal: { reprovisionMs },
  };
}

/** Parses YAML or JSON text (JSON is YAML) into a Scenario. */
export function parseScenarioText(text: string, source?: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    throw new ValidationError([{ field: '(document)', message: `not valid YAML or JSON: ${first}` }], { kind: 'Scenario', ...(source === undefined ? {} : { name: source }) });
  }
  return parseScenario(doc, source);
}

/** Reads and parses a scenario file. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  return parseScenarioText(await readFile(path, 'utf8'), path);
}
