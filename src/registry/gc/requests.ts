/**
 * Request bodies of the maintenance routes, compiled once at the edge: unknown in, a typed request
 * out, or a ValidationError naming the field.
 */
import { ValidationError, type FieldCause } from '../../api/index.js';
import type { GcRequest } from './types.js';

function fields(body: unknown, allowed: readonly string[], kind: string): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw ValidationError.field('body', 'must be a JSON object', { kind });
  const obj = body as Record<string, unknown>;
  const causes: FieldCause[] = Object.keys(obj)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ field: k, message: `unknown field (allowed: ${allowed.join(', ')})` }));
  for (const k of allowed) if (obj[k] !== undefined && typeof obj[k] !== 'boolean') causes.push({ field: k, message: 'must be true or false' });
  if (causes.length > 0) throw new ValidationError(causes, { kind });
  return obj;
}

export function compileGcRequest(body: unknown): GcRequest {
  const o = fields(body, ['dryRun', 'deleteUntagged'], 'GarbageCollection');
  return { dryRun: o.dryRun === true, deleteUntagged: o.deleteUntagged === true };
}

export function compileRetentionRequest(body: unknown): { readonly dryRun: boolean } {
  return { dryRun: fields(body, ['dryRun'], 'Retention').dryRun === true };
}

/** `?limit=` of the history routes: 1..500, default `fallback`. */
export function compileLimit(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 500) throw ValidationError.field('limit', 'must be an integer from 1 to 500');
  return n;
}
