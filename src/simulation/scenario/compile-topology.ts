/**
 * The topology part of a scenario: zones with their placement policy and host groups. Host groups
 * go through the infra layer's own `parseTopology` (DNS names, duplicate hosts, cores that divide
 * over NUMA nodes), its field paths moved under `spec.topology`.
 */
import { ValidationError } from '../../api/index.js';
import { expandTopology, parseTopology, type HostGroup, type Topology } from '../../infra/index.js';
import type { Causes } from './causes.js';
import type { ScenarioFileSpec } from './schema.js';
import type { ScenarioZone } from './types.js';

export interface CompiledTopology {
  readonly topology: Topology;
  readonly zones: readonly ScenarioZone[];
  /** Every host name, for timeline references. */
  readonly hosts: ReadonlySet<string>;
  /** Cores and memory of the largest host per zone, for size checks. */
  readonly largest: ReadonlyMap<string, { readonly cores: number; readonly memoryMiB: number }>;
}

export function compileTopology(spec: ScenarioFileSpec, causes: Causes): CompiledTopology | undefined {
  const raw = { zones: spec.topology.zones.map((z) => ({ name: z.name, ...(z.description === undefined ? {} : { description: z.description }), hostGroups: z.hostGroups })) };
  let topology: Topology;
  try {
    topology = parseTopology(raw);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    causes.addAll(e.causes.map((c) => ({ field: `spec.topology.${c.field}`, message: c.message })));
    return undefined;
  }
  const zones: ScenarioZone[] = spec.topology.zones.map((z) => ({
    name: z.name,
    isolation: z.isolation ?? 'per-sensitivity',
    cpuOvercommitPercent: z.cpuOvercommitPercent ?? 400,
    memoryOvercommitPercent: z.memoryOvercommitPercent ?? 100,
    hardware: topology.zones.find((t) => t.name === z.name)?.hostGroups[0] as HostGroup,
  }));
  const inv = expandTopology(topology);
  const largest = new Map<string, { cores: number; memoryMiB: number }>();
  for (const h of inv.hosts) {
    const l = largest.get(h.zone) ?? { cores: 0, memoryMiB: 0 };
    largest.set(h.zone, { cores: Math.max(l.cores, h.cores), memoryMiB: Math.max(l.memoryMiB, h.memoryMiB) });
  }
  return { topology, zones, hosts: new Set(inv.hosts.map((h) => h.name)), largest };
}
