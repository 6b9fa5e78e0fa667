/**
 * What-if simulation speed: one virtual day of a 1,000-host datacenter with churn and daily
 * failures, the containers-on-VMs design (the heavier one: scheduler, HA, DRS, live migration).
 * Target (issue 4): under 60 s of wall time.
 *
 * The scenario is generated, then goes through the scenario parser like a file would:
 * - 4 zones x 250 hosts (2 sockets x 16 cores, 512 GiB): two low-sensitivity zones at 4:1 CPU
 *   overcommit, one moderate (2:1), one high (1:1);
 * - 40 tenants, 5 clusters each (medium plan: 3 control-plane VMs, 4-8 workers), 2 workloads per
 *   cluster (diurnal and bursty) of 10 pods each;
 * - churn: standalone VMs arriving at 80 an hour in the low zones, living 2 h on average;
 * - 10 random host failures a day (1 % of the hosts), repaired after 4 h;
 * - samples (contention model over every VM and pod) and DRS passes every 5 minutes.
 *
 * Prints wall time (median of --runs), events (engine events + simulated-datacenter events +
 * migrations) and events/s, and what the day contained.
 *
 *   npm run build && node dist/bench/sim-day.js [--hosts 1000] [--runs 3]
 */
import { parseScenario, runDesign, type DesignResult } from '../src/simulation/index.js';
import { fmt, intArg, median, note, printTable } from './bench-util.js';

const ZONES = [
  { name: 'general-a', isolation: 'per-sensitivity', cpuOvercommitPercent: 400, level: 'low' },
  { name: 'general-b', isolation: 'per-sensitivity', cpuOvercommitPercent: 400, level: 'low' },
  { name: 'regulated', isolation: 'per-sensitivity', cpuOvercommitPercent: 200, level: 'moderate' },
  { name: 'restricted', isolation: 'per-sensitivity', cpuOvercommitPercent: 100, level: 'high' },
] as const;

/** The scenario document, as a file would hold it. */
export function dayScenario(hosts: number): unknown {
  const perZone = Math.max(2, Math.floor(hosts / ZONES.length));
  const tenants: unknown[] = [];
  const clusters: unknown[] = [];
  const workloads: unknown[] = [];
  const churn: unknown[] = [];
  const tenantCount = Math.max(4, Math.round((40 * hosts) / 1000));
  for (let t = 0; t < tenantCount; t++) {
    // Tenants 0-23 low (two zones), 24-33 moderate, 34-39 high, per 40.
    const k = t % 40;
    const zone = (k < 24 ? ZONES[k % 2] : k < 34 ? ZONES[2] : ZONES[3]) as (typeof ZONES)[number];
    const name = `t${t}`;
    tenants.push({ name, sensitivity: zone.level, zones: [zone.name] });
    for (let c = 0; c < 5; c++) {
      const cluster = `${name}-c${c}`;
      clusters.push({ name: cluster, tenant: name, plan: 'medium', workers: 4 + ((t + c) % 5) });
      workloads.push({
        name: 'web',
        cluster,
        replicas: 10,
        requests: { cpu: '250m', memory: '512Mi' },
        limits: { cpu: '1', memory: '1Gi' },
        demand: { kind: 'diurnal', cpuMillis: 300, memoryMiB: 400, amplitudePercent: 50, peakMinuteUtc: (t * 37) % 1440 },
      });
      workloads.push({
        name: 'batch',
        cluster,
        replicas: 10,
        requests: { cpu: '250m', memory: '512Mi' },
        limits: { cpu: '2', memory: '1Gi' },
        demand: { kind: 'bursty', cpuMillis: 100, memoryMiB: 300, burstCpuMillis: 1500, meanIntervalSeconds: 7200, meanDurationSeconds: 900, seed: t * 5 + c },
      });
    }
    if (k < 8) churn.push({ tenant: name, perHour: (10 * hosts) / 1000, meanLifetime: '2h', cpus: 2, memoryMiB: 4096, cpuDemandPercent: 40 });
  }
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'Scenario',
    metadata: { name: `sim-day-${hosts}` },
    spec: {
      seed: 1,
      duration: '24h',
      sampleEvery: '5m',
      topology: {
        zones: ZONES.map((z) => ({
          name: z.name,
          isolation: z.isolation,
          cpuOvercommitPercent: z.cpuOvercommitPercent,
          hostGroups: [{ count: perZone, namePrefix: `${z.name}-`, sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 16, memoryMiB: 524288, nicMbps: 25000 }],
        })),
      },
      tenants,
      clusters,
      workloads,
      churn,
      faults: { randomHostFailures: { perDay: Math.max(1, Math.round(hosts / 100)), repairAfter: '4h' } },
    },
  };
}

async function main(): Promise<void> {
  const hosts = intArg('hosts', 1000);
  const runs = intArg('runs', 3);
  const scenario = parseScenario(dayScenario(hosts), `sim-day-${hosts}`);
  const walls: number[] = [];
  let last: DesignResult | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await runDesign(scenario, 'vm');
    walls.push((performance.now() - t0) / 1000);
    note(`run ${i + 1}/${runs}: ${walls.at(-1)?.toFixed(2)} s`);
  }
  if (!last) return;
  const wall = median(walls);
  const vms = last.samples.at(-1)?.runningMachines ?? 0;
  const pods = last.samples.at(-1)?.runningPods ?? 0;
  const c = last.counters;
  printTable(
    `sim-day: 1 virtual day, ${last.hosts.length} hosts, containers on VMs (median of ${runs} runs; target < 60 s)`,
    ['wall s', 'events', 'events/s', 'samples', 'VMs', 'pods', 'churn VMs', 'host failures', 'HA restarts', 'DRS passes', 'migrations'],
    [[fmt(wall, 2), String(last.events), fmt(last.events / wall, 0), String(last.samples.length), String(vms), String(pods), `${c.churnCreated}/${c.churnDeleted}`, String(last.failures.length), String(c.haRestarts), String(c.drsPasses), String(c.migrations)]],
  );
  printTable('wall time per run', ['run', 'wall s'], walls.map((w, i) => [String(i + 1), fmt(w, 2)]));
}

await main();
