/**
 * Cluster create of 100 workers: wall time for the control plane (cluster controller, placement,
 * VM controller) and the simulated datacenter to bring a `large` cluster (5 control-plane nodes +
 * 100 workers) to "create succeeded" with real-time durations off: everything runs on a virtual
 * clock advanced as fast as the CPU allows (the cluster controller's test bench: SQLite in
 * memory, the simulator, the controller manager). Also prints the simulated time the create models.
 *
 *   npm run build && node dist/bench/cluster-create.js [--workers 100] [--runs 3]
 */
import { actionDone, startBench } from '../src/controllers/clusters/testing.js';
import { fmt, intArg, median, note, printTable } from './bench-util.js';

interface RunResult {
  readonly wallS: number;
  readonly simS: number;
  readonly vms: number;
  readonly state: string;
}

async function once(workers: number): Promise<RunResult> {
  const b = await startBench();
  try {
    const sim0 = b.clock.now();
    const t0 = performance.now();
    await b.createCluster('big', { tenant: 'acme', plan: 'large', workers });
    await b.until(() => actionDone(b, 'big', 'create'), 24 * 3600_000, 'create finished');
    const wallS = (performance.now() - t0) / 1000;
    const simS = (b.clock.now() - sim0) / 1000;
    const c = await b.cluster('big');
    return { wallS, simS, vms: (await b.clusterVms('big')).length, state: c.status?.lastAction?.state ?? '?' };
  } finally {
    await b.close();
  }
}

async function main(): Promise<void> {
  const workers = intArg('workers', 100);
  const runs = intArg('runs', 3);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    note(`cluster-create: run ${i + 1}/${runs} (${workers} workers, plan large)`);
    results.push(await once(workers));
  }
  const rows = results.map((r, i) => [String(i + 1), fmt(r.wallS), fmt(r.simS, 0), String(r.vms), r.state]);
  rows.push(['median', fmt(median(results.map((r) => r.wallS))), fmt(median(results.map((r) => r.simS)), 0), String(results[0]?.vms ?? 0), '']);
  printTable(`cluster-create: plan large, 5 control-plane nodes + ${workers} workers, virtual clock`, ['run', 'wall s', 'simulated s', 'VMs', 'state'], rows);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
