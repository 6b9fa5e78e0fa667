/**
 * Parsing of flag values at the edge: a raw string from commander becomes a typed value or a
 * one-line UserError that names the flag.
 */
import { UserError } from './errors.js';

/** A whole number > 0 (or >= 0 with `allowZero`). */
export function parsePositiveInt(raw: unknown, flag: string, opts: { allowZero?: boolean } = {}): number {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  const ok = Number.isSafeInteger(n) && (opts.allowZero ? n >= 0 : n > 0);
  if (!ok) throw new UserError(`${flag} must be a whole number ${opts.allowZero ? '>= 0' : '> 0'}, got "${String(raw)}"`);
  return n;
}

/** Like parsePositiveInt, but undefined stays undefined. */
export function optionalPositiveInt(raw: unknown, flag: string, opts: { allowZero?: boolean } = {}): number | undefined {
  return raw === undefined ? undefined : parsePositiveInt(raw, flag, opts);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration like `90s`, `15m`, `24h`, `7d`, `1h30m` or plain seconds, in whole seconds (> 0). */
export function parseDurationSeconds(raw: unknown, flag: string): number {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (/^\d+$/.test(s) && Number(s) > 0) return Number(s);
  const re = /(\d+)([smhdw])/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
    consumed = re.lastIndex;
  }
  if (s === '' || consumed !== s.length || total <= 0 || !Number.isSafeInteger(total))
    throw new UserError(`${flag} must be a duration like 30m, 24h or 7d, got "${String(raw)}"`);
  return total;
}

/** A string flag; undefined when absent, a UserError when empty. */
export function optionalString(raw: unknown, flag: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new UserError(`${flag} must not be empty`);
  return raw;
}

/** A string flag that must be present. */
export function requiredString(raw: unknown, flag: string): string {
  const v = optionalString(raw, flag);
  if (v === undefined) throw new UserError(`${flag} is required`);
  return v;
}

/** A repeatable flag's values. */
export function stringList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
}
