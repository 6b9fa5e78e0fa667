/**
 * Severity levels as Harbor/Trivy report them, from OSV `severity[]` (CVSS v3.x and v2 vectors
 * scored here; CVSS v4 vectors are not scored) or a database's severity word.
 */

export const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; Unknown ranks lowest. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s);
}

export function severityFromScore(score: number): Severity {
  if (!Number.isFinite(score) || score < 0) return 'Unknown';
  if (score >= 9) return 'Critical';
  if (score >= 7) return 'High';
  if (score >= 4) return 'Medium';
  return 'Low';
}

/** GHSA (`MODERATE`), Ubuntu priorities, Debian urgencies, Alpine/Trivy words. */
export function severityFromWord(word: string): Severity | undefined {
  switch (word.trim().toLowerCase()) {
    case 'critical':
      return 'Critical';
    case 'high':
    case 'important':
      return 'High';
    case 'medium':
    case 'moderate':
      return 'Medium';
    case 'low':
    case 'negligible':
    case 'unimportant':
    case 'none':
      return 'Low';
    default:
      return undefined;
  }
}

function metrics(vector: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of vector.split('/')) {
    const i = part.indexOf(':');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** CVSS v3.0/3.1 base score, or undefined for a malformed vector. */
export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = metrics(vector);
  const scope = m.get('S');
  const AV = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.get('AV') ?? ''];
  const AC = { L: 0.77, H: 0.44 }[m.get('AC') ?? ''];
  const PR = (scope === 'C' ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 })[m.get('PR') ?? ''];
  const UI = { N: 0.85, R: 0.62 }[m.get('UI') ?? ''];
  const cia = (k: string): number | undefined => ({ H: 0.56, L: 0.22, N: 0 })[m.get(k) ?? ''];
  const C = cia('C');
  const I = cia('I');
  const A = cia('A');
  if (AV === undefined || AC === undefined || PR === undefined || UI === undefined || C === undefined || I === undefined || A === undefined) return undefined;
  if (scope !== 'U' && scope !== 'C') return undefined;
  const iss = 1 - (1 - C) * (1 - I) * (1 - A);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * AV * AC * PR * UI;
  if (impact <= 0) return 0;
  return scope === 'U' ? roundUp(Math.min(impact + exploitability, 10)) : roundUp(Math.min(1.08 * (impact + exploitability), 10));
}

/** CVSS v2 base score, or undefined for a malformed vector. */
export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, ''));
  const AV = { L: 0.395, A: 0.646, N: 1 }[m.get('AV') ?? ''];
  const AC = { H: 0.35, M: 0.61, L: 0.71 }[m.get('AC') ?? ''];
  const Au = { M: 0.45, S: 0.56, N: 0.704 }[m.get('Au') ?? ''];
  const cia = (k: string): number | undefined => ({ N: 0, P: 0.275, C: 0.66 })[m.get(k) ?? ''];
  const C = cia('C');
  const I = cia('I');
  const A = cia('A');
  if (AV === undefined || AC === undefined || Au === undefined || C === undefined || I === undefined || A === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - C) * (1 - I) * (1 - A));
  const exploitability = 20 * AV * AC * Au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

export interface OsvSeverity {
  readonly type?: unknown;
  readonly score?: unknown;
}

/** The worst level among OSV `severity[]` entries (scores may also be plain numbers). */
export function severityFromOsv(entries: readonly OsvSeverity[]): Severity | undefined {
  let best: Severity | undefined;
  for (const e of entries) {
    if (typeof e.score !== 'string' && typeof e.score !== 'number') continue;
    const text = String(e.score);
    let level: Severity | undefined;
    if (/^\d+(\.\d+)?$/.test(text)) level = severityFromScore(Number(text));
    else if (e.type === 'CVSS_V3' || text.startsWith('CVSS:3')) {
      const s = cvss3BaseScore(text);
      level = s === undefined ? undefined : severityFromScore(s);
    } else if (e.type === 'CVSS_V2') {
      const s = cvss2BaseScore(text);
      level = s === undefined ? undefined : severityFromScore(s);
    } else if (e.type === 'Ubuntu') level = severityFromWord(text);
    if (level && (!best || severityRank(level) > severityRank(best))) best = level;
  }
  return best;
}
