// Property (issue 3, part 7): the whole control plane (real store, simulated datacenter of 2 zones
// x 4 hosts, one per-sensitivity and one per-tenant zone, the clusters and workloads controllers)
// driven by random steps on the virtual clock: tenants of random sensitivity, clusters of 1-4
// workers, deployments of 1-6 small replicas, resizes, upgrades, host failures and recoveries,
// deletions, each followed by 60-120 virtual seconds. After every step no isolation, ownership or
// capacity invariant is broken (invariants.test-util.ts: safetyViolations); after the system
// settles (10+ virtual minutes with no new fault) no pod is lost and every cluster not in meltdown
// has all its nodes Running again (livenessViolations).
//
// `npm test` runs 50 cases of 6-10 steps per property with seed 42 (a few seconds). Longer runs:
//   BULKHEAD_PROPERTY_RUNS=2000 npx vitest run src/workloads/isolation-invariants.property.test.ts
//   BULKHEAD_PROPERTY_RUNS=500 BULKHEAD_PROPERTY_SEED=7 npx vitest run src/workloads/isolation-invariants.property.test.ts
// The seed also seeds the simulated datacenter. A failure prints the steps taken and fast-check's
// seed and path; replay just the shrunk case with BULKHEAD_PROPERTY_SEED=<seed> BULKHEAD_PROPERTY_PATH=<path>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, SENSITIVITY_LEVELS } from '../api/index.js';
import {
  DENSE_PLAN,
  createCluster,
  createDeployment,
  createTenant,
  livenessViolations,
  readWorld,
  safetyViolations,
  startControlPlane,
  updateCluster,
  type ControlPlane,
  type DeploymentOrigin,
} from './invariants.test-util.js';

const RUNS = Number(process.env['BULKHEAD_PROPERTY_RUNS'] ?? 50);
const SEED = Number(process.env['BULKHEAD_PROPERTY_SEED'] ?? 42);
/** fast-check's replay path of a failure (with its seed), to rerun just the shrunk counterexample. */
const PATH = process.env['BULKHEAD_PROPERTY_PATH'];
const MAX_LIVE_CLUSTERS = 4;
const MAX_FAILED_HOSTS = 2;
const VERSIONS = ['1.30', '1.31', '1.29'];

type Step =
  | { readonly kind: 'tenant'; readonly sensitivity: (typeof SENSITIVITY_LEVELS)[number] }
  | { readonly kind: 'cluster'; readonly tenant: number; readonly plan: string; readonly workers: number; readonly name: number }
  | { readonly kind: 'deploy'; readonly cluster: number; readonly replicas: number; readonly cpu: string; readonly memory: string }
  | { readonly kind: 'resize'; readonly cluster: number; readonly workers: number }
  | { readonly kind: 'upgrade'; readonly cluster: number; readonly version: number }
  | { readonly kind: 'failHost'; readonly host: number }
  | { readonly kind: 'recoverHost'; readonly host: number }
  | { readonly kind: 'deleteDeployment'; readonly deployment: number }
  | { readonly kind: 'deleteCluster'; readonly cluster: number }
  | { readonly kind: 'settle' };

/** A step and the virtual seconds to let pass after it. */
type Timed = { readonly step: Step; readonly waitS: number };

const pick = fc.nat({ max: 15 });
const stepArb = (names: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('tenant' as const), sensitivity: fc.constantFrom(...SENSITIVITY_LEVELS) }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant('cluster' as const), tenant: pick, plan: fc.constantFrom('small', DENSE_PLAN), workers: fc.integer({ min: 1, max: 4 }), name: fc.nat({ max: names - 1 }) }),
      weight: 3,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('deploy' as const), cluster: pick, replicas: fc.integer({ min: 1, max: 6 }), cpu: fc.constantFrom('50m', '100m', '250m'), memory: fc.constantFrom('64Mi', '128Mi', '256Mi') }),
      weight: 4,
    },
    { arbitrary: fc.record({ kind: fc.constant('resize' as const), cluster: pick, workers: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('upgrade' as const), cluster: pick, version: fc.nat({ max: VERSIONS.length - 1 }) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('failHost' as const), host: pick }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('recoverHost' as const), host: pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('deleteDeployment' as const), deployment: pick }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('deleteCluster' as const), cluster: pick }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'settle' as const }), weight: 1 },
  );

/** Tenants to start with, then 6-10 timed steps. `names` > 0 lets cluster names repeat from a pool of that size. */
const scenarioArb = (names: number) =>
  fc.record({
    tenants: fc.array(fc.constantFrom(...SENSITIVITY_LEVELS), { minLength: 1, maxLength: 3 }),
    steps: fc.array(fc.record({ step: stepArb(Math.max(1, names)), waitS: fc.integer({ min: 60, max: 120 }) }), { minLength: 6, maxLength: 10 }),
  });

interface ModelCluster {
  readonly name: string;
  readonly uid: string;
  readonly tenant: string;
  deleted: boolean;
}

/** What the test remembers of what it asked for; the invariants compare the store against it. */
class Model {
  readonly tenants: string[] = [];
  readonly clusters: ModelCluster[] = [];
  readonly deployments: { readonly ns: string; readonly name: string; readonly uid: string; deleted: boolean }[] = [];
  readonly origins = new Map<string, DeploymentOrigin>();
  readonly failed = new Set<string>();
  /** Virtual times of the host failures injected. */
  readonly faultTimes: number[] = [];
  counter = 0;
  readonly log: string[] = [];
  liveClusters = () => this.clusters.filter((c) => !c.deleted);
}

const at = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);

async function apply(cp: ControlPlane, m: Model, s: Step, uniqueNames: boolean): Promise<void> {
  const { store } = cp;
  switch (s.kind) {
    case 'tenant': {
      const name = `t${m.tenants.length}`;
      await createTenant(store, name, s.sensitivity);
      m.tenants.push(name);
      return void m.log.push(`tenant ${name} ${s.sensitivity}`);
    }
    case 'cluster': {
      const tenant = at(m.tenants, s.tenant);
      if (!tenant || m.liveClusters().length >= MAX_LIVE_CLUSTERS) return void m.log.push('cluster: skipped');
      const name = uniqueNames ? `c${m.counter++}` : `c${s.name}`;
      if (await store.tryGet('Cluster', '', name)) return void m.log.push(`cluster ${name}: name taken, skipped`);
      const c = await createCluster(store, name, tenant, s.plan, s.workers);
      m.clusters.push({ name, uid: c.metadata.uid ?? '', tenant, deleted: false });
      return void m.log.push(`cluster ${name} tenant ${tenant} plan ${s.plan} workers ${s.workers}`);
    }
    case 'deploy': {
      const c = at(m.liveClusters(), s.cluster);
      if (!c) return void m.log.push('deploy: skipped');
      const name = `d${m.counter++}`;
      const d = await createDeployment(store, c.name, name, s.replicas, s.cpu, s.memory);
      m.deployments.push({ ns: d.metadata.namespace ?? '', name, uid: d.metadata.uid ?? '', deleted: false });
      m.origins.set(d.metadata.uid ?? '', { cluster: c.name, clusterUid: c.uid, tenant: c.tenant });
      return void m.log.push(`deploy ${c.name}/app/${name} x${s.replicas} ${s.cpu}/${s.memory}`);
    }
    case 'resize':
    case 'upgrade': {
      const c = at(m.liveClusters(), s.cluster);
      if (!c) return void m.log.push(`${s.kind}: skipped`);
      const patch = s.kind === 'resize' ? { workers: s.workers } : { kubernetesVersion: VERSIONS[s.version] ?? '1.30' };
      try {
        await updateCluster(store, c.name, patch);
        return void m.log.push(`${s.kind} ${c.name} ${JSON.stringify(patch)}`);
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        return void m.log.push(`${s.kind} ${c.name} ${JSON.stringify(patch)}: refused (${e.message})`);
      }
    }
    case 'failHost': {
      const up = cp.hosts.filter((h) => !m.failed.has(h));
      const h = at(up, s.host);
      if (!h || m.failed.size >= MAX_FAILED_HOSTS) return void m.log.push('failHost: skipped');
      await cp.driver.faults.failHost(h, 'property test');
      m.failed.add(h);
      m.faultTimes.push(cp.clock.now());
      return void m.log.push(`failHost ${h}`);
    }
    case 'recoverHost': {
      const h = at([...m.failed], s.host);
      if (!h) return void m.log.push('recoverHost: skipped');
      await cp.driver.faults.recoverHost(h);
      m.failed.delete(h);
      return void m.log.push(`recoverHost ${h}`);
    }
    case 'deleteDeployment': {
      const d = at(m.deployments.filter((x) => !x.deleted), s.deployment);
      if (!d) return void m.log.push('deleteDeployment: skipped');
      d.deleted = true;
      try {
        await store.delete('Deployment', d.ns, d.name);
      } catch (err) {
        // Deleting its cluster already removed it (the model wrote it straight to the store, past
        // the API's refusal of new objects in a terminating cluster).
        if (!(err instanceof NotFoundError)) throw err;
        return void m.log.push(`deleteDeployment ${d.ns}/${d.name}: already gone with its cluster`);
      }
      return void m.log.push(`deleteDeployment ${d.ns}/${d.name}`);
    }
    case 'deleteCluster': {
      const c = at(m.liveClusters(), s.cluster);
      if (!c) return void m.log.push('deleteCluster: skipped');
      await store.delete('Cluster', '', c.name);
      c.deleted = true;
      // Its deployments keep their origin: they must never run on a later cluster of the same name.
      return void m.log.push(`deleteCluster ${c.name}`);
    }
    case 'settle':
      await settle(cp, m);
      return void m.log.push('settle');
  }
}

const SETTLE_MS = 600_000;

/** Lets 10 virtual minutes pass with no fault injected, then up to 10 more until liveness holds; asserts it. */
async function settle(cp: ControlPlane, m: Model): Promise<void> {
  await cp.advance(SETTLE_MS);
  let problems = livenessViolations(await readWorld(cp.store), m.origins, m.faultTimes);
  for (let t = 0; problems.length > 0 && t < SETTLE_MS; t += 30_000) {
    await cp.advance(30_000);
    problems = livenessViolations(await readWorld(cp.store), m.origins, m.faultTimes);
  }
  expect(problems, `not settled after ${m.log.length} steps:\n  ${m.log.join('\n  ')}`).toEqual([]);
}

async function runScenario(sc: { tenants: readonly (typeof SENSITIVITY_LEVELS)[number][]; steps: readonly Timed[] }, uniqueNames: boolean): Promise<void> {
  const cp = await startControlPlane(SEED);
  const m = new Model();
  try {
    for (const s of sc.tenants) await apply(cp, m, { kind: 'tenant', sensitivity: s }, uniqueNames);
    for (const { step, waitS } of sc.steps) {
      await apply(cp, m, step, uniqueNames);
      await cp.advance(waitS * 1000);
      const broken = safetyViolations(await readWorld(cp.store), m.origins);
      expect(broken, `after ${m.log.length} steps:\n  ${m.log.join('\n  ')}`).toEqual([]);
    }
    await settle(cp, m);
  } finally {
    await cp.close();
  }
}

const timeoutMs = (runs: number) => 60_000 + runs * 30_000;

describe('isolation invariants of the whole control plane (property)', () => {
  it('hold after every step of random tenants, clusters, deployments, resizes, upgrades, host failures and deletions; nothing is lost once settled', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(0), (sc) => runScenario(sc, true)),
      { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH, endOnFailure: true } : {}) },
    );
  }, timeoutMs(RUNS));

  // Cluster names are global: a deleted cluster's name may be taken again, by any tenant. Found by
  // this property (seed 42, shrunk to: tenant t0; cluster c1; deploy c1/app/d0; delete c1; create c1
  // again): deletion left the workloads behind and the new cluster's nodes ran the old pods. Cluster
  // deletion now removes the workloads first (src/controllers/clusters/workload-cleanup.ts).
  it("hold when a deleted cluster's name is taken again, possibly by another tenant", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb(2), (sc) => runScenario(sc, false)),
      { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH, endOnFailure: true } : {}) },
    );
  }, timeoutMs(RUNS));
});
