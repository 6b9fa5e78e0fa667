/**
 * Pure cell formatting for tables: dotted-path lookup, relative ages (5s, 3m, 2h, 4d), and the
 * rules for showing arrays, booleans and missing values.
 */

/** Shown for a missing value. */
export const NONE = '<none>';

/** Reads a dotted path (`status.host`) from an object; undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A duration in ms as kubectl-style short age: 5s, 3m, 2h, 4d. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** The age of an RFC 3339 timestamp relative to `now`. */
export function formatAge(timestamp: unknown, now: number = Date.now()): string {
  if (typeof timestamp !== 'string' || timestamp === '') return NONE;
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<invalid>';
  return formatDuration(now - t);
}

/** One value as table text: arrays joined with commas, objects as compact JSON, missing as <none>. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return NONE;
  if (Array.isArray(v)) return v.length === 0 ? NONE : v.map((x) => (typeof x === 'object' && x !== null ? formatObjectInline(x) : String(x))).join(',');
  if (typeof v === 'object') return formatObjectInline(v);
  return String(v);
}

function formatObjectInline(v: object): string {
  const rec = v as Record<string, unknown>;
  // Subjects, owner references and the like read best as kind/name.
  if (typeof rec.name === 'string' && typeof rec.kind === 'string') return `${rec.kind}/${rec.name}`;
  if (typeof rec.name === 'string') return rec.name;
  return JSON.stringify(v);
}

/** Whether a column shows an age rather than the raw value. */
export function isAgeColumn(col: { header: string; path: string }): boolean {
  return col.header === 'AGE' || col.path === 'metadata.creationTimestamp';
}
