/**
 * Which plots a report gets: per design, utilization per zone and CPU ready with pod CPU
 * shortfall; DRS imbalance per zone for the VM design; and, in a comparison, the utilization of
 * the hosts each design needs, side by side.
 */
import type { Report } from './build.js';
import { lineChart, type LineSeries } from './svg.js';

export interface Plot {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

export function plots(report: Report): Plot[] {
  const out: Plot[] = [];
  for (const d of report.designs) {
    const s = d.series;
    const util: LineSeries[] = [
      ...Object.entries(s.zoneCpuPercent).map(([z, v], i) => ({ label: `${z} CPU`, values: v, color: i })),
      ...Object.entries(s.zoneMemoryPercent).map(([z, v], i) => ({ label: `${z} memory`, values: v, dashed: true, color: i })),
    ];
    const title = `${d.label}: utilization per zone`;
    out.push({ file: `${d.design}-utilization.svg`, title, svg: lineChart({ title, yLabel: 'percent of hosts up', t: s.t, series: util, yMax: 100 }) });
    const readyTitle = `${d.label}: CPU ready and pod CPU shortfall`;
    out.push({
      file: `${d.design}-cpu-ready.svg`,
      title: readyTitle,
      svg: lineChart({
        title: readyTitle,
        yLabel: 'percent',
        t: s.t,
        series: [
          { label: 'VM CPU ready, mean', values: s.cpuReadyMeanPercent },
          { label: 'VM CPU ready, worst', values: s.cpuReadyMaxPercent, dashed: true },
          { label: 'pod CPU shortfall', values: s.podShortfallPercent },
        ],
      }),
    });
    const imb = Object.entries(s.imbalance);
    if (imb.length > 0) {
      const t = `${d.label}: DRS imbalance per zone`;
      out.push({ file: `${d.design}-drs-imbalance.svg`, title: t, svg: lineChart({ title: t, yLabel: 'std-dev of normalized load', t: s.t, series: imb.map(([z, v]) => ({ label: z, values: v })) }) });
    }
  }
  if (report.designs.length > 1) {
    const t = 'Cluster CPU use over the CPU of the hosts each design needs';
    const series = report.designs.map((d) => ({ label: d.label, values: d.series.neededCpuPercent }));
    out.push({ file: 'compare-utilization.svg', title: t, svg: lineChart({ title: t, yLabel: 'percent of hosts needed', t: report.designs[0]?.series.t ?? [], series, yMax: 100 }) });
  }
  return out;
}

