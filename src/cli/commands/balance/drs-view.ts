/** What `bulkhead drs recommendations` prints: one summary line per zone, then the moves with their figures. */
import type { DrsRecommendationObject } from '../../../api/kinds/balance-kinds.js';
import type { DrsPassSummary } from '../../../balance/drs/pass-summary.js';
import type { DrsSettings } from '../../../balance/drs/settings.js';
import { formatTable } from '../../table.js';

/** A zone as `GET /drs/v1/zones` reports it. */
export interface ZoneDrsView {
  readonly zone: string;
  readonly settings: DrsSettings;
  readonly pending: number;
  readonly lastPass?: DrsPassSummary;
}

const f4 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(4));

/** One line per zone: settings and the last pass's imbalance before and after. */
export function zoneLine(z: ZoneDrsView): string {
  const s = z.settings;
  const head = `${z.zone}: DRS ${s.enabled ? s.automation : 'disabled'}, threshold ${s.threshold}, every ${s.intervalMs / 1000} s`;
  const p = z.lastPass;
  if (p === undefined) return `${head}; no pass yet`;
  if (p.outcome !== 'ran') return `${head}; last pass ${p.at}: ${p.outcome}${p.message ? ` (${p.message})` : ''}`;
  const moves = p.settings.automation === 'fullyAutomated' ? `${p.migrations} migration(s) issued` : `${p.recommendations} recommendation(s)`;
  const unresolved = p.unresolved.length > 0 ? `; ${p.unresolved.length} unresolved: ${p.unresolved.map((u) => `${u.vm}${u.rule ? ` (${u.rule})` : ''}: ${u.reason}`).join('; ')}` : '';
  return `${head}; last pass ${p.at}: imbalance ${f4(p.before?.imbalance)} -> ${f4(p.after?.imbalance)} (target ${f4(p.target)}), ${moves}, ${p.stopReason ?? ''}${unresolved}`;
}

export const RECOMMENDATION_HEADERS = ['NAME', 'ZONE', 'VM', 'FROM', 'TO', 'KIND', 'PRI', 'IMBALANCE', 'GAIN', 'MIGRATION-S', 'STUN-MS', 'MOVED-MIB', 'COST/BENEFIT', 'PHASE'];

export function recommendationRow(r: DrsRecommendationObject): string[] {
  const s = r.spec;
  const st = r.status;
  const c = st?.cost;
  return [
    r.metadata.name,
    s?.zone ?? '',
    [s?.vm ?? '', ...(s?.together ?? [])].join('+'),
    s?.from ?? '',
    s?.to ?? '',
    s?.kind ?? '',
    String(s?.priority ?? ''),
    `${f4(st?.imbalanceBefore)} -> ${f4(st?.imbalanceAfter)}`,
    f4(st?.gain),
    c === undefined ? '' : c.seconds.toFixed(1),
    c === undefined ? '' : String(c.stunMs),
    c === undefined ? '' : String(c.transferredMiB),
    st?.costScore === undefined || st.benefit === undefined ? '' : `${st.costScore.toPrecision(3)}/${st.benefit.toPrecision(3)}`,
    st?.phase ?? 'Pending',
  ];
}

/** The printed view: zone lines, a blank line, the table (or a note when there is nothing to do). */
export function recommendationsText(zones: readonly ZoneDrsView[], recs: readonly DrsRecommendationObject[]): string[] {
  const lines = zones.map(zoneLine);
  if (recs.length === 0) return [...lines, '', 'No recommendations: nothing to apply.'];
  return [...lines, '', ...formatTable(RECOMMENDATION_HEADERS, recs.map(recommendationRow)).trimEnd().split('\n')];
}
