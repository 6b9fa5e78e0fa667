/**
 * DRS and HA benchmark, on one core:
 * - DRS: 1,000 hosts (64 cores × 2.4 GHz, 512 GiB, 25 GbE) and 20,000 VMs of mixed entitlement,
 *   placed skewed (a fifth of the hosts get twice their share), with 1,000 must anti-affinity
 *   pairs and 200 must affinity pairs. Passes run until the imbalance is below target (threshold
 *   3), at most `--passes`; each pass's recommendations are applied before the next. Prints the
 *   wall time of each pass, moves, imbalance, and moves against a lower bound: per host above
 *   mean + target, the fewest VMs (largest first) whose departure brings it down to mean + target.
 * - HA: 5,000 hosts (128 vCPU, 512 GiB) and 100,000 VMs; one host fails; times `planRestarts`
 *   (the whole call: building the ledger and capacity from 100k VMs, then placing).
 * - DRS through the balance controller's path: the same zone as store objects (Host, Zone, Tenant,
 *   VirtualMachine with a demand-profile annotation), each pass = the contention model
 *   (`computeUsage`: demand, pool tree, entitlements, ready, top totals) + the DRS state + the
 *   scheduler's own filters as `canPlace` (`schedulerCanPlace` over all 20,000 VMs) + `planDrsPass`;
 *   the recommendations are applied to the VMs' `status.host` before the next pass.
 * Each figure is the median of `--runs` runs (same seed: the work is identical, the time varies).
 *
 *   npm run build && node dist/bench/drs.js [--hosts 1000] [--vms 20000] [--passes 3]
 *       [--ha-hosts 5000] [--ha-vms 100000] [--runs 3]
 */
import { API_VERSION, type Host, type Tenant, type VirtualMachine, type Zone } from '../src/api/index.js';
import { computeUsage, drsStateOf } from '../src/balance/index.js';
import { Random } from '../src/clock/index.js';
import {
  applyRecommendations,
  measureImbalance,
  planDrsPass,
  schedulerCanPlace,
  utilizationWeights,
  type DrsRule,
  type DrsState,
  type DrsVm,
} from '../src/drs/index.js';
import { planRestarts, RESTART_PRIORITIES, type HaVm, type HaZone } from '../src/ha/index.js';
import { fmt, intArg, median, note, printTable } from './bench-util.js';

const GiB = 1024;

function drsZone(hostCount: number, vmCount: number, seed: number): { state: DrsState; rules: DrsRule[] } {
  const rng = new Random(seed);
  const hosts = Array.from({ length: hostCount }, (_, i) => ({ name: `h-${i}`, cpuMHz: 64 * 2_400, memoryMiB: 512 * GiB, nicMbps: 25_000 }));
  const hot = Math.floor(hostCount / 5);
  const vms: DrsVm[] = Array.from({ length: vmCount }, (_, i) => {
    // Two fifths of the VMs land on the hot fifth of the hosts.
    const host = rng.next() < 0.4 ? rng.int(0, hot - 1) : rng.int(hot, hostCount - 1);
    const size = rng.next();
    const cpuMHz = Math.round(300 + size * size * 7_000);
    const memGiB = 1 + Math.floor(rng.next() * rng.next() * 32);
    return { name: `vm-${i}`, host: `h-${host}`, cpuMHz, memoryMiB: memGiB * GiB, dirtyRateMBps: 20 + rng.int(0, 300), demandStability: 0.5 + rng.next() / 2 };
  });
  const byHost = new Map<string, string[]>();
  for (const v of vms) {
    const list = byHost.get(v.host);
    if (list === undefined) byHost.set(v.host, [v.name]);
    else list.push(v.name);
  }
  const rules: DrsRule[] = [];
  for (let i = 0; rules.length < 1_000 && i < vmCount; i++) {
    const a = vms[rng.int(0, vmCount - 1)] as DrsVm;
    const b = vms[rng.int(0, vmCount - 1)] as DrsVm;
    if (a.host !== b.host) rules.push({ name: `anti-${rules.length}`, type: 'vmAntiAffinity', vms: [a.name, b.name] });
  }
  const used = new Set(rules.flatMap((r) => r.vms));
  let k = 0;
  for (const names of byHost.values()) {
    const free = names.filter((n) => !used.has(n));
    if (free.length >= 2 && k < 200) {
      rules.push({ name: `aff-${k++}`, type: 'vmAffinity', vms: [free[0] as string, free[1] as string] });
    }
  }
  return { state: { hosts, vms }, rules };
}

/** Per host above mean + target: fewest VMs (largest load first) that must leave to get down to it. */
function lowerBound(state: DrsState, target: number): number {
  const weights = utilizationWeights(state);
  const m = measureImbalance(state, weights);
  const mean = m.hosts.reduce((a, h) => a + h.combined, 0) / m.hosts.length;
  const cap = new Map(state.hosts.map((h) => [h.name, h]));
  const loads = new Map<string, number[]>();
  for (const v of state.vms) {
    const h = cap.get(v.host);
    if (h === undefined) continue;
    const l = weights.cpu * (v.cpuMHz / h.cpuMHz) + weights.memory * (v.memoryMiB / h.memoryMiB);
    const list = loads.get(v.host);
    if (list === undefined) loads.set(v.host, [l]);
    else list.push(l);
  }
  let needed = 0;
  for (const h of m.hosts) {
    let excess = h.combined - (mean + target);
    for (const l of (loads.get(h.host) ?? []).sort((a, b) => b - a)) {
      if (excess <= 0) break;
      excess -= l;
      needed++;
    }
  }
  return needed;
}

interface PassFigures {
  readonly ms: number;
  /** This process's CPU time for the pass: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly moves: number;
  readonly before: number;
  readonly after: number;
  readonly evaluated: number;
}

interface DrsRun {
  readonly target: number;
  readonly passes: readonly PassFigures[];
  readonly bound: number;
  readonly converged: boolean;
}

function runDrs(hostCount: number, vmCount: number, maxPasses: number, seed: number): DrsRun {
  const { state: start, rules } = drsZone(hostCount, vmCount, seed);
  let state = start;
  const passes: PassFigures[] = [];
  let target = 0;
  for (let p = 0; p < maxPasses; p++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = planDrsPass(state, { rules });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    target = r.target;
    passes.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, moves: r.recommendations.length, before: r.before.imbalance, after: r.after.imbalance, evaluated: r.evaluated });
    state = applyRecommendations(state, r.recommendations);
    if (r.after.imbalance <= r.target) break;
  }
  const last = passes[passes.length - 1];
  return { target, passes, bound: lowerBound(start, target), converged: last !== undefined && last.after <= target };
}

function haZone(hostCount: number, vmCount: number, seed: number): HaZone {
  const rng = new Random(seed);
  const hosts = Array.from({ length: hostCount }, (_, i) => ({ name: `h-${i}`, vcpus: 128, memoryMiB: 512 * GiB }));
  const vms: HaVm[] = Array.from({ length: vmCount }, (_, i) => ({
    name: `vm-${i}`,
    host: `h-${rng.int(0, hostCount - 1)}`,
    vcpus: rng.int(1, 8),
    memoryMiB: rng.int(1, 32) * GiB,
    restartPriority: RESTART_PRIORITIES[rng.int(0, RESTART_PRIORITIES.length - 2)],
  }));
  return { hosts, vms };
}

function runHa(hostCount: number, vmCount: number, failures: number, seed: number): { ms: number; cpuMs: number; lost: number; placed: number } {
  const zone = haZone(hostCount, vmCount, seed);
  const failed = Array.from({ length: failures }, (_, i) => `h-${i}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const plan = planRestarts({ zone, failedHosts: failed, now: 0 });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, lost: plan.placements.length + plan.pending.length + plan.abandoned.length, placed: plan.placements.length };
}

const hosts = intArg('hosts', 1_000);
const vmCount = intArg('vms', 20_000);
const maxPasses = intArg('passes', 3);
const haHosts = intArg('ha-hosts', 5_000);
const haVms = intArg('ha-vms', 100_000);
const runs = intArg('runs', 3);

note(`drs: ${hosts} hosts, ${vmCount} VMs, up to ${maxPasses} passes; ${runs} runs (node ${process.version})`);
const drsRuns: DrsRun[] = [];
for (let r = 0; r < runs; r++) {
  const x = runDrs(hosts, vmCount, maxPasses, 7);
  drsRuns.push(x);
  note(`  run ${r + 1}: ${x.passes.map((p) => `${fmt(p.ms, 0)} ms/${p.moves} moves`).join(', ')}; ${x.converged ? 'below' : 'NOT below'} target`);
}
const first = drsRuns[0] as DrsRun;
printTable(
  `DRS passes, ${hosts} hosts / ${vmCount} VMs, threshold 3 (target ${first.target.toFixed(5)}), median of ${runs} runs`,
  ['pass', 'wall ms', 'CPU ms', 'moves', 'imbalance before', 'after', 'candidates evaluated'],
  first.passes.map((p, i) => [
    String(i + 1),
    fmt(median(drsRuns.map((x) => x.passes[i]?.ms ?? NaN)), 0),
    fmt(median(drsRuns.map((x) => x.passes[i]?.cpuMs ?? NaN)), 0),
    String(p.moves),
    p.before.toFixed(5),
    p.after.toFixed(5),
    String(p.evaluated),
  ]),
);
const moves = first.passes.reduce((a, p) => a + p.moves, 0);
printTable(
  'DRS convergence',
  ['passes', 'below target', 'moves', 'lower bound', 'moves / bound'],
  [[String(first.passes.length), first.converged ? 'yes' : 'no', String(moves), String(first.bound), fmt(moves / first.bound)]],
);

/** The pure bench's zone as store objects (2,000 MHz cores, the model's default): demand = the pure bench's entitlement. */
function modelObjects(hostCount: number, count: number, seed: number): { hosts: Host[]; vms: VirtualMachine[]; zones: Zone[]; tenants: Tenant[]; rules: DrsRule[] } {
  const { state, rules } = drsZone(hostCount, count, seed);
  const hosts: Host[] = state.hosts.map((h) => ({
    apiVersion: API_VERSION,
    kind: 'Host',
    metadata: { name: h.name },
    spec: { zone: 'z', sockets: 2, cores: 64, memoryMiB: 512 * GiB, numaNodes: [0, 1].map((id) => ({ id, socket: id, cores: 32, memoryMiB: 256 * GiB })), nicMbps: 25_000 },
    status: { state: 'Ready' },
  }));
  const vms: VirtualMachine[] = state.vms.map((v, i) => {
    const cpus = Math.min(16, Math.max(1, Math.ceil(v.cpuMHz / 2_000)));
    const memoryMiB = v.memoryMiB;
    return {
      apiVersion: API_VERSION,
      kind: 'VirtualMachine',
      metadata: { name: v.name, annotations: { 'bulkhead.dev/demand-profile': JSON.stringify({ kind: 'constant', cpuMillis: Math.round((v.cpuMHz / 2_000) * 1000), memoryMiB }) } },
      spec: { tenant: `t${i % 20}`, cpus, memoryMiB, sensitivity: 'low', powerState: 'On' },
      status: { phase: 'Running', host: v.host, zone: 'z', numaNodes: [i % 2] },
    };
  });
  const zones: Zone[] = [{ apiVersion: API_VERSION, kind: 'Zone', metadata: { name: 'z' }, spec: { isolation: 'shared', cpuOvercommitPercent: 400, memoryOvercommitPercent: 100 } }];
  const tenants: Tenant[] = Array.from({ length: 20 }, (_, i) => ({ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name: `t${i}` }, spec: { sensitivity: 'low' } }));
  return { hosts, vms, zones, tenants, rules };
}

interface ModelPass {
  /** This process's CPU time for the whole pass: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly modelMs: number;
  readonly checkMs: number;
  readonly planMs: number;
  readonly totalMs: number;
  readonly moves: number;
  readonly before: number;
  readonly after: number;
  readonly target: number;
  readonly stop: string;
  /** Moves the scheduler's filters refused, by reason. */
  readonly refused: string;
}

function runModel(hostCount: number, count: number, maxPasses: number, seed: number): { passes: ModelPass[]; bound: number } {
  const objs = modelObjects(hostCount, count, seed);
  let vms = objs.vms;
  const out: ModelPass[] = [];
  let bound = 0;
  for (let p = 0; p < maxPasses; p++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const snapshot = computeUsage({ hosts: objs.hosts, vms, pods: [], pools: [] }, Date.UTC(2026, 0, 1));
    const state = drsStateOf('z', snapshot, objs.hosts, { has: () => false });
    const t1 = performance.now();
    const check = schedulerCanPlace({ hosts: objs.hosts, zones: objs.zones, tenants: objs.tenants, vms });
    const refused = new Map<string, number>();
    const canPlace: typeof check = (vm, host, view) => {
      const v = check(vm, host, view);
      if (!v.ok) refused.set(v.reason, (refused.get(v.reason) ?? 0) + 1);
      return v;
    };
    const t2 = performance.now();
    const r = planDrsPass(state, { rules: objs.rules, canPlace });
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    if (p === 0) bound = lowerBound(state, r.target);
    out.push({
      cpuMs: (cpu.user + cpu.system) / 1000,
      modelMs: t1 - t0,
      checkMs: t2 - t1,
      planMs: t3 - t2,
      totalMs: t3 - t0,
      moves: r.recommendations.length,
      before: r.before.imbalance,
      after: r.after.imbalance,
      target: r.target,
      stop: r.stopReason,
      refused: [...refused].map(([k, n]) => `${k} ${n}`).join(', ') || '-',
    });
    const to = new Map(r.recommendations.flatMap((m) => [m.vm, ...(m.together ?? [])].map((v) => [v, m.to] as const)));
    vms = vms.map((v) => {
      const dest = to.get(v.metadata.name);
      return dest === undefined ? v : { ...v, status: { ...v.status, host: dest } };
    });
    if (r.after.imbalance <= r.target) break;
  }
  return { passes: out, bound };
}

note(`drs through the balance model: ${hosts} hosts, ${vmCount} VMs`);
const modelResults = Array.from({ length: runs }, (_, r) => {
  const x = runModel(hosts, vmCount, maxPasses, 7);
  note(`  run ${r + 1}: ${x.passes.map((p) => `${fmt(p.totalMs, 0)} ms/${p.moves} moves`).join(', ')}`);
  return x;
});
const modelRuns = modelResults.map((x) => x.passes);
const firstModel = modelRuns[0] as ModelPass[];
printTable(
  `DRS pass through the balance model (contention model + scheduler filters + plan), ${hosts} hosts / ${vmCount} VMs, median of ${runs} runs`,
  ['pass', 'model ms', 'canPlace build ms', 'plan ms', 'total wall ms', 'total CPU ms', 'moves', 'imbalance before', 'after', 'target', 'stop', 'refused by filters'],
  firstModel.map((p, i) => {
    const med = (f: (x: ModelPass) => number) => fmt(median(modelRuns.map((x) => (x[i] ? f(x[i]) : NaN))), 0);
    return [
      String(i + 1),
      med((x) => x.modelMs),
      med((x) => x.checkMs),
      med((x) => x.planMs),
      med((x) => x.totalMs),
      med((x) => x.cpuMs),
      String(p.moves),
      p.before.toFixed(5),
      p.after.toFixed(5),
      p.target.toFixed(5),
      p.stop,
      p.refused,
    ];
  }),
);

const lastModel = firstModel[firstModel.length - 1];
const modelMoves = firstModel.reduce((a, p) => a + p.moves, 0);
const modelBound = modelResults[0]?.bound ?? 0;
printTable(
  'DRS convergence through the balance model',
  ['passes', 'below target', 'moves', 'lower bound', 'moves / bound'],
  [[String(firstModel.length), lastModel !== undefined && lastModel.after <= lastModel.target ? 'yes' : 'no', String(modelMoves), String(modelBound), fmt(modelMoves / modelBound)]],
);

note(`ha: ${haHosts} hosts, ${haVms} VMs`);
const haRows: string[][] = [];
for (const failures of [1, Math.max(1, Math.floor(haHosts / 100))]) {
  const xs = Array.from({ length: runs }, () => runHa(haHosts, haVms, failures, 11));
  const x = xs[0] as { lost: number; placed: number };
  haRows.push([String(failures), String(x.lost), String(x.placed), fmt(median(xs.map((y) => y.ms)), 1), fmt(median(xs.map((y) => y.cpuMs)), 1)]);
}
printTable(`HA restart plan, ${haHosts} hosts / ${haVms} VMs, median of ${runs} runs`, ['failed hosts', 'VMs to restart', 'placed', 'plan wall ms', 'CPU ms'], haRows);
