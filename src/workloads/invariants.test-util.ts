/**
 * The whole control plane in one process for the isolation-invariant property test: the real
 * SQLite store (':memory:'), a small simulated datacenter, the controller manager with the
 * clusters and workloads extensions wired as platform.ts wires them, all on one VirtualClock for
 * control-plane and infrastructure time (as the cluster bench does). Beside it, the invariants
 * read back from the store, each returning the list of what it found broken.
 */
import pino from 'pino';
import {
  API_VERSION,
  SENSITIVITY_LEVELS,
  getCondition,
  podRequests,
  type Cluster,
  type Deployment,
  type Host,
  type Plan,
  type Pod,
  type ReplicaSet,
  type Sensitivity,
  type Tenant,
  type VirtualMachine,
  type Zone,
} from '../api/index.js';
import { VirtualClock } from '../clock/index.js';
import { clustersExtension } from '../controllers/clusters/extension.js';
import { ControllerManager } from '../controllers/index.js';
import { createSimDriver, generateTopology, type SimDriver } from '../infra/index.js';
import { overcommitted } from '../scheduler/host-info.js';
import { allocatable } from '../scheduler/pods/index.js';
import { auditIsolation } from '../security/isolation-audit.js';
import { admitCluster } from '../server/admission-cluster.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { workloadsExtension } from './extension.js';

/** A plan with a low max pods per node, so that the max-pods filter is exercised. */
export const DENSE_PLAN = 'dense';
export const DENSE_MAX_PODS = 3;

/** The zone made per-tenant (the other stays per-sensitivity), so both isolation modes are exercised. */
export const PER_TENANT_ZONE = 'zone-b';

export interface ControlPlane {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly driver: SimDriver;
  readonly manager: ControllerManager;
  readonly hosts: readonly string[];
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const STEP_MS = 1_000;

/** Starts the control plane on a datacenter of 2 zones x 4 hosts (8 cores, 96 GiB each). */
export async function startControlPlane(seed: number): Promise<ControlPlane> {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  const store = await openSqliteStore({ path: ':memory:', now: () => clock.now() });
  const topology = generateTopology({ zones: 2, hostsPerZone: 4, sockets: 2, coresPerSocket: 4, memoryMiB: 96 * 1024 });
  const driver = createSimDriver({ clock, seed, topology });
  const log = pino({ level: 'silent' });
  const manager = new ControllerManager({ store, driver, clock, infraClock: clock, log, seed, heartbeatIntervalMs: driver.timings.heartbeatIntervalMs });
  // Zones the inventory sync finds already registered are kept: one of them is per-tenant.
  const inv = await driver.inventory();
  for (const z of inv.zones) {
    const isolation = z.name === PER_TENANT_ZONE ? 'per-tenant' : 'per-sensitivity';
    await store.create<Zone>({ apiVersion: API_VERSION, kind: 'Zone', metadata: { name: z.name }, spec: { isolation, cpuOvercommitPercent: 400, memoryOvercommitPercent: 100 } });
  }
  for (const ext of [clustersExtension, workloadsExtension]) await ext.bootstrap?.(store);
  const small = await store.get<Plan>('Plan', '', 'small');
  await store.create<Plan>({ ...small, metadata: { name: DENSE_PLAN }, spec: { ...small.spec!, description: 'small with few pods per node', maxPodsPerNode: DENSE_MAX_PODS } });
  for (const ext of [clustersExtension, workloadsExtension]) ext.controllers?.({ store, driver, clock, infraClock: clock, log, seed, ...manager.hooks });
  await manager.start();
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += STEP_MS) await clock.advance(Math.min(STEP_MS, ms - t));
  };
  await advance(30_000); // hosts Ready from their first heartbeats
  return {
    clock,
    store,
    driver,
    manager,
    hosts: inv.hosts.map((h) => h.name).sort(),
    advance,
    async close() {
      await manager.stop();
      await driver.close();
      await store.close();
    },
  };
}

/** Creates a Cluster through the real admission rules. */
export async function createCluster(store: Store, name: string, tenant: string, plan: string, workers: number): Promise<Cluster> {
  const c: Cluster = { apiVersion: API_VERSION, kind: 'Cluster', metadata: { name }, spec: { tenant, plan, workers } };
  return store.create(await admitCluster({ store }, c, undefined));
}

/** Updates a Cluster's spec through the real admission rules (which may refuse it: ConflictError). */
export async function updateCluster(store: Store, name: string, patch: Partial<NonNullable<Cluster['spec']>>): Promise<Cluster> {
  const old = await store.get<Cluster>('Cluster', '', name);
  return store.update(await admitCluster({ store }, { ...old, spec: { ...old.spec!, ...patch } }, old));
}

export function createTenant(store: Store, name: string, sensitivity: Sensitivity): Promise<Tenant> {
  return store.create<Tenant>({ apiVersion: API_VERSION, kind: 'Tenant', metadata: { name }, spec: { sensitivity } });
}

export function createDeployment(store: Store, cluster: string, name: string, replicas: number, cpu: string, memory: string): Promise<Deployment> {
  return store.create<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: `${cluster}/app` },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.local/shop/api:1', resources: { requests: { cpu, memory } } }] } },
    },
  });
}

/** What the test's model knows about who applied each Deployment (by uid): the cluster incarnation and its tenant. */
export interface DeploymentOrigin {
  readonly cluster: string;
  readonly clusterUid: string;
  readonly tenant: string;
}

/** Everything the invariants read, listed from the store at one point in time. */
export interface World {
  readonly zones: Zone[];
  readonly hosts: Host[];
  readonly vms: VirtualMachine[];
  readonly tenants: Tenant[];
  readonly clusters: Cluster[];
  readonly plans: Plan[];
  readonly deployments: Deployment[];
  readonly replicaSets: ReplicaSet[];
  readonly pods: Pod[];
}

export async function readWorld(store: Store): Promise<World> {
  const l = async <T extends World[keyof World][number]>(kind: string) => (await store.list<T>(kind)).items;
  return {
    zones: await l<Zone>('Zone'),
    hosts: await l<Host>('Host'),
    vms: await l<VirtualMachine>('VirtualMachine'),
    tenants: await l<Tenant>('Tenant'),
    clusters: await l<Cluster>('Cluster'),
    plans: await l<Plan>('Plan'),
    deployments: await l<Deployment>('Deployment'),
    replicaSets: await l<ReplicaSet>('ReplicaSet'),
    pods: await l<Pod>('Pod'),
  };
}

const CLUSTER_LABEL = 'bulkhead.dev/cluster';
const TERMINAL = new Set(['Succeeded', 'Failed']);
/** VM phases that hold capacity on a host (as the isolation audit counts them). */
const OCCUPYING = new Set(['Provisioning', 'Running', 'Stopped', 'Lost', 'Deleting']);
const level = (s: string | undefined) => SENSITIVITY_LEVELS.indexOf((s ?? 'low') as Sensitivity);
const clusterOf = (p: { metadata: { namespace?: string } }) => (p.metadata.namespace ?? '').split('/')[0] ?? '';
const live = (p: Pod) => !!p.spec?.nodeName && !TERMINAL.has(p.status?.phase ?? '') && !p.metadata.deletionTimestamp;

/**
 * The safety invariants that must hold after every step; returns one line per violation.
 *  1. the isolation audit (hosts, sensitivity, pods) finds nothing;
 *  2. every cluster-owned VM carries its cluster's label and tenant and at least the tenant's sensitivity;
 *  3. every bound pod runs on a worker VM of its own cluster incarnation, of the tenant that applied it;
 *  4. no node holds more pods than its plan allows or more requests than its allocatable; no host is
 *     over its zone's overcommit limits.
 */
export function safetyViolations(w: World, origins: ReadonlyMap<string, DeploymentOrigin>): string[] {
  const out: string[] = [];
  // (1)
  const audit = auditIsolation(w.zones, w.hosts, w.vms, w.tenants, { pods: w.pods, clusters: w.clusters });
  for (const v of audit.violations) out.push(`audit: ${v.reason} (host ${v.host}, ${v.isolation})`);
  // (2)
  const tenantLevel = new Map(w.tenants.map((t) => [t.metadata.name, t.spec?.sensitivity]));
  const clusterByUid = new Map(w.clusters.map((c) => [c.metadata.uid ?? '', c]));
  for (const vm of w.vms) {
    const owner = vm.metadata.ownerReferences?.find((r) => r.kind === 'Cluster');
    const label = vm.metadata.labels?.[CLUSTER_LABEL];
    if (!owner && label === undefined) continue;
    const n = vm.metadata.name;
    if (!owner) {
      out.push(`VM ${n} has label ${CLUSTER_LABEL}=${label} but no Cluster owner`);
      continue;
    }
    if (label !== owner.name) out.push(`VM ${n} owned by cluster ${owner.name} is labelled ${CLUSTER_LABEL}=${label ?? '(none)'}`);
    const c = clusterByUid.get(owner.uid);
    if (!c) continue; // the cluster is gone; the VM is being collected
    const tenant = c.spec?.tenant ?? '';
    if (vm.spec?.tenant !== tenant) out.push(`VM ${n} of cluster ${c.metadata.name} (tenant ${tenant}) has tenant ${vm.spec?.tenant ?? ''}`);
    const want = tenantLevel.get(tenant);
    if (level(vm.spec?.sensitivity) < level(want)) out.push(`VM ${n} is ${vm.spec?.sensitivity ?? 'unmarked'} but tenant ${tenant} is ${want ?? 'low'}`);
  }
  // (3)
  const vmByName = new Map(w.vms.map((v) => [v.metadata.name, v]));
  const rsByUid = new Map(w.replicaSets.map((r) => [r.metadata.uid ?? '', r]));
  for (const p of w.pods) {
    if (!live(p)) continue;
    const id = `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
    const vm = vmByName.get(p.spec?.nodeName ?? '');
    if (!vm) continue; // the node is gone; the pod is being replaced (the liveness check sees it)
    const cluster = clusterOf(p);
    if (vm.metadata.labels?.[CLUSTER_LABEL] !== cluster) out.push(`pod ${id} runs on VM ${vm.metadata.name} of cluster ${vm.metadata.labels?.[CLUSTER_LABEL] ?? '(none)'}`);
    if (vm.metadata.labels?.['bulkhead.dev/role'] !== 'worker') out.push(`pod ${id} runs on ${vm.metadata.name}, which is not a worker`);
    const rsUid = p.metadata.ownerReferences?.find((r) => r.kind === 'ReplicaSet')?.uid;
    const depUid = rsByUid.get(rsUid ?? '')?.metadata.ownerReferences?.find((r) => r.kind === 'Deployment')?.uid;
    const origin = origins.get(depUid ?? '');
    if (!origin) continue;
    const vmCluster = vm.metadata.ownerReferences?.find((r) => r.kind === 'Cluster');
    if (vmCluster && vmCluster.uid !== origin.clusterUid)
      out.push(`pod ${id}, applied by tenant ${origin.tenant} to an earlier cluster ${origin.cluster}, runs on VM ${vm.metadata.name} of the current one (tenant ${vm.spec?.tenant ?? ''})`);
    else if (vm.spec?.tenant !== origin.tenant) out.push(`pod ${id} applied by tenant ${origin.tenant} runs on VM ${vm.metadata.name} of tenant ${vm.spec?.tenant ?? ''}`);
  }
  // (4) nodes
  const planOf = new Map(w.plans.map((p) => [p.metadata.name, p]));
  const clusterByName = new Map(w.clusters.map((c) => [c.metadata.name, c]));
  const perNode = new Map<string, { pods: number; cpu: number; mem: number }>();
  for (const p of w.pods) {
    if (!live(p)) continue;
    const node = p.spec?.nodeName ?? '';
    const r = podRequests(p.spec ?? { containers: [] });
    const s = perNode.get(node) ?? { pods: 0, cpu: 0, mem: 0 };
    perNode.set(node, { pods: s.pods + 1, cpu: s.cpu + r.cpuMillis, mem: s.mem + r.memoryMiB });
  }
  for (const [node, s] of perNode) {
    const vm = vmByName.get(node);
    if (!vm?.spec) continue;
    const plan = planOf.get(clusterByName.get(vm.metadata.labels?.[CLUSTER_LABEL] ?? '')?.spec?.plan ?? '');
    const maxPods = plan?.spec?.maxPodsPerNode ?? 110;
    if (s.pods > maxPods) out.push(`node ${node} runs ${s.pods} pods, over its plan's ${maxPods}`);
    const a = allocatable(vm.spec.cpus, vm.spec.memoryMiB);
    if (s.cpu > a.cpuMillis || s.mem > a.memoryMiB) out.push(`node ${node} pods request ${s.cpu}m/${s.mem}Mi, over allocatable ${a.cpuMillis}m/${a.memoryMiB}Mi`);
  }
  // (4) hosts
  const zoneOf = new Map(w.zones.map((z) => [z.metadata.name, z]));
  const perHost = new Map<string, { cpus: number; mem: number }>();
  for (const vm of w.vms) {
    const h = vm.status?.host;
    if (!h || !OCCUPYING.has(vm.status?.phase ?? '')) continue;
    const s = perHost.get(h) ?? { cpus: 0, mem: 0 };
    perHost.set(h, { cpus: s.cpus + (vm.spec?.cpus ?? 0), mem: s.mem + (vm.spec?.memoryMiB ?? 0) });
  }
  for (const h of w.hosts) {
    const s = perHost.get(h.metadata.name);
    const z = zoneOf.get(h.spec?.zone ?? '')?.spec;
    if (!s || !h.spec) continue;
    const cpuCap = overcommitted(h.spec.cores, z?.cpuOvercommitPercent ?? 400);
    const memCap = overcommitted(h.spec.memoryMiB, z?.memoryOvercommitPercent ?? 100);
    if (s.cpus > cpuCap || s.mem > memCap) out.push(`host ${h.metadata.name} holds ${s.cpus} vCPUs/${s.mem} MiB, over ${cpuCap}/${memCap}`);
  }
  return out;
}

/**
 * True when no Ready host could take the VM: every one is excluded by its zone's isolation mode or
 * lacks room. Room is counted with a margin of one more VM (twice the VM free), which with two NUMA
 * nodes per host also guarantees one node holds it, so this never claims room the scheduler lacks.
 */
export function noRoomFor(w: World, vm: VirtualMachine): boolean {
  const zoneOf = new Map(w.zones.map((z) => [z.metadata.name, z.spec]));
  const on = new Map<string, VirtualMachine[]>();
  for (const v of w.vms) {
    const h = v.status?.host;
    if (h && v.metadata.uid !== vm.metadata.uid && v.status?.phase !== 'Failed') on.set(h, [...(on.get(h) ?? []), v]);
  }
  const cpus = vm.spec?.cpus ?? 0;
  const mem = vm.spec?.memoryMiB ?? 0;
  return !w.hosts.some((h) => {
    if (h.status?.state !== 'Ready' || h.spec?.unschedulable || !h.spec) return false;
    const z = zoneOf.get(h.spec.zone);
    const others = on.get(h.metadata.name) ?? [];
    if (z?.isolation === 'per-sensitivity' && others.some((v) => (v.spec?.sensitivity ?? 'low') !== (vm.spec?.sensitivity ?? 'low'))) return false;
    if (z?.isolation === 'per-tenant' && others.some((v) => v.spec?.tenant !== vm.spec?.tenant)) return false;
    const usedCpu = others.reduce((a, v) => a + (v.spec?.cpus ?? 0), 0);
    const usedMem = others.reduce((a, v) => a + (v.spec?.memoryMiB ?? 0), 0);
    return usedCpu + 2 * cpus <= overcommitted(h.spec.cores, z?.cpuOvercommitPercent ?? 400) && usedMem + 2 * mem <= overcommitted(h.spec.memoryMiB, z?.memoryOvercommitPercent ?? 100);
  });
}

/**
 * The liveness invariant once the system has settled (5): every live cluster not in meltdown has
 * finished its last action (successfully, unless a host failed after it started), has its plan's control plane and its spec's workers all Running and
 * Healthy; and every Deployment the model applied to such a cluster, when the cluster has room for
 * all its replicas, has them all ready on Running nodes of that cluster.
 */
export function livenessViolations(w: World, origins: ReadonlyMap<string, DeploymentOrigin>, faultTimes: readonly number[]): string[] {
  const out: string[] = [];
  const planOf = new Map(w.plans.map((p) => [p.metadata.name, p]));
  const healthy = new Set<string>();
  for (const c of w.clusters) {
    if (c.metadata.deletionTimestamp || !c.spec) continue;
    const name = c.metadata.name;
    // Meltdown excuses a cluster only when it could be one: at least 5 nodes and a host failure injected.
    const slots = (c.spec.workers ?? 0) + (planOf.get(c.spec.plan)?.spec?.controlPlaneNodes ?? 0);
    if (getCondition(c.status?.conditions, 'Meltdown')?.status === 'True') {
      if (slots < 5 || faultTimes.length === 0) out.push(`cluster ${name}: in meltdown with ${slots} nodes and ${faultTimes.length} host failures`);
      continue;
    }
    const vms = w.vms.filter((v) => v.metadata.ownerReferences?.some((r) => r.kind === 'Cluster' && r.uid === c.metadata.uid));
    // A node that cannot be placed because isolation and capacity leave no host for it is not a lost
    // node: the datacenter is full for this tenant. Checked independently of the scheduler's word.
    if (vms.some((v) => !v.status?.host && !v.metadata.deletionTimestamp && noRoomFor(w, v))) continue;
    const before = out.length;
    const a = c.status?.lastAction;
    // An action may fail only when a fault hit it (a node lost during an upgrade's watch time stops the rollout).
    const faulted = a !== undefined && faultTimes.some((t) => t >= Date.parse(a.startedAt));
    if (a?.state !== 'succeeded' && !(a?.state === 'failed' && faulted)) out.push(`cluster ${name}: last action ${a?.type ?? '(none)'} is ${a?.state ?? 'missing'}: ${a?.description ?? ''}`);
    const plan = planOf.get(c.spec.plan)?.spec;
    const role = (r: string) => vms.filter((v) => v.metadata.labels?.['bulkhead.dev/role'] === r);
    if (role('worker').length !== c.spec.workers) out.push(`cluster ${name}: ${role('worker').length} worker VMs, spec says ${c.spec.workers ?? '?'}`);
    if (role('control-plane').length !== plan?.controlPlaneNodes) out.push(`cluster ${name}: ${role('control-plane').length} control-plane VMs, plan says ${plan?.controlPlaneNodes ?? '?'}`);
    for (const v of vms) {
      if (v.status?.phase === 'Running' && !v.metadata.deletionTimestamp) continue;
      const why = v.status?.conditions?.find((x) => x.status === 'False')?.message ?? v.status?.placement?.message ?? '';
      out.push(`cluster ${name}: node ${v.metadata.name} is ${v.status?.phase ?? 'unplaced'}${v.metadata.deletionTimestamp ? ' (deleting)' : ''}${why ? `: ${why}` : ''}`);
    }
    for (const n of c.status?.nodes ?? []) if (n.health !== 'Healthy') out.push(`cluster ${name}: node ${n.name} is ${n.health}`);
    if (out.length === before) healthy.add(c.metadata.uid ?? '');
  }
  // Room per cluster incarnation. A pod fails to fit only if every worker is full by count, by CPU
  // or by memory (less free than the largest request); so when the pods asked for fill less than
  // `workers` of those three measures together, every one of them must fit somewhere.
  const deps = w.deployments.filter((d) => !d.metadata.deletionTimestamp && origins.has(d.metadata.uid ?? ''));
  const asked = new Map<string, { pods: number; cpu: number; mem: number; maxCpu: number; maxMem: number }>();
  for (const d of deps) {
    const o = origins.get(d.metadata.uid ?? '')!;
    const n = d.spec?.replicas ?? 1;
    const r = podRequests(d.spec?.template.spec ?? { containers: [] });
    const a = asked.get(o.clusterUid) ?? { pods: 0, cpu: 0, mem: 0, maxCpu: 0, maxMem: 0 };
    asked.set(o.clusterUid, { pods: a.pods + n, cpu: a.cpu + n * r.cpuMillis, mem: a.mem + n * r.memoryMiB, maxCpu: Math.max(a.maxCpu, r.cpuMillis), maxMem: Math.max(a.maxMem, r.memoryMiB) });
  }
  const vmByName = new Map(w.vms.map((v) => [v.metadata.name, v]));
  const rsOwner = new Map(w.replicaSets.map((r) => [r.metadata.uid ?? '', r.metadata.ownerReferences?.find((o) => o.kind === 'Deployment')?.uid ?? '']));
  for (const d of deps) {
    const o = origins.get(d.metadata.uid ?? '')!;
    const c = w.clusters.find((x) => x.metadata.uid === o.clusterUid);
    if (!c?.spec || !healthy.has(o.clusterUid)) continue;
    const plan = planOf.get(c.spec.plan)?.spec;
    const a = asked.get(o.clusterUid);
    if (!plan || !a) continue;
    const alloc = allocatable(plan.workerVm.cpus, plan.workerVm.memoryMiB);
    const fill = a.pods / (plan.maxPodsPerNode ?? 110) + a.cpu / (alloc.cpuMillis - a.maxCpu) + a.mem / (alloc.memoryMiB - a.maxMem);
    if (fill >= (c.spec.workers ?? 0)) continue; // perhaps no room for all: a Pending pod is not a lost one
    const want = d.spec?.replicas ?? 1;
    const mine = w.pods.filter((p) => rsOwner.get(p.metadata.ownerReferences?.find((x) => x.kind === 'ReplicaSet')?.uid ?? '') === d.metadata.uid);
    const ready = mine.filter((p) => {
      const vm = vmByName.get(p.spec?.nodeName ?? '');
      return p.status?.phase === 'Running' && getCondition(p.status.conditions, 'Ready')?.status === 'True' && vm?.status?.phase === 'Running' && !p.metadata.deletionTimestamp;
    });
    const id = `${d.metadata.namespace ?? ''}/${d.metadata.name}`;
    if (ready.length !== want || d.status?.readyReplicas !== want)
      out.push(`deployment ${id}: ${ready.length} ready pods (status.readyReplicas ${d.status?.readyReplicas ?? 0}) of ${want}; pods: ${mine.map((p) => `${p.metadata.name}@${p.spec?.nodeName ?? '-'}:${p.status?.phase ?? '?'}`).join(' ')}`);
  }
  return out;
}
