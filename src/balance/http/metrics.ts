/**
 * The Prometheus exposition of the usage figures `top` shows (prom-client, text format 0.0.4):
 * per container, VM, host, zone, tenant, cluster and pool, the global total, and DRS per zone.
 * Units are Prometheus' base units: CPU in hertz (container CPU in cores), memory in bytes, ready
 * as a ratio of the vCPUs' time. Labels: tenant, cluster, zone (and host, vm, pool, namespace,
 * pod, container where they apply). Built per scrape from the last usage computation, restricted
 * to what the caller may see: a tenant-scoped caller gets only its tenants' VM, container, tenant,
 * cluster and pool series; host, zone, global and DRS series need platform-wide access.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DrsRecommendationObject, ResourcePoolObject } from '../../api/kinds/balance-kinds.js';
import { READY_SAMPLE_MS, groupTotals, vmTotals, type UsageTotals } from '../../resources/index.js';
import type { BalanceRuntime } from '../runtime.js';
import type { UsageSnapshot, VmInfo } from '../model/usage-snapshot.js';
import type { Visibility } from './top-view.js';

const MHZ = 1e6;
const MIB = 1024 * 1024;

let processRegistry: Registry | undefined;
/** Node.js process metrics (one per process, shared by every platform in it). */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'bulkhead_' });
  }
  return processRegistry;
}

type Labels = Record<string, string>;

/** The usage gauges of one level: CPU demand/usage/entitlement and memory demand/usage/entitlement/balloon/swap. */
class UsageGauges {
  private readonly g: Record<string, Gauge>;
  constructor(reg: Registry, prefix: string, what: string, labelNames: readonly string[], capacity: boolean) {
    const make = (name: string, help: string) => new Gauge({ name: `${prefix}_${name}`, help: `${help} of ${what}`, labelNames, registers: [reg] });
    this.g = {
      cpuDemand: make('cpu_demand_hertz', 'CPU demand'),
      cpuUsage: make('cpu_usage_hertz', 'CPU the hosts give'),
      cpuEntitlement: make('cpu_entitlement_hertz', 'CPU entitlement under contention (shares, reservations, limits)'),
      cpuReady: make('cpu_ready_ratio', 'CPU ready time over the vCPUs\' time (vCenter cpu.ready / (20 s x vCPUs))'),
      memDemand: make('memory_demand_bytes', 'Memory demand'),
      memUsage: make('memory_usage_bytes', 'Memory the hosts give'),
      memEntitlement: make('memory_entitlement_bytes', 'Memory entitlement under contention'),
      balloon: make('memory_balloon_bytes', 'Memory reclaimed by ballooning'),
      swap: make('memory_swap_bytes', 'Memory swapped by the hypervisor'),
      vms: make('vms', 'Running VMs'),
      ...(capacity ? { cpuCap: make('cpu_capacity_hertz', 'CPU capacity'), memCap: make('memory_capacity_bytes', 'Memory capacity') } : {}),
    };
  }

  set(labels: Labels, t: UsageTotals, vcpus: number): void {
    const g = this.g;
    g.cpuDemand?.set(labels, t.cpuDemandMHz * MHZ);
    g.cpuUsage?.set(labels, t.cpuUsageMHz * MHZ);
    g.cpuEntitlement?.set(labels, t.cpuEntitlementMHz * MHZ);
    g.cpuReady?.set(labels, vcpus > 0 ? t.cpuReadyMs / (READY_SAMPLE_MS * vcpus) : 0);
    g.memDemand?.set(labels, t.memoryDemandMiB * MIB);
    g.memUsage?.set(labels, t.memoryUsageMiB * MIB);
    g.memEntitlement?.set(labels, t.memoryEntitlementMiB * MIB);
    g.balloon?.set(labels, t.balloonMiB * MIB);
    g.swap?.set(labels, t.swapMiB * MIB);
    g.vms?.set(labels, t.count);
    if (t.cpuCapacityMHz !== undefined) g.cpuCap?.set(labels, t.cpuCapacityMHz * MHZ);
    if (t.memoryCapacityMiB !== undefined) g.memCap?.set(labels, t.memoryCapacityMiB * MIB);
  }
}

interface Row {
  readonly t: UsageTotals;
  readonly vcpus: number;
  readonly info: VmInfo;
  readonly zone: string;
  readonly host: string;
}

/** The exposition text for a caller who sees `who`. */
export async function metricsText(
  snapshot: UsageSnapshot,
  runtime: BalanceRuntime,
  who: Visibility,
  objects: { readonly pools: readonly ResourcePoolObject[]; readonly recommendations: readonly DrsRecommendationObject[] },
): Promise<{ readonly contentType: string; readonly body: string }> {
  const reg = new Registry();
  const visible = (tenant: string | undefined) => who.all || (tenant !== undefined && who.tenants.has(tenant));
  const rows: Row[] = [];
  snapshot.result.vms.forEach((e, i) => {
    const info = snapshot.vmInfo[i] as VmInfo;
    if (visible(info.tenant)) rows.push({ t: vmTotals(e), vcpus: e.vcpus, info, zone: e.zone, host: e.host });
  });

  const vm = new UsageGauges(reg, 'bulkhead_vm', 'each VM', ['vm', 'tenant', 'cluster', 'zone', 'host', 'pool'], false);
  for (const r of rows) vm.set({ vm: r.info.name, tenant: r.info.tenant ?? '', cluster: r.info.cluster ?? '', zone: r.zone, host: r.host, pool: r.info.pool ?? '' }, r.t, r.vcpus);

  const tenant = new UsageGauges(reg, 'bulkhead_tenant', 'each tenant\'s VMs', ['tenant'], false);
  const vcpusBy = (key: (r: Row) => string) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.vcpus);
    return m;
  };
  const tv = vcpusBy((r) => r.info.tenant ?? '');
  for (const g of groupTotals(rows, (r) => r.info.tenant ?? '', (r) => r.t)) tenant.set({ tenant: g.name }, g.totals, tv.get(g.name) ?? 0);

  const clustered = rows.filter((r) => r.info.cluster !== undefined);
  const cluster = new UsageGauges(reg, 'bulkhead_cluster', 'each cluster\'s node VMs', ['tenant', 'cluster'], false);
  const cv = vcpusBy((r) => `${r.info.tenant ?? ''}\u0000${r.info.cluster ?? ''}`);
  for (const g of groupTotals(clustered, (r) => `${r.info.tenant ?? ''}\u0000${r.info.cluster ?? ''}`, (r) => r.t)) {
    const [t, c] = g.name.split('\u0000');
    cluster.set({ tenant: t ?? '', cluster: c ?? '' }, g.totals, cv.get(g.name) ?? 0);
  }

  const cLabels = ['tenant', 'cluster', 'namespace', 'pod', 'container', 'node', 'zone', 'host'];
  const cDemand = new Gauge({ name: 'bulkhead_container_cpu_demand_cores', help: 'CPU demand of each container, in cores', labelNames: cLabels, registers: [reg] });
  const cUsage = new Gauge({ name: 'bulkhead_container_cpu_usage_cores', help: 'CPU each container gets inside its VM (CFS shares), in cores', labelNames: cLabels, registers: [reg] });
  const cUnmet = new Gauge({ name: 'bulkhead_container_cpu_unmet_cores', help: 'CPU demand each container does not get (its limit or its VM held it back), in cores', labelNames: cLabels, registers: [reg] });
  const cMemDemand = new Gauge({ name: 'bulkhead_container_memory_demand_bytes', help: 'Memory demand of each container', labelNames: cLabels, registers: [reg] });
  const cMemUsage = new Gauge({ name: 'bulkhead_container_memory_usage_bytes', help: 'Memory each container uses (its demand held to its limit)', labelNames: cLabels, registers: [reg] });
  const tenantOfVm = new Map(rows.map((r) => [r.info.name, r.info.tenant]));
  for (const c of snapshot.containers) {
    if (!tenantOfVm.has(c.vm)) continue;
    const l = { tenant: tenantOfVm.get(c.vm) ?? '', cluster: c.cluster ?? '', namespace: c.namespace, pod: c.pod, container: c.share.container, node: c.vm, zone: c.zone, host: c.host };
    cDemand.set(l, c.share.demandMillis / 1000);
    cUsage.set(l, c.share.gotMillis / 1000);
    cUnmet.set(l, Math.max(0, c.share.demandMillis - c.share.gotMillis) / 1000);
    cMemDemand.set(l, c.share.memoryDemandMiB * MIB);
    cMemUsage.set(l, c.share.memoryUsageMiB * MIB);
  }

  const poolTenant = new Map(objects.pools.map((p) => [p.metadata.name, p.spec?.tenant]));
  const pLabels = ['pool', 'zone', 'tenant', 'parent'];
  const pool = {
    cpuEnt: new Gauge({ name: 'bulkhead_pool_cpu_entitlement_hertz', help: 'CPU entitlement of each resource pool (zone roots as zone:<name>)', labelNames: pLabels, registers: [reg] }),
    cpuUse: new Gauge({ name: 'bulkhead_pool_cpu_usage_hertz', help: 'CPU used by the VMs below each resource pool', labelNames: pLabels, registers: [reg] }),
    cpuDem: new Gauge({ name: 'bulkhead_pool_cpu_demand_hertz', help: 'CPU demand below each resource pool, within its limit', labelNames: pLabels, registers: [reg] }),
    memEnt: new Gauge({ name: 'bulkhead_pool_memory_entitlement_bytes', help: 'Memory entitlement of each resource pool', labelNames: pLabels, registers: [reg] }),
    memUse: new Gauge({ name: 'bulkhead_pool_memory_usage_bytes', help: 'Memory used by the VMs below each resource pool', labelNames: pLabels, registers: [reg] }),
  };
  for (const p of snapshot.result.pools) {
    const owner = p.isRoot ? undefined : poolTenant.get(p.name);
    if (!(who.all || (!p.isRoot && visible(owner)))) continue;
    const l = { pool: p.name, zone: p.zone, tenant: owner ?? '', parent: p.parent ?? '' };
    pool.cpuEnt.set(l, p.cpu.entitlementMHz * MHZ);
    pool.cpuUse.set(l, p.cpu.usageMHz * MHZ);
    pool.cpuDem.set(l, p.cpu.demandMHz * MHZ);
    pool.memEnt.set(l, p.memory.entitlementMiB * MIB);
    pool.memUse.set(l, p.memory.usageMiB * MIB);
  }

  if (who.all) platformSeries(reg, snapshot, runtime, objects.recommendations);
  const body = await (who.all ? Registry.merge([reg, processMetrics()]) : reg).metrics();
  return { contentType: reg.contentType, body };
}

/** Host, zone, global and DRS series: platform-wide callers only. */
function platformSeries(reg: Registry, snapshot: UsageSnapshot, runtime: BalanceRuntime, recs: readonly DrsRecommendationObject[]): void {
  const vcpusOn = new Map<string, number>();
  const vcpusIn = new Map<string, number>();
  for (const v of snapshot.result.vms) {
    vcpusOn.set(v.host, (vcpusOn.get(v.host) ?? 0) + v.vcpus);
    vcpusIn.set(v.zone, (vcpusIn.get(v.zone) ?? 0) + v.vcpus);
  }
  const zoneOf = new Map(snapshot.hosts.map((h) => [h.name, h.zone]));
  const host = new UsageGauges(reg, 'bulkhead_host', 'each host', ['host', 'zone'], true);
  for (const r of snapshot.top.hosts) host.set({ host: r.name, zone: zoneOf.get(r.name) ?? '' }, r.totals, vcpusOn.get(r.name) ?? 0);
  const zone = new UsageGauges(reg, 'bulkhead_zone', 'each zone', ['zone'], true);
  for (const r of snapshot.top.zones) zone.set({ zone: r.name }, r.totals, vcpusIn.get(r.name) ?? 0);
  const global = new UsageGauges(reg, 'bulkhead_global', 'every host of the platform', [], true);
  global.set({}, snapshot.top.global, snapshot.result.vms.reduce((a, v) => a + v.vcpus, 0));

  const imbalance = new Gauge({ name: 'bulkhead_drs_imbalance', help: 'Zone imbalance at the last DRS pass (weighted std. deviation of host normalized entitlement)', labelNames: ['zone'], registers: [reg] });
  const target = new Gauge({ name: 'bulkhead_drs_target_imbalance', help: 'Target imbalance of the zone\'s migration threshold', labelNames: ['zone'], registers: [reg] });
  const pending = new Gauge({ name: 'bulkhead_drs_pending_recommendations', help: 'DRS recommendations waiting to be applied', labelNames: ['zone'], registers: [reg] });
  const passes = new Counter({ name: 'bulkhead_drs_passes_total', help: 'DRS passes run since the server started', labelNames: ['zone'], registers: [reg] });
  const migrations = new Counter({ name: 'bulkhead_drs_migrations_total', help: 'Migrations DRS issued on its own (fullyAutomated) since the server started', labelNames: ['zone'], registers: [reg] });
  for (const [z, s] of runtime.passes) {
    if (s.before !== undefined) imbalance.set({ zone: z }, s.before.imbalance);
    if (s.target !== undefined && Number.isFinite(s.target)) target.set({ zone: z }, s.target);
    passes.inc({ zone: z }, runtime.passCount.get(z) ?? 0);
    migrations.inc({ zone: z }, runtime.migrationCount.get(z) ?? 0);
  }
  const byZone = new Map<string, number>();
  for (const r of recs) if ((r.status?.phase ?? 'Pending') === 'Pending' && r.spec) byZone.set(r.spec.zone, (byZone.get(r.spec.zone) ?? 0) + 1);
  for (const z of runtime.passes.keys()) pending.set({ zone: z }, byZone.get(z) ?? 0);
}
