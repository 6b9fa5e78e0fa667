/**
 * The scripted part of a scenario: timeline entries (each action with exactly the fields it uses),
 * standalone-VM churn and random host failures, with every reference checked.
 */
import type { Causes } from './causes.js';
import type { ScenarioFileSpec } from './schema.js';
import { RANDOM_HOST, type ChurnSpec, type RandomFailures, type ScenarioTenant, type ScenarioWorkload, type TimelineAction, type TimelineEvent } from './types.js';

export interface TimelineRefs {
  readonly hosts: ReadonlySet<string>;
  readonly zones: readonly string[];
  readonly tenants: readonly ScenarioTenant[];
  readonly workloads: readonly ScenarioWorkload[];
  /** Names of every cluster node. */
  readonly nodes: ReadonlySet<string>;
  readonly durationMs: number;
}

type Entry = NonNullable<ScenarioFileSpec['timeline']>[number];

/** The optional fields each action uses; any other is a mistake worth naming. */
const FIELDS: Readonly<Record<Entry['action'], readonly (keyof Entry)[]>> = {
  failHost: ['host', 'node', 'zone', 'recoverAfter'],
  recoverHost: ['host'],
  scale: ['workload', 'replicas'],
  load: ['workload', 'percent'],
};
const OPTIONAL: readonly (keyof Entry)[] = ['host', 'node', 'zone', 'recoverAfter', 'workload', 'replicas', 'percent'];

function action(e: Entry, p: string, refs: TimelineRefs, causes: Causes): TimelineAction | undefined {
  for (const f of OPTIONAL) if (e[f] !== undefined && !FIELDS[e.action].includes(f)) causes.add(`${p}.${f}`, `is not used by action ${e.action}`);
  const need = <K extends keyof Entry>(f: K): Entry[K] | undefined => {
    if (e[f] === undefined) causes.add(`${p}.${f}`, `required by action ${e.action}`);
    return e[f];
  };
  const host = (name: string | undefined, allowRandom: boolean): string | undefined => {
    if (name === undefined) return undefined;
    if (allowRandom && name === RANDOM_HOST) return name;
    if (!refs.hosts.has(name)) causes.add(`${p}.host`, `unknown host "${name}"${allowRandom ? ` (or "${RANDOM_HOST}")` : ''}`);
    return name;
  };
  const workload = (key: string | undefined): string | undefined => {
    if (key !== undefined && !refs.workloads.some((w) => w.key === key)) causes.add(`${p}.workload`, `unknown workload "${key}" (write <cluster>/<workload>)`);
    return key;
  };
  switch (e.action) {
    case 'failHost': {
      if ((e.host === undefined) === (e.node === undefined)) causes.add(`${p}.host`, 'failHost takes exactly one of host or node');
      const h = host(e.host, true);
      if (e.node !== undefined && !refs.nodes.has(e.node)) causes.add(`${p}.node`, `unknown cluster node "${e.node}" (nodes are <cluster>-cp-<i> and <cluster>-w-<i>)`);
      if (e.zone !== undefined && !refs.zones.includes(e.zone)) causes.add(`${p}.zone`, `unknown zone "${e.zone}"`);
      if (e.zone !== undefined && h !== RANDOM_HOST) causes.add(`${p}.zone`, `only used with host "${RANDOM_HOST}"`);
      const recoverAfterMs = e.recoverAfter === undefined ? undefined : causes.duration(e.recoverAfter, `${p}.recoverAfter`, 0, { min: 1 });
      return { kind: 'failHost', host: h, node: e.node, zone: e.zone, recoverAfterMs };
    }
    case 'recoverHost': {
      const h = host(need('host'), false);
      return h === undefined ? undefined : { kind: 'recoverHost', host: h };
    }
    case 'scale': {
      const w = workload(need('workload'));
      const replicas = need('replicas');
      return w === undefined || replicas === undefined ? undefined : { kind: 'scale', workload: w, replicas };
    }
    case 'load': {
      const w = workload(need('workload'));
      const percent = need('percent');
      return w === undefined || percent === undefined ? undefined : { kind: 'load', workload: w, percent };
    }
  }
}

export function compileTimeline(spec: ScenarioFileSpec, refs: TimelineRefs, causes: Causes): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  (spec.timeline ?? []).forEach((e, i) => {
    const p = `spec.timeline[${i}]`;
    const atMs = causes.duration(e.at, `${p}.at`, -1);
    if (atMs > refs.durationMs) causes.add(`${p}.at`, `"${e.at}" is after the end of the scenario`);
    const a = action(e, p, refs, causes);
    if (a !== undefined && atMs >= 0) out.push({ atMs, index: i, action: a });
  });
  return out.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

export function compileChurn(spec: ScenarioFileSpec, refs: TimelineRefs, causes: Causes): ChurnSpec[] {
  return (spec.churn ?? []).map((c, i) => {
    const p = `spec.churn[${i}]`;
    if (!refs.tenants.some((t) => t.name === c.tenant)) causes.add(`${p}.tenant`, `unknown tenant "${c.tenant}"`);
    if (c.zone !== undefined && !refs.zones.includes(c.zone)) causes.add(`${p}.zone`, `unknown zone "${c.zone}"`);
    return {
      tenant: c.tenant,
      perHour: c.perHour,
      meanLifetimeMs: causes.duration(c.meanLifetime, `${p}.meanLifetime`, 60_000, { min: 1_000 }),
      cpus: c.cpus,
      memoryMiB: c.memoryMiB,
      cpuDemandPercent: c.cpuDemandPercent ?? 50,
      zone: c.zone,
    };
  });
}

export function compileFaults(spec: ScenarioFileSpec, refs: TimelineRefs, causes: Causes): RandomFailures | undefined {
  const f = spec.faults?.randomHostFailures;
  if (f === undefined) return undefined;
  const p = 'spec.faults.randomHostFailures';
  f.zones?.forEach((z, j) => {
    if (!refs.zones.includes(z)) causes.add(`${p}.zones[${j}]`, `unknown zone "${z}"`);
  });
  const repairAfterMs = f.repairAfter === undefined ? undefined : causes.duration(f.repairAfter, `${p}.repairAfter`, 0, { min: 1 });
  return { perDay: f.perDay, repairAfterMs, zones: f.zones };
}
