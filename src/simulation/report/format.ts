/** Number formatting shared by the Markdown report and the CLI summary. */
import { formatDuration } from '../scenario/duration.js';

export { formatDuration };

export function pct(x: number | undefined, decimals = 1): string {
  return x === undefined ? 'n/a' : `${x.toFixed(decimals)} %`;
}

export function num(x: number | undefined, decimals = 2): string {
  if (x === undefined) return 'n/a';
  return Number.isInteger(x) ? String(x) : x.toFixed(decimals);
}

export function dur(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : formatDuration(ms);
}

/** Escapes text for a Markdown table cell. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
