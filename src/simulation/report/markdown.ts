/**
 * report.md: the report for people. The scenario in one paragraph, the verdict table (metric, both
 * designs, which wins) when two designs ran, then per design its figures, its host failures and
 * its plots, and the assumptions behind the modeled times. docs/what-if.md explains each figure.
 */
import type { DesignReport, Report } from './build.js';
import { designFigures } from './figures.js';
import { cell, dur, num } from './format.js';
import type { Plot } from './plots.js';
import { DESIGN_LABELS } from './verdict.js';

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function intro(r: Report): string[] {
  const s = r.scenario;
  const out = [`# What-if report: ${s.name}`, ''];
  if (s.description) out.push(s.description, '');
  out.push(
    `${dur(s.durationMs)} of virtual time from ${s.start} (seed ${s.seed}), sampled every ${dur(s.sampleIntervalMs)}: ` +
      `${s.hosts} hosts in ${s.zones.length} zone${s.zones.length === 1 ? '' : 's'} (${s.zones.join(', ')}), ${s.tenants} tenants, ${s.clusters} clusters (${s.nodes} nodes), ` +
      `${s.workloads} workloads (${s.pods} pods at the start), ${s.timelineEvents} timeline events.`,
    '',
    'Produced by `bulkhead sim run`: a discrete-event simulation on a virtual clock over the simulated datacenter, the real schedulers, the resource model, HA and DRS; no API server and no store. How to read it: docs/what-if.md.',
    '',
  );
  return out;
}

function verdictSection(r: Report): string[] {
  if (!r.verdict) return [];
  const out = ['## Verdict: containers on VMs vs bare metal', ''];
  out.push(...table(['metric', DESIGN_LABELS.vm, DESIGN_LABELS['bare-metal'], 'better'], r.verdict.map((v) => [v.metric, v.vm, v.bareMetal, v.winner])), '');
  const by = (w: string): string => r.verdict?.filter((v) => v.winner === w).map((v) => v.metric.replace(/ \(.*\)$/, '')).join('; ') || 'none';
  out.push(`**${DESIGN_LABELS.vm}** win on: ${by(DESIGN_LABELS.vm)}.`, '', `**${DESIGN_LABELS['bare-metal']}** wins on: ${by(DESIGN_LABELS['bare-metal'])}.`, '', `Tied: ${by('tie')}.`, '');
  out.push('![Cluster CPU use over the hosts each design needs](compare-utilization.svg)', '');
  return out;
}

function designSection(d: DesignReport, plots: readonly Plot[]): string[] {
  const out = [`## ${d.label[0]?.toUpperCase()}${d.label.slice(1)}`, ''];
  out.push(...table(['figure', 'value'], designFigures(d)), '');
  if (d.failures.length > 0) {
    out.push('### Host failures', '');
    const rows = d.failures.map((f) => [
      dur(f.atMs),
      f.host,
      f.zone,
      num(f.machinesLost),
      num(f.podsLost),
      f.tenantsAffected.join(', ') || '-',
      f.detectedAtMs === undefined ? 'n/a' : dur(f.detectedAtMs - f.atMs),
      f.machinesLost === 0 ? '-' : f.machinesRecoveredMs === undefined ? 'not yet' : dur(f.machinesRecoveredMs),
      f.podsLost === 0 ? '-' : f.podsRecoveredMs === undefined ? 'not yet' : dur(f.podsRecoveredMs),
    ]);
    out.push(...table(['at', 'host', 'zone', d.design === 'vm' ? 'VMs lost' : 'nodes lost', 'pods lost', 'tenants affected', 'detected after', 'capacity back after', 'pods back after'], rows), '');
  }
  const mine = plots.filter((p) => p.file.startsWith(`${d.design}-`));
  if (mine.length > 0) out.push('### Plots', '', ...mine.flatMap((p) => [`![${p.title}](${p.file})`, '']));
  if (d.notes.length > 0) out.push('### Notes', '', ...d.notes.map((n) => `- ${n}`), '');
  return out;
}

export function renderMarkdown(r: Report, plots: readonly Plot[]): string {
  const out = [...intro(r), ...verdictSection(r), ...r.designs.flatMap((d) => designSection(d, plots)), '## Assumptions', '', ...r.assumptions.map((a) => `- ${a}`), ''];
  return out.join('\n');
}
