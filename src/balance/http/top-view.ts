/**
 * `top` tables from a usage snapshot: rows per host, VM, pod, container, zone, tenant or pool,
 * restricted to what the caller may see (its tenants' VMs and what runs in them) and, optionally,
 * to one cluster or zone, with the total of the rows shown and, for platform-wide callers, the
 * global total across every host. Pure: a snapshot and a filter in, rows out.
 */
import {
  READY_SAMPLE_MS,
  groupTotals,
  hostCpuMHz,
  sumTotals,
  vmTotals,
  type UsageTotals,
  type VmEntitlement,
} from '../../resources/index.js';
import type { ContainerUsage, UsageSnapshot, VmInfo } from '../model/usage-snapshot.js';

export const TOP_LEVELS = ['hosts', 'vms', 'pods', 'containers', 'zones', 'tenants', 'pools'] as const;
export type TopLevel = (typeof TOP_LEVELS)[number];

export function isTopLevel(s: string): s is TopLevel {
  return (TOP_LEVELS as readonly string[]).includes(s);
}

/** Who may see what: every tenant, or these. */
export interface Visibility {
  readonly all: boolean;
  readonly tenants: ReadonlySet<string>;
}

export interface TopFilter {
  readonly cluster?: string;
  readonly zone?: string;
}

/** Where a row sits; only the dimensions of its level are set. */
export interface RowDims {
  readonly zone?: string;
  readonly host?: string;
  readonly tenant?: string;
  readonly cluster?: string;
  readonly pool?: string;
  readonly parent?: string;
  readonly namespace?: string;
  readonly pod?: string;
  readonly node?: string;
}

/** Figures of a row, rounded for display: CPU in MHz (and milli-CPU for pods and containers), memory in MiB. */
export interface RowFigures {
  readonly count: number;
  readonly vcpus?: number;
  readonly cpuCapacityMHz?: number;
  readonly cpuDemandMHz: number;
  readonly cpuUsageMHz: number;
  readonly cpuEntitlementMHz: number;
  /** CPU ready, ms per 20 s sample summed over vCPUs (containers: unmet demand). */
  readonly cpuReadyMs: number;
  /** Ready over the vCPUs' sample time, percent (VM-based rows). */
  readonly cpuReadyPercent?: number;
  readonly cpuDemandMillis?: number;
  readonly cpuUsageMillis?: number;
  readonly memoryCapacityMiB?: number;
  readonly memoryDemandMiB: number;
  readonly memoryUsageMiB: number;
  readonly memoryEntitlementMiB: number;
  readonly balloonMiB: number;
  readonly swapMiB: number;
}

export type TopRowView = { readonly name: string } & RowDims & RowFigures;

export interface TopView {
  readonly level: TopLevel;
  /** Simulated time the figures were computed at. */
  readonly at: string;
  readonly rows: readonly TopRowView[];
  /** Sum of the rows shown. */
  readonly total: RowFigures;
  /** Every host's figures summed (platform-wide callers only, unfiltered). */
  readonly global?: RowFigures;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

function figures(t: UsageTotals, vcpus?: number, extra: Partial<RowFigures> = {}): RowFigures {
  return {
    count: t.count,
    ...(vcpus !== undefined ? { vcpus, cpuReadyPercent: vcpus > 0 ? r1((t.cpuReadyMs / (READY_SAMPLE_MS * vcpus)) * 100) : 0 } : {}),
    ...(t.cpuCapacityMHz !== undefined ? { cpuCapacityMHz: Math.round(t.cpuCapacityMHz) } : {}),
    cpuDemandMHz: r1(t.cpuDemandMHz),
    cpuUsageMHz: r1(t.cpuUsageMHz),
    cpuEntitlementMHz: r1(t.cpuEntitlementMHz),
    cpuReadyMs: Math.round(t.cpuReadyMs),
    ...(t.memoryCapacityMiB !== undefined ? { memoryCapacityMiB: Math.round(t.memoryCapacityMiB) } : {}),
    memoryDemandMiB: r1(t.memoryDemandMiB),
    memoryUsageMiB: r1(t.memoryUsageMiB),
    memoryEntitlementMiB: r1(t.memoryEntitlementMiB),
    balloonMiB: r1(t.balloonMiB),
    swapMiB: r1(t.swapMiB),
    ...extra,
  };
}

interface VmRow {
  readonly e: VmEntitlement;
  readonly info: VmInfo;
}

function vcpusOf(rows: readonly VmRow[], key: (r: VmRow) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + r.e.vcpus);
  return out;
}

function containerTotals(cs: readonly ContainerUsage[]): UsageTotals & { demandMillis: number; usageMillis: number } {
  let cpuDemandMHz = 0;
  let cpuUsageMHz = 0;
  let cpuReadyMs = 0;
  let memoryDemandMiB = 0;
  let memoryUsageMiB = 0;
  let demandMillis = 0;
  let usageMillis = 0;
  for (const c of cs) {
    cpuDemandMHz += c.share.demandMHz;
    cpuUsageMHz += c.share.gotMHz;
    cpuReadyMs += c.share.readyMs;
    memoryDemandMiB += c.share.memoryDemandMiB;
    memoryUsageMiB += c.share.memoryUsageMiB;
    demandMillis += c.share.demandMillis;
    usageMillis += c.share.gotMillis;
  }
  return {
    count: cs.length,
    cpuDemandMHz,
    cpuUsageMHz,
    cpuEntitlementMHz: cpuUsageMHz,
    cpuReadyMs,
    memoryDemandMiB,
    memoryUsageMiB,
    memoryEntitlementMiB: memoryUsageMiB,
    balloonMiB: 0,
    swapMiB: 0,
    demandMillis,
    usageMillis,
  };
}

/** Builds one `top` table. `poolTenant` gives a pool's owning tenant (pools have none in the computation). */
export function topView(snapshot: UsageSnapshot, level: TopLevel, who: Visibility, filter: TopFilter, poolTenant: (pool: string) => string | undefined): TopView {
  const visible = (tenant: string | undefined) => who.all || (tenant !== undefined && who.tenants.has(tenant));
  // Platform-wide callers without a cluster filter see every host (idle ones too); with no zone
  // filter either, the total is the global one.
  const everyHost = who.all && filter.cluster === undefined;
  const unfiltered = everyHost && filter.zone === undefined;
  const vmRows: VmRow[] = [];
  snapshot.result.vms.forEach((e, i) => {
    const info = snapshot.vmInfo[i] as VmInfo;
    if (!visible(info.tenant)) return;
    if (filter.cluster !== undefined && info.cluster !== filter.cluster) return;
    if (filter.zone !== undefined && e.zone !== filter.zone) return;
    vmRows.push({ e, info });
  });
  const capacity = new Map(snapshot.hosts.map((h) => [h.name, h]));
  const zoneOfHost = new Map(snapshot.hosts.map((h) => [h.name, h.zone]));
  let rows: TopRowView[];
  switch (level) {
    case 'vms':
      rows = vmRows.map(({ e, info }) => ({
        name: e.name,
        zone: e.zone,
        host: e.host,
        ...(info.tenant !== undefined ? { tenant: info.tenant } : {}),
        ...(info.cluster !== undefined ? { cluster: info.cluster } : {}),
        ...(info.pool !== undefined ? { pool: info.pool } : {}),
        ...figures(vmTotals(e), e.vcpus, { cpuReadyPercent: r1(e.cpu.readyPercent) }),
      }));
      break;
    case 'hosts':
    case 'zones': {
      const key = level === 'hosts' ? (r: VmRow) => r.e.host : (r: VmRow) => r.e.zone;
      const vcpus = vcpusOf(vmRows, key);
      const all = level === 'hosts' ? snapshot.top.hosts.filter((t) => filter.zone === undefined || zoneOfHost.get(t.name) === filter.zone) : snapshot.top.zones.filter((t) => filter.zone === undefined || t.name === filter.zone);
      const source = everyHost ? all : groupTotals(vmRows, key, (r) => vmTotals(r.e));
      rows = source.map((t) => {
        const cap = level === 'hosts' ? capacity.get(t.name) : undefined;
        const withCap: UsageTotals = everyHost
          ? t.totals
          : level === 'hosts' && cap !== undefined
            ? { ...t.totals, cpuCapacityMHz: hostCpuMHz(cap), memoryCapacityMiB: cap.memoryMiB }
            : t.totals;
        return {
          name: t.name,
          ...(level === 'hosts' ? { zone: zoneOfHost.get(t.name) ?? '' } : {}),
          ...figures(withCap, vcpus.get(t.name) ?? 0),
        };
      });
      break;
    }
    case 'tenants': {
      const vcpus = vcpusOf(vmRows, (r) => r.info.tenant ?? '');
      rows = groupTotals(vmRows, (r) => r.info.tenant ?? '', (r) => vmTotals(r.e)).map((t) => ({ name: t.name, tenant: t.name, ...figures(t.totals, vcpus.get(t.name) ?? 0) }));
      break;
    }
    case 'pods':
    case 'containers': {
      const vmOk = new Set(vmRows.map((r) => r.e.name));
      const tenantOfVm = new Map(vmRows.map((r) => [r.e.name, r.info.tenant]));
      const cs = snapshot.containers.filter((c) => vmOk.has(c.vm));
      const groups = new Map<string, ContainerUsage[]>();
      for (const c of cs) {
        const k = level === 'pods' ? `${c.cluster ?? ''}/${c.namespace}/${c.pod}` : `${c.cluster ?? ''}/${c.namespace}/${c.pod}/${c.share.container}`;
        const g = groups.get(k);
        if (g) g.push(c);
        else groups.set(k, [c]);
      }
      rows = [...groups.values()].map((g) => {
        const c = g[0] as ContainerUsage;
        const t = containerTotals(g);
        const tenant = tenantOfVm.get(c.vm);
        return {
          name: level === 'pods' ? `${c.namespace}/${c.pod}` : c.share.container,
          ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
          namespace: c.namespace,
          ...(level === 'containers' ? { pod: c.pod } : {}),
          node: c.vm,
          host: c.host,
          zone: c.zone,
          ...(tenant !== undefined ? { tenant } : {}),
          ...figures(t, undefined, { cpuDemandMillis: Math.round(t.demandMillis), cpuUsageMillis: Math.round(t.usageMillis) }),
        };
      });
      break;
    }
    case 'pools': {
      const inScope = (p: { name: string; zone: string; isRoot: boolean }) =>
        (filter.zone === undefined || p.zone === filter.zone) && (who.all ? true : !p.isRoot && visible(poolTenant(p.name)));
      rows = snapshot.result.pools.filter(inScope).map((p) => {
        const tenant = p.isRoot ? undefined : poolTenant(p.name);
        const t: UsageTotals = {
          count: 0,
          cpuDemandMHz: p.cpu.demandMHz,
          cpuUsageMHz: p.cpu.usageMHz,
          cpuEntitlementMHz: p.cpu.entitlementMHz,
          cpuReadyMs: 0,
          memoryDemandMiB: p.memory.demandMiB,
          memoryUsageMiB: p.memory.usageMiB,
          memoryEntitlementMiB: p.memory.entitlementMiB,
          balloonMiB: 0,
          swapMiB: 0,
        };
        return { name: p.name, zone: p.zone, ...(p.parent !== undefined ? { parent: p.parent } : {}), ...(tenant !== undefined ? { tenant } : {}), ...figures(t) };
      });
      // Pool rows nest (a parent includes its children): their sum means nothing, so the total is the roots'.
      const roots = snapshot.result.pools.filter((p) => p.isRoot && inScope(p)).map((p) => p.name);
      const total = sumTotals(rows.filter((r) => roots.includes(r.name)).map(asTotals));
      return finish(snapshot, level, rows, total, who.all && filter.zone === undefined);
    }
  }
  return finish(snapshot, level, rows, sumTotals(rows.map(asTotals)), unfiltered);
}

function asTotals(r: RowFigures): UsageTotals {
  return {
    count: r.count,
    cpuDemandMHz: r.cpuDemandMHz,
    cpuUsageMHz: r.cpuUsageMHz,
    cpuEntitlementMHz: r.cpuEntitlementMHz,
    cpuReadyMs: r.cpuReadyMs,
    memoryDemandMiB: r.memoryDemandMiB,
    memoryUsageMiB: r.memoryUsageMiB,
    memoryEntitlementMiB: r.memoryEntitlementMiB,
    balloonMiB: r.balloonMiB,
    swapMiB: r.swapMiB,
    ...(r.cpuCapacityMHz !== undefined ? { cpuCapacityMHz: r.cpuCapacityMHz } : {}),
    ...(r.memoryCapacityMiB !== undefined ? { memoryCapacityMiB: r.memoryCapacityMiB } : {}),
  };
}

function finish(snapshot: UsageSnapshot, level: TopLevel, rows: TopRowView[], total: UsageTotals, withGlobal: boolean): TopView {
  const vcpus = rows.reduce((a, r) => a + (r.vcpus ?? 0), 0);
  const millis = rows.some((r) => r.cpuUsageMillis !== undefined)
    ? { cpuDemandMillis: rows.reduce((a, r) => a + (r.cpuDemandMillis ?? 0), 0), cpuUsageMillis: rows.reduce((a, r) => a + (r.cpuUsageMillis ?? 0), 0) }
    : {};
  const allVcpus = snapshot.result.vms.reduce((a, v) => a + v.vcpus, 0);
  return {
    level,
    at: new Date(snapshot.atMs).toISOString(),
    rows,
    total: figures(total, vcpus > 0 ? vcpus : undefined, millis),
    ...(withGlobal ? { global: figures(snapshot.top.global, allVcpus) } : {}),
  };
}
