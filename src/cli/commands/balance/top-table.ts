/**
 * `top` tables: the columns of each level and the TOTAL line. CPU in MHz (pods and containers in
 * milli-CPU, as `kubectl top`), memory in MiB, ready as a percentage of the vCPUs' time.
 */
import type { RowFigures, TopLevel, TopRowView, TopView } from '../../../balance/http/top-view.js';

const n = (v: number | undefined): string => (v === undefined ? '' : String(Math.round(v)));
const pct = (v: number | undefined): string => (v === undefined ? '' : `${v.toFixed(1)}%`);
const share = (part: number, whole: number | undefined): string => (whole === undefined || whole <= 0 ? '' : `${((part / whole) * 100).toFixed(1)}%`);

interface Column {
  readonly header: string;
  readonly cell: (r: TopRowView | (RowFigures & { name: string })) => string;
}

const dim = (header: string, key: keyof TopRowView): Column => ({ header, cell: (r) => String((r as TopRowView)[key] ?? '') });

const CPU: readonly Column[] = [
  { header: 'CPU-DEMAND-MHZ', cell: (r) => n(r.cpuDemandMHz) },
  { header: 'CPU-ENTITLED-MHZ', cell: (r) => n(r.cpuEntitlementMHz) },
  { header: 'CPU-USED-MHZ', cell: (r) => n(r.cpuUsageMHz) },
  { header: 'READY%', cell: (r) => pct(r.cpuReadyPercent) },
];
const MEM: readonly Column[] = [
  { header: 'MEM-DEMAND-MIB', cell: (r) => n(r.memoryDemandMiB) },
  { header: 'MEM-ENTITLED-MIB', cell: (r) => n(r.memoryEntitlementMiB) },
  { header: 'MEM-USED-MIB', cell: (r) => n(r.memoryUsageMiB) },
  { header: 'BALLOON-MIB', cell: (r) => n(r.balloonMiB) },
  { header: 'SWAP-MIB', cell: (r) => n(r.swapMiB) },
];
const CAPACITY: readonly Column[] = [
  { header: 'CPU%', cell: (r) => share(r.cpuUsageMHz, r.cpuCapacityMHz) },
  { header: 'MEM%', cell: (r) => share(r.memoryUsageMiB, r.memoryCapacityMiB) },
];
const VMS: Column = { header: 'VMS', cell: (r) => String(r.count) };
const VCPUS: Column = { header: 'VCPUS', cell: (r) => n(r.vcpus) };
const POD_FIGURES: readonly Column[] = [
  { header: 'CPU(m)', cell: (r) => n(r.cpuUsageMillis) },
  { header: 'DEMAND(m)', cell: (r) => n(r.cpuDemandMillis) },
  { header: 'UNMET-MS', cell: (r) => n(r.cpuReadyMs) },
  { header: 'MEMORY(Mi)', cell: (r) => n(r.memoryUsageMiB) },
  { header: 'MEM-DEMAND(Mi)', cell: (r) => n(r.memoryDemandMiB) },
];

function columns(level: TopLevel, withCluster: boolean): readonly Column[] {
  const name: Column = { header: 'NAME', cell: (r) => r.name };
  switch (level) {
    case 'hosts':
      return [name, dim('ZONE', 'zone'), VMS, VCPUS, ...CAPACITY, ...CPU, ...MEM];
    case 'zones':
      return [name, VMS, VCPUS, ...CAPACITY, ...CPU, ...MEM];
    case 'tenants':
      return [name, VMS, VCPUS, ...CPU, ...MEM];
    case 'vms':
      return [name, dim('TENANT', 'tenant'), ...(withCluster ? [dim('CLUSTER', 'cluster')] : []), dim('HOST', 'host'), dim('POOL', 'pool'), VCPUS, ...CPU, ...MEM];
    case 'pods':
      return [name, ...(withCluster ? [dim('CLUSTER', 'cluster')] : []), dim('NODE', 'node'), dim('HOST', 'host'), ...POD_FIGURES];
    case 'containers':
      return [name, dim('POD', 'pod'), dim('NAMESPACE', 'namespace'), ...(withCluster ? [dim('CLUSTER', 'cluster')] : []), dim('NODE', 'node'), ...POD_FIGURES];
    case 'pools':
      return [name, dim('ZONE', 'zone'), dim('PARENT', 'parent'), dim('TENANT', 'tenant'), CPU[0] as Column, CPU[1] as Column, CPU[2] as Column, MEM[0] as Column, MEM[1] as Column, MEM[2] as Column];
  }
}

/** Headers and rows, the TOTAL line last. `withCluster`: show the cluster column (no -c given). */
export function topTable(view: TopView, withCluster: boolean): { headers: string[]; rows: string[][] } {
  const cols = columns(view.level, withCluster);
  const rows = view.rows.map((r) => cols.map((c) => c.cell(r)));
  if (view.rows.length > 0) {
    const total = { ...view.total, name: view.global !== undefined ? 'TOTAL (all hosts)' : 'TOTAL' };
    rows.push(cols.map((c) => (c.header === 'NAME' ? total.name : DIMENSION_HEADERS.has(c.header) ? '' : c.cell(total))));
  }
  return { headers: cols.map((c) => c.header), rows };
}

const DIMENSION_HEADERS = new Set(['ZONE', 'TENANT', 'CLUSTER', 'HOST', 'POOL', 'PARENT', 'NODE', 'POD', 'NAMESPACE']);
