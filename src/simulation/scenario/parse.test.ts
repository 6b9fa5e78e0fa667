import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../api/index.js';
import { EXAMPLES, smallScenario, variant, type Doc } from '../fixtures.test-util.js';
import { loadScenarioFile, parseScenario, parseScenarioText } from './parse.js';

type Rec = Record<string, unknown>;
const at = (d: Doc, key: string): Rec[] => d.spec[key] as Rec[];

function fieldsOf(doc: unknown): string[] {
  try {
    parseScenario(doc, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).causes.map((c) => c.field);
  }
  throw new Error('expected a ValidationError');
}

describe('parseScenario', () => {
  it('compiles a valid scenario with defaults applied', () => {
    const s = parseScenario(smallScenario());
    expect(s.durationMs).toBe(2 * 3_600_000);
    expect(s.sampleIntervalMs).toBe(60_000);
    expect(s.drs).toEqual({ enabled: true, threshold: 3, intervalMs: 300_000 });
    expect(s.ha.detectionMs).toBe(15_000);
    expect(s.bareMetal.reprovisionMs).toBe(15 * 60_000);
    expect(s.clusters[0]).toMatchObject({ name: 'ca', controlPlaneNodes: 1, workers: 2, worker: { cpus: 8, memoryMiB: 32768 }, zones: ['zone-a'] });
    expect(s.workloads[0]).toMatchObject({ key: 'ca/web', tenant: 'a', requestMillis: 1000, requestMiB: 1024, limitMillis: 3000, limitMiB: undefined });
    expect(s.zones[0]).toMatchObject({ isolation: 'per-sensitivity', cpuOvercommitPercent: 100, memoryOvercommitPercent: 100 });
  });

  it('defaults a missing demand profile to constant at the requests', () => {
    const s = parseScenario(variant((d) => delete (at(d, 'workloads')[0] as Rec).demand));
    expect(s.workloads[0]?.demand).toEqual({ kind: 'constant', cpuMillis: 1000, memoryMiB: 1024 });
  });

  it('sorts the timeline by time, then file order', () => {
    const s = parseScenario(
      smallScenario({
        timeline: [
          { at: '1h', action: 'load', workload: 'ca/web', percent: 150 },
          { at: '30m', action: 'failHost', host: 'h-02', recoverAfter: '20m' },
          { at: '1h', action: 'scale', workload: 'cb/job', replicas: 2 },
        ],
      }),
    );
    expect(s.timeline.map((e) => [e.atMs, e.action.kind])).toEqual([
      [1_800_000, 'failHost'],
      [3_600_000, 'load'],
      [3_600_000, 'scale'],
    ]);
  });

  // Each bad document names the field at fault (table-driven: the cases are data).
  const cases: [string, string, (d: Doc) => void][] = [
    ['unknown top-level spec field', 'spec.colour', (d) => (d.spec.colour = 'blue')],
    ['wrong kind', 'kind', (d) => (d.kind = 'Topology')],
    ['duration not a duration', 'spec.duration', (d) => (d.spec.duration = 'two hours')],
    ['sample interval too short', 'spec.sampleEvery', (d) => (d.spec.sampleEvery = '10ms')],
    ['replicas negative', 'spec.workloads[0].replicas', (d) => ((at(d, 'workloads')[0] as Rec).replicas = -1)],
    ['cluster of an unknown tenant', 'spec.clusters[1].tenant', (d) => ((at(d, 'clusters')[1] as Rec).tenant = 'nobody')],
    ['cluster with an unknown plan', 'spec.clusters[0].plan', (d) => ((at(d, 'clusters')[0] as Rec).plan = 'huge')],
    ['duplicate tenant', 'spec.tenants[1].name', (d) => ((at(d, 'tenants')[1] as Rec).name = 'a')],
    ['workload of an unknown cluster', 'spec.workloads[0].cluster', (d) => ((at(d, 'workloads')[0] as Rec).cluster = 'cz')],
    ['limit below request', 'spec.workloads[0].limits.cpu', (d) => ((at(d, 'workloads')[0] as Rec).limits = { cpu: '500m' })],
    ['bad quantity', 'spec.workloads[0].requests.cpu', (d) => ((at(d, 'workloads')[0] as Rec).requests = { cpu: 'lots', memory: '1Gi' })],
    ['bad demand profile', 'spec.workloads[1].demand.kind', (d) => ((at(d, 'workloads')[1] as Rec).demand = { kind: 'spiky' })],
    ['pod larger than a worker', 'spec.workloads[0].requests', (d) => Object.assign(at(d, 'workloads')[0] as Rec, { requests: { cpu: '9', memory: '1Gi' }, limits: { cpu: '9' } })],
    ['cores that do not divide over NUMA nodes', 'spec.topology.zones[0].hostGroups[0].coresPerSocket', (d) => (((d.spec.topology as Rec).zones as Rec[])[0] as { hostGroups: Rec[] }).hostGroups.forEach((g) => Object.assign(g, { numaNodesPerSocket: 3 }))],
    ['worker larger than any host', 'spec.clusters[0].plan', (d) => ((at(d, 'plans')[0] as Rec).worker = { cpus: 64, memoryMiB: 1024 })],
    ['timeline host unknown', 'spec.timeline[0].host', (d) => (d.spec.timeline = [{ at: '1h', action: 'failHost', host: 'h-99' }])],
    ['timeline node unknown', 'spec.timeline[0].node', (d) => (d.spec.timeline = [{ at: '1h', action: 'failHost', node: 'ca-w-7' }])],
    ['failHost with host and node', 'spec.timeline[0].host', (d) => (d.spec.timeline = [{ at: '1h', action: 'failHost', host: 'h-01', node: 'ca-w-0' }])],
    ['field another action uses', 'spec.timeline[0].replicas', (d) => (d.spec.timeline = [{ at: '1h', action: 'recoverHost', host: 'h-01', replicas: 3 }])],
    ['scale without replicas', 'spec.timeline[0].replicas', (d) => (d.spec.timeline = [{ at: '1h', action: 'scale', workload: 'ca/web' }])],
    ['event after the end', 'spec.timeline[0].at', (d) => (d.spec.timeline = [{ at: '3h', action: 'load', workload: 'ca/web', percent: 50 }])],
    ['churn of an unknown tenant', 'spec.churn[0].tenant', (d) => (d.spec.churn = [{ tenant: 'zz', perHour: 1, meanLifetime: '1h', cpus: 2, memoryMiB: 2048 }])],
    ['random failures in an unknown zone', 'spec.faults.randomHostFailures.zones[0]', (d) => (d.spec.faults = { randomHostFailures: { perDay: 1, zones: ['zone-q'] } })],
  ];
  it.each(cases)('%s -> names %s', (_name, field, set) => {
    expect(fieldsOf(variant(set))).toContain(field);
  });

  it('puts every problem in one line of the error message, prefixed with the file', () => {
    const doc = variant((d) => {
      (at(d, 'workloads')[0] as Rec).replicas = 1.5;
    });
    expect(() => parseScenario(doc, 'bad.yaml')).toThrow(/^Scenario "bad.yaml" is invalid: spec\.workloads\[0\]\.replicas: [^\n]+$/);
  });

  it('reports YAML syntax errors as a document error', () => {
    expect(() => parseScenarioText('spec: [unclosed', 'x.yaml')).toThrow(/\(document\): not valid YAML or JSON/);
  });
});

describe('shipped examples', () => {
  it.each(EXAMPLES)('%s parses', async (file) => {
    const s = await loadScenarioFile(file);
    expect(s.clusters.length).toBeGreaterThan(0);
    expect(s.workloads.length).toBeGreaterThan(0);
  });
});
