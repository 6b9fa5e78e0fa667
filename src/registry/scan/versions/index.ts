/** Version ordering per OSV ecosystem (the part before any `:release` suffix). */
import { compareAlpine } from './alpine.js';
import { compareDebian } from './debian.js';
import { comparePep440 } from './pep440.js';
import { compareSemver } from './semver.js';

export { compareAlpine, parseAlpine } from './alpine.js';
export { compareDebian, parseDebian } from './debian.js';
export { comparePep440, parsePep440 } from './pep440.js';
export { compareSemver, parseSemver } from './semver.js';

export type Comparator = (a: string, b: string) => number;

/** `Debian:12` → `Debian`, `Alpine:v3.19` → `Alpine`. */
export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

/** The comparator for an OSV ecosystem; SemVer for ecosystems without their own here. */
export function comparatorFor(ecosystem: string): Comparator {
  switch (baseEcosystem(ecosystem)) {
    case 'Debian':
    case 'Ubuntu':
      return compareDebian;
    case 'Alpine':
    case 'Wolfi':
    case 'Chainguard':
      return compareAlpine;
    case 'PyPI':
      return comparePep440;
    default:
      return compareSemver;
  }
}
