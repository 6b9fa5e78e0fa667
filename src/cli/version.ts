/** The client's own version, read from package.json beside the compiled (or source) tree. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** package.json's version; dist/src/cli/ is three levels below the package root, src/cli/ two. */
export function clientVersion(): string {
  if (cached) return cached;
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'bulkhead' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // try the next candidate
    }
  }
  return (cached = 'unknown');
}
