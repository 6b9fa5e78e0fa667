/** The body of `POST /drs/v1/apply`, parsed once at the edge. */
import { ValidationError } from '../../api/index.js';

/** Which recommendations to apply: named ones, or every Pending one (of one zone). */
export type ApplyRequest = { readonly names: readonly string[] } | { readonly all: true; readonly zone?: string };

const MAX_NAMES = 1000;

export function parseApplyRequest(body: unknown): ApplyRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ValidationError.field('body', 'must be an object with "recommendations" or "all"');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!['recommendations', 'all', 'zone'].includes(k)) throw ValidationError.field(k, 'unknown field');
  const names = b.recommendations;
  const all = b.all;
  if (all !== undefined && typeof all !== 'boolean') throw ValidationError.field('all', 'must be a boolean');
  if (b.zone !== undefined && (typeof b.zone !== 'string' || b.zone === '')) throw ValidationError.field('zone', 'must be a zone name');
  if (all === true) {
    if (names !== undefined) throw ValidationError.field('recommendations', 'give either recommendations or all, not both');
    return { all: true, ...(typeof b.zone === 'string' ? { zone: b.zone } : {}) };
  }
  if (b.zone !== undefined) throw ValidationError.field('zone', 'only with "all": true');
  if (!Array.isArray(names) || names.length === 0) throw ValidationError.field('recommendations', 'must list recommendation names (or send "all": true)');
  if (names.length > MAX_NAMES) throw ValidationError.field('recommendations', `at most ${MAX_NAMES} names`);
  names.forEach((n, i) => {
    if (typeof n !== 'string' || n === '') throw ValidationError.field(`recommendations[${i}]`, 'must be a recommendation name');
  });
  return { names: [...new Set(names as string[])] };
}
