/**
 * Harbor's repository and tag filters: doublestar globs (`*` within a path segment, `**` across
 * segments, `?`, `{a,b}`), compiled once per pattern. Used by tag immutability, retention and
 * replication, so every rule matches names the same way.
 */
import picomatch from 'picomatch';

export type Matcher = (name: string) => boolean;

const cache = new Map<string, Matcher>();

/** A matcher for one pattern; `**` alone matches every name, including ones with `/` and dots. */
export function globMatcher(pattern: string): Matcher {
  let m = cache.get(pattern);
  if (!m) {
    m = picomatch(pattern, { dot: true });
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, m);
  }
  return m;
}

/** True when `name` matches `include` (default: everything) and not `exclude`. */
export function matchesFilter(name: string, include: string | undefined, exclude: string | undefined): boolean {
  if (include !== undefined && !globMatcher(include)(name)) return false;
  if (exclude !== undefined && globMatcher(exclude)(name)) return false;
  return true;
}
