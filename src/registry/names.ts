/**
 * Names the registry accepts: repository names (spec regex, first component = project), tags and
 * digests. Everything a URL carries is checked here once, so no later code sees `..` or an
 * algorithm it cannot verify.
 */
import { digestInvalid, nameInvalid } from './errors.js';

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** Many clients cap `host[:port]/name` at 255 characters; we cap the name there. */
export const MAX_NAME_LENGTH = 255;

export const DIGEST_ALGORITHMS = ['sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

/** A repository: its full name (`acme-web/api/v2`), project (`acme-web`) and path in it (`api/v2`). */
export interface RepoName {
  readonly full: string;
  readonly project: string;
  readonly path: string;
}

/** Parses URL path segments (already split on `/`, still percent-encoded) into a repository name. */
export function parseRepoName(segments: readonly string[]): RepoName {
  const parts = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const full = parts.join('/');
  if (parts.length < 2) throw nameInvalid(full, 'a repository name is <project>/<repository>');
  if (full.length > MAX_NAME_LENGTH) throw nameInvalid(full.slice(0, 40) + '...', `longer than ${MAX_NAME_LENGTH} characters`);
  for (const p of parts) {
    if (p === '.' || p === '..') throw nameInvalid(full, 'path traversal is not allowed');
    if (!COMPONENT.test(p)) throw nameInvalid(full, `component "${p}" must match [a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*`);
  }
  const [project, ...rest] = parts;
  return { full, project: project ?? '', path: rest.join('/') };
}

export function isTag(ref: string): boolean {
  return TAG.test(ref);
}

export function isDigest(ref: string): boolean {
  return DIGEST.test(ref);
}

/** Splits a digest into algorithm and hex, or throws DIGEST_INVALID (400). */
export function parseDigest(d: string): { alg: DigestAlgorithm; hex: string } {
  if (!DIGEST.test(d)) throw digestInvalid(`invalid or unsupported digest "${d}" (sha256:<64 hex> or sha512:<128 hex>)`);
  const [alg, hex] = d.split(':') as [DigestAlgorithm, string];
  return { alg, hex };
}
