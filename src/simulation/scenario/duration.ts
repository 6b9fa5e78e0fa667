/**
 * Durations as people write them in scenario files: `90s`, `15m`, `2h`, `1d`, `1h30m`, `500ms`, `0`.
 * Parsed once at the edge into milliseconds; a bad one is a field error, never a NaN inside.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** Milliseconds of a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (!WHOLE.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Math.round(ms);
}

/** A duration for reports: `45 s`, `12.5 min`, `3 h`, `1.5 d`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const abs = Math.abs(ms);
  const fix = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${fix(Math.round(ms / 100) / 10)} s`;
  if (abs < 2 * 3_600_000) return `${fix(Math.round(ms / 6_000) / 10)} min`;
  if (abs < 2 * 86_400_000) return `${fix(Math.round(ms / 360_000) / 10)} h`;
  return `${fix(Math.round(ms / 8_640_000) / 10)} d`;
}
