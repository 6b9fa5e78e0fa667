/**
 * What `bulkhead sim run` prints: the verdict table when two designs ran, else the design's
 * figures. Plain headers and rows; the CLI's renderer draws them.
 */
import type { Report } from './build.js';
import { designFigures } from './figures.js';
import { DESIGN_LABELS } from './verdict.js';

export interface SummaryTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function summaryTable(report: Report): SummaryTable {
  if (report.verdict) {
    return {
      headers: ['METRIC', DESIGN_LABELS.vm.toUpperCase(), DESIGN_LABELS['bare-metal'].toUpperCase(), 'BETTER'],
      rows: report.verdict.map((v) => [v.metric, v.vm, v.bareMetal, v.winner]),
    };
  }
  const d = report.designs[0];
  return { headers: ['FIGURE', (d?.label ?? '').toUpperCase()], rows: d ? designFigures(d) : [] };
}
