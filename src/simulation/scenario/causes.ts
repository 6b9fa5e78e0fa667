/** A collector of field-named problems, shared by the scenario compile steps. */
import type { FieldCause } from '../../api/index.js';
import { parseDuration } from './duration.js';

export class Causes {
  readonly list: FieldCause[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  addAll(causes: readonly FieldCause[]): void {
    this.list.push(...causes);
  }

  get count(): number {
    return this.list.length;
  }

  /** A duration field in ms; records a problem (and returns the fallback) when it is not one. */
  duration(text: string | undefined, field: string, fallback: number, opts: { min?: number } = {}): number {
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined) {
      this.add(field, `"${text}" is not a duration (e.g. 90s, 15m, 2h, 1h30m, 1d)`);
      return fallback;
    }
    const min = opts.min ?? 0;
    if (ms < min) {
      this.add(field, `must be at least ${min} ms, got "${text}"`);
      return fallback;
    }
    return ms;
  }

  /** Records duplicates of `name` among earlier entries. */
  unique(seen: Set<string>, name: string, field: string, what: string): void {
    if (seen.has(name)) this.add(field, `duplicate ${what} "${name}"`);
    seen.add(name);
  }
}
