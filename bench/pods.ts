/**
 * Pod scheduling benchmark at the Kubernetes envelope: 150,000 pods onto 5,000 node VMs of one
 * cluster, from Deployment creation to every pod bound, end to end through the store: the real
 * SQLite store, the shared informers and the workload controllers (deployment -> replicaset ->
 * pod scheduler) in this process, node VMs inserted directly as Running. Prints pods/s, p50/p99
 * per-pod decision time and peak RSS. One core (the event loop).
 *
 *   npm run build && node dist/bench/pods.js [--pods 150000] [--nodes 5000] [--deployments 150]
 */
import pino from 'pino';
import type { Deployment, Pod, Resource, VirtualMachine } from '../src/api/index.js';
import { RealClock, VirtualClock } from '../src/clock/index.js';
import { ControllerSet, type Informer, type Reconciler } from '../src/controllers/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { addWorkloadControllers } from '../src/workloads/index.js';
import { intArg, summarize } from './bench-util.js';

const PODS = intArg('pods', 150_000);
const NODES = intArg('nodes', 5_000);
const DEPLOYMENTS = intArg('deployments', 150);
const NAMESPACES = Math.max(1, Math.ceil(DEPLOYMENTS / 3));
const HOSTS = Math.max(1, Math.ceil(NODES / 10));
const ZONES = 4;
const CLUSTER = 'big';

function nodeVm(i: number): VirtualMachine {
  return {
    apiVersion: 'bulkhead.dev/v1',
    kind: 'VirtualMachine',
    metadata: { name: `${CLUSTER}-w${i}`, labels: { 'bulkhead.dev/cluster': CLUSTER, 'bulkhead.dev/role': 'worker' } },
    spec: { tenant: 'acme', cpus: 8, memoryMiB: 32768 },
    status: { phase: 'Running', host: `h-${i % HOSTS}`, zone: `z-${(i % HOSTS) % ZONES}` },
  };
}

function deployment(i: number, replicas: number): Deployment {
  const app = `app-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: `${CLUSTER}/ns-${i % NAMESPACES}` },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: `registry.local/team/${app}:1`, resources: { requests: { cpu: '100m', memory: '200Mi' } } }] } },
    },
  };
}

async function main(): Promise<void> {
  const clock = new RealClock();
  const infra = new VirtualClock(); // never advanced: kubelets wait, this measures binding
  const store = await openSqliteStore({ path: ':memory:' });
  const log = pino({ level: 'warn' });
  for (let i = 0; i < NODES; i += 500) {
    await store.transaction(async (tx) => {
      for (let k = i; k < Math.min(NODES, i + 500); k++) await tx.create(nodeVm(k));
    });
  }
  await store.create({ apiVersion: 'bulkhead.dev/v1', kind: 'Cluster', metadata: { name: CLUSTER }, spec: { tenant: 'acme' } });

  const set = new ControllerSet(store, clock, log);
  const informer = <T extends Resource>(kind: string): Informer<T> => set.informer<T>(kind);
  const addController = <R extends Reconciler>(build: (enq: (k: string) => void) => R, workers = 1): R => set.addController(build, workers);
  const ctl = addWorkloadControllers({ store, clock, infraClock: infra, log, seed: 1, informer, addController, onStart: () => undefined });
  let bound = 0;
  informer<Pod>('Pod').addHandlers({
    onUpdate: (o, p) => {
      if (!o.spec?.nodeName && p.spec?.nodeName) bound++;
    },
  });
  informer<VirtualMachine>('VirtualMachine');
  await set.start();

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  const per = Math.floor(PODS / DEPLOYMENTS);
  await Promise.all(Array.from({ length: DEPLOYMENTS }, (_, i) => store.create(deployment(i, i === DEPLOYMENTS - 1 ? PODS - per * (DEPLOYMENTS - 1) : per))));
  let lastReport = t0;
  while (bound < PODS) {
    await new Promise((r) => setTimeout(r, 50));
    const now = performance.now();
    if (now - lastReport > 5000) {
      process.stderr.write(`  ${bound} bound after ${((now - t0) / 1000).toFixed(1)} s\n`);
      lastReport = now;
    }
    if (now - t0 > 600_000) throw new Error(`only ${bound} of ${PODS} pods bound after 10 minutes`);
  }
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const d = summarize(ctl.podScheduler.decisionMicros);
  const unsched = ctl.podScheduler.unschedulableCount();
  const out = [
    `pods: ${PODS} onto ${NODES} node VMs (${HOSTS} hosts, ${ZONES} zones), ${DEPLOYMENTS} deployments in ${NAMESPACES} namespaces`,
    `deployment creation -> every pod bound: ${secs.toFixed(2)} s = ${Math.round(PODS / secs)} pods/s (end to end through the SQLite store)`,
    `per-pod decision: p50 ${d.p50} us, p99 ${d.p99} us, max ${d.max} us (${d.n} decisions, ${unsched} unschedulable)`,
    `control-plane RSS: peak ${(peakRss / 2 ** 20).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  await set.stop();
  process.stderr.write(`  store revision at the end: ${await store.revision()}\n`);
  await store.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
