/** Small valid scenario documents for the simulation's tests; tests change one field at a time. */

export type Doc = Record<string, unknown> & { spec: Record<string, unknown> };

/** Two tenants of one sensitivity level on four 16-core hosts, a steady and a bursty workload. */
export function smallScenario(overrides: Record<string, unknown> = {}): Doc {
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'Scenario',
    metadata: { name: 'small' },
    spec: {
      seed: 3,
      duration: '2h',
      sampleEvery: '1m',
      topology: {
        zones: [
          {
            name: 'zone-a',
            cpuOvercommitPercent: 100,
            hostGroups: [{ count: 4, namePrefix: 'h-', sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 8, memoryMiB: 131072, nicMbps: 25000 }],
          },
        ],
      },
      tenants: [
        { name: 'a', sensitivity: 'low' },
        { name: 'b', sensitivity: 'low' },
      ],
      plans: [{ name: 'p', controlPlane: { nodes: 1, cpus: 2, memoryMiB: 4096 }, worker: { cpus: 8, memoryMiB: 32768 } }],
      clusters: [
        { name: 'ca', tenant: 'a', plan: 'p', workers: 2 },
        { name: 'cb', tenant: 'b', plan: 'p', workers: 2 },
      ],
      workloads: [
        { name: 'web', cluster: 'ca', replicas: 4, requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '3' }, demand: { kind: 'constant', cpuMillis: 1800, memoryMiB: 1024 } },
        {
          name: 'job',
          cluster: 'cb',
          replicas: 4,
          requests: { cpu: '1', memory: '1Gi' },
          limits: { cpu: '6' },
          demand: { kind: 'bursty', cpuMillis: 200, memoryMiB: 512, burstCpuMillis: 6000, meanIntervalSeconds: 1200, meanDurationSeconds: 400, seed: 5 },
        },
      ],
      ...overrides,
    },
  };
}

/** A deep copy with `set(doc)` applied: one mistake per test case. */
export function variant(set: (d: Doc) => void, base: Doc = smallScenario()): Doc {
  const d = structuredClone(base);
  set(d);
  return d;
}

/** The shipped examples. */
export const EXAMPLES = ['examples/noisy-neighbour.yaml', 'examples/host-failure.yaml', 'examples/whatif-datacenter.yaml'] as const;
